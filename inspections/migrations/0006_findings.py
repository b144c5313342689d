# What an inspection added to a hazard (its inspection, checklist item and idempotency key) moves from the
# hazard's row to a finding of its own: one per hazard found in an inspection, filled from the hazards here,
# before hazards 0016 drops their columns.

import django.db.models.deletion
from django.db import migrations, models


def findings_fill(apps, schema_editor):
    Hazard = apps.get_model('hazards', 'Hazard')
    Finding = apps.get_model('inspections', 'Finding')
    strays = Hazard.objects.filter(inspection__isnull=True).exclude(checklist_item__isnull=True, idempotency_key__isnull=True)
    if strays.exists():
        raise RuntimeError(
            f'{strays.count()} hazards have a checklist item or an idempotency key but no inspection '
            f'(numbers {", ".join(strays.values_list("number", flat=True)[:20])}): give them their inspection first.'
        )
    quote = schema_editor.quote_name
    # One statement, however many hazards: a province's millions are copied by the database itself.
    schema_editor.execute(
        f'INSERT INTO {quote(Finding._meta.db_table)} '  # nosec B608 # table and column names only, quoted
        f'({quote("hazard_id")}, {quote("inspection_id")}, {quote("checklist_item_id")}, {quote("idempotency_key")}) '
        f'SELECT {quote("id")}, {quote("inspection_id")}, {quote("checklist_item_id")}, {quote("idempotency_key")} '
        f'FROM {quote(Hazard._meta.db_table)} WHERE {quote("inspection_id")} IS NOT NULL'
    )


def hazards_refill(apps, schema_editor):
    Hazard = apps.get_model('hazards', 'Hazard')
    Finding = apps.get_model('inspections', 'Finding')
    of_hazard = Finding.objects.filter(hazard=models.OuterRef('pk'))
    Hazard.objects.filter(pk__in=Finding.objects.values('hazard')).update(
        inspection=models.Subquery(of_hazard.values('inspection')[:1]),
        checklist_item=models.Subquery(of_hazard.values('checklist_item')[:1]),
        idempotency_key=models.Subquery(of_hazard.values('idempotency_key')[:1]),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('hazards', '0015_criteria_catalogue'),
        ('inspections', '0005_criteria_catalogue_to_hazards'),
    ]
    # The hazards' columns are dropped only once their findings hold what they held.
    run_before = [
        ('hazards', '0016_hazard_finding_leaves'),
    ]

    operations = [
        migrations.CreateModel(
            name='Finding',
            fields=[
                ('hazard', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='finding', serialize=False, to='hazards.hazard', verbose_name='hazard')),
                ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='findings', to='inspections.inspection', verbose_name='inspection')),
                ('checklist_item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='findings', to='inspections.checklistitem', verbose_name='checklist item')),
                ('idempotency_key', models.UUIDField(blank=True, null=True, unique=True, verbose_name='idempotency key')),
            ],
            options={
                'verbose_name': 'finding',
                'verbose_name_plural': 'findings',
            },
        ),
        migrations.RunPython(findings_fill, hazards_refill),
    ]
