"""The notices of a published ranking: each ranked region's supervisors and each ranked enterprise's users
are told their rank, score and the indicators that cost them most."""

from django.db import transaction
from django.utils import timezone

from hazards.models import EntryKind, Notice, NoticeKind, RankingEntry, RankingRun, Role, User
from hazards.services.notices.sweep import BATCH, deliveries_create


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
    """Create the notices of a published run, once: run again, it creates none. Returns those created."""
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
    return Notice.objects.filter(ranking_entry__run=run).count() - before
