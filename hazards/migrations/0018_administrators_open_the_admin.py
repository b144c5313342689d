"""The role decides who opens the admin: administrators are staff, nobody else is."""

from django.db import migrations
from django.db.models import Q


def staff_by_role(apps, schema_editor):
    User = apps.get_model("hazards", "User")
    User.objects.filter(role="administrator").update(is_staff=True)
    User.objects.filter(~Q(role="administrator")).update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [("hazards", "0017_ranking_run_notices_created")]

    operations = [migrations.RunPython(staff_by_role, migrations.RunPython.noop)]
