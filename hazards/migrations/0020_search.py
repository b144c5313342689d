"""The ledger's text search: trigram GIN indexes on PostgreSQL over the searched columns.

The indexes (made with TrigramExtension of django.contrib.postgres) are on UPPER(column) with gin_trgm_ops, the expression Django's icontains compares, so a
substring search over a province's million hazards reads the index. They are made on PostgreSQL only (and
are not in the models' state): on SQLite the search is a plain LIKE over the table.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# (index, table, column)
INDEXES = (
    ("hazard_number_trgm", "hazards_hazard", "number"),
    ("hazard_description_trgm", "hazards_hazard", "description"),
    ("enterprise_name_trgm", "hazards_enterprise", "name"),
    ("enterprise_credit_code_trgm", "hazards_enterprise", "credit_code"),
)


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX "{index}" ON "{table}" USING gin (UPPER("{column}") gin_trgm_ops)'
        )


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0019_handovers"),
    ]

    operations = [
        # Does nothing on a database other than PostgreSQL (CreateExtension checks the vendor).
        TrigramExtension(),
        migrations.RunPython(add_indexes, remove_indexes, elidable=False),
    ]
