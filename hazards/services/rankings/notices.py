"""The notices of a published ranking: each ranked region's supervisors and each ranked enterprise's users
are told their rank, score and the indicators that cost them most.

Publishing leaves them due (the run's notices_created_at is null); the outbox's drain creates them, a run at a
time, and hands their deliveries to the sender with the others. A province's run is 100,000+ notices: too
many for the request that publishes.
"""

import logging

from django.db import transaction
from django.utils import timezone

from hazards.models import EntryKind, Notice, NoticeKind, RankingEntry, RankingRun, Role, User
from hazards.services.notices.sweep import BATCH, deliveries_create

logger = logging.getLogger(__name__)


def _recipients(run: RankingRun):
    """(entry id, user id) for every active supervisor of a ranked region and user of a ranked enterprise."""
    entries = RankingEntry.objects.filter(run=run)
    regions = dict(entries.filter(kind=EntryKind.REGION).values_list("region_id", "pk"))
    supervisors = User.objects.filter(is_active=True, role=Role.SUPERVISOR, region_id__in=list(regions))
    for user_id, region_id in supervisors.values_list("pk", "region_id"):
        yield regions[region_id], user_id
    users = User.objects.filter(
        is_active=True, role=Role.ENTERPRISE, enterprise__region__code__startswith=run.scope.code_prefix
    )
    enterprise_entries = dict(entries.filter(kind=EntryKind.ENTERPRISE).values_list("enterprise_id", "pk"))
    for user_id, enterprise_id in users.values_list("pk", "enterprise_id").iterator(chunk_size=BATCH):
        if enterprise_id in enterprise_entries:
            yield enterprise_entries[enterprise_id], user_id


@transaction.atomic
def ranking_notices_create(*, run_id: int) -> int:
    """Create the notices of a published run and their deliveries, and mark the run notified. Once: run
    again, it creates none (the notices' unique constraints). Returns the notices created."""
    run = RankingRun.objects.get(pk=run_id, published_at__isnull=False)
    now = timezone.now()
    before = Notice.objects.filter(ranking_entry__run=run).count()
    batch = []
    for entry_id, user_id in _recipients(run):
        batch.append(
            Notice(
                kind=NoticeKind.RANKING_PUBLISHED,
                ranking_entry_id=entry_id,
                recipient_id=user_id,
                step=0,
                created_at=now,
            )
        )
        if len(batch) == BATCH:
            Notice.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Notice.objects.bulk_create(batch, ignore_conflicts=True)
    deliveries_create(created_at=now)
    RankingRun.objects.filter(pk=run.pk, notices_created_at__isnull=True).update(notices_created_at=now)
    return Notice.objects.filter(ranking_entry__run=run).count() - before


def _claim(run_id: int) -> bool:
    """Lock a published run whose notices are still due; False if another drain holds it or has done it."""
    due = RankingRun.objects.filter(pk=run_id, published_at__isnull=False, notices_created_at__isnull=True)
    return bool(due.order_by().select_for_update(skip_locked=True).values_list("pk", flat=True))


def ranking_notices_create_due() -> list[int]:
    """The outbox's part for rankings: create the notices of every published run not yet notified, each run
    in a transaction of its own that holds its row, so two drains never both create a run's notices. A run
    that fails is logged and left due for the next drain. Returns the runs notified."""
    due = RankingRun.objects.filter(published_at__isnull=False, notices_created_at__isnull=True)
    notified = []
    for run_id in list(due.order_by("published_at", "pk").values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                if not _claim(run_id):
                    continue
                ranking_notices_create(run_id=run_id)
        except Exception:
            logger.exception("The notices of ranking run %s failed; the next drain tries again.", run_id)
            continue
        notified.append(run_id)
    return notified
