# The criteria catalogue leaves inspections for hazards (hazards 0015): Django's state only, the tables stay.
# Their content types follow, so permissions and admin log entries keep pointing to them.

import django.db.models.deletion
from django.db import migrations, models

MOVED = ['standard', 'clause']


def relabel(apps, source: str, target: str) -> None:
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MOVED:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)
    ContentType.objects.clear_cache()


def content_types_to_hazards(apps, schema_editor):
    relabel(apps, 'inspections', 'hazards')


def content_types_to_inspections(apps, schema_editor):
    relabel(apps, 'hazards', 'inspections')


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('hazards', '0015_criteria_catalogue'),
        ('inspections', '0004_seed_checklists'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='checklistitem',
                    name='clause',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='checklist_items', to='hazards.clause', verbose_name='major-hazard criterion'),
                ),
                migrations.RemoveField(
                    model_name='standard',
                    name='sectors',
                ),
                migrations.DeleteModel(
                    name='Clause',
                ),
                migrations.DeleteModel(
                    name='Standard',
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_hazards, content_types_to_inspections),
    ]
