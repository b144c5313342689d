# The criteria catalogue (standards and their clauses) belongs to hazards from here on. Its tables stay as they
# are, names included: this changes only Django's state, so no row and no constraint is touched.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('hazards', '0014_ledger_export'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Standard',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.CharField(max_length=64, unique=True, verbose_name='official number')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('scope', models.CharField(choices=[('national', 'National'), ('provincial', 'Provincial')], max_length=10, verbose_name='scope')),
                        ('effective_from', models.DateField(verbose_name='effective from')),
                        ('effective_to', models.DateField(blank=True, null=True, verbose_name='effective to')),
                        ('sectors', models.ManyToManyField(db_table='inspections_standard_sectors', related_name='standards', to='hazards.sector', verbose_name='sectors')),
                    ],
                    options={
                        'verbose_name': 'major-hazard standard',
                        'verbose_name_plural': 'major-hazard standards',
                        'db_table': 'inspections_standard',
                        'ordering': ['-effective_from', 'number'],
                        'constraints': [
                            models.CheckConstraint(condition=models.Q(('effective_to__isnull', True), ('effective_to__gte', models.F('effective_from')), _connector='OR'), name='standard_effective_range'),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name='Clause',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.CharField(max_length=32, verbose_name='clause number')),
                        ('text', models.TextField(verbose_name='text')),
                        ('summary_en', models.CharField(blank=True, max_length=255, verbose_name='English summary')),
                        ('standard', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='clauses', to='hazards.standard', verbose_name='standard')),
                    ],
                    options={
                        'verbose_name': 'major-hazard criterion',
                        'verbose_name_plural': 'major-hazard criteria',
                        'db_table': 'inspections_clause',
                        'ordering': ['standard', 'id'],
                        'constraints': [
                            models.UniqueConstraint(fields=('standard', 'number'), name='clause_number_unique_per_standard'),
                        ],
                    },
                ),
                migrations.AlterField(
                    model_name='hazard',
                    name='criterion',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='hazards', to='hazards.clause', verbose_name='major-hazard criterion'),
                ),
            ],
            database_operations=[],
        ),
    ]
