# A hazard's inspection, checklist item and idempotency key now live in its finding (inspections 0006, which
# copies them before this migration runs); the hazard's own columns go.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('hazards', '0015_criteria_catalogue'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='hazard',
            name='checklist_item',
        ),
        migrations.RemoveField(
            model_name='hazard',
            name='idempotency_key',
        ),
        migrations.RemoveField(
            model_name='hazard',
            name='inspection',
        ),
    ]
