"""A published run's notices become the outbox's work: notices_created_at is null while they are due.

Runs published before this migration had their notices created in the publication's own transaction; those
whose notices exist are marked created (at their first notice's time), so the drain tells no one twice.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def mark_notified_runs(apps, schema_editor):
    RankingRun = apps.get_model("hazards", "RankingRun")
    Notice = apps.get_model("hazards", "Notice")
    first_notice = (
        Notice.objects.filter(ranking_entry__run=OuterRef("pk")).order_by("created_at").values("created_at")[:1]
    )
    RankingRun.objects.filter(
        published_at__isnull=False, notices_created_at__isnull=True, entries__notices__isnull=False
    ).update(notices_created_at=Subquery(first_notice))


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0016_hazard_finding_leaves"),
    ]

    operations = [
        migrations.AddField(
            model_name="rankingrun",
            name="notices_created_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="notices created at"),
        ),
        migrations.RunPython(mark_notified_runs, migrations.RunPython.noop, elidable=False),
    ]
