"""The deadline sweep: set-based queries find what is due, and notices are created along the ladder.

Each rung of the ladder is one query over an index (open hazards by deadline, submissions by time) that yields
(hazard, recipient) pairs; they are inserted in batches that skip rows already there, so a rerun, a second
beat or a redelivered task creates nothing twice. The whole sweep is one transaction: notices and their
deliveries appear together or not at all. Sending is a separate step (hazards.services.notices.delivery).
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from hazards.lib.calendar import subtract_working_days
from hazards.models import (
    Channel,
    DeliveryState,
    ExtensionStatus,
    Hazard,
    HazardLevel,
    HazardStatus,
    Notice,
    NoticeDelivery,
    NoticeKind,
    Role,
    User,
)
from hazards.models.hazards import listed_q

BATCH = 5000
SWEEP_LOCK = 7_210_000  # the advisory lock key of the deadline sweep
ENTERPRISE, FINDER, SUPERVISORS = "enterprise", "finder", "supervisors"
# Who is told at each step of each kind's ladder.
LADDERS = {
    NoticeKind.DUE_SOON: [ENTERPRISE],
    NoticeKind.OVERDUE: [ENTERPRISE, FINDER, SUPERVISORS],
    NoticeKind.REVIEW_OVERDUE: [FINDER, SUPERVISORS],
    NoticeKind.EXTENSION_UNDECIDED: [SUPERVISORS],
}
URGENT = Q(level=HazardLevel.MAJOR) | listed_q()


@dataclass(frozen=True)
class Rung:
    kind: NoticeKind
    step: int
    hazards: QuerySet

    @property
    def recipients(self) -> str:
        return LADDERS[self.kind][self.step]


@dataclass
class SweepResult:
    candidates: dict[str, int] = field(default_factory=dict)
    created: int = 0
    requeued: int = 0


def _days(name: str) -> datetime.timedelta:
    return datetime.timedelta(days=settings.NOTICES[name])


def rungs(now: datetime.datetime) -> list[Rung]:
    """Every rung of every ladder, as a queryset of the hazards that have reached it."""
    today = timezone.localdate(now)
    open_hazards = Hazard.objects.filter(status=HazardStatus.OPEN)
    overdue = Hazard.objects.overdue(today)

    def past(queryset: QuerySet, days: str, urgent_days: str) -> QuerySet:
        return queryset.filter(
            Q(deadline__lte=today - _days(days)) | (URGENT & Q(deadline__lte=today - _days(urgent_days)))
        )

    submitted = Hazard.objects.filter(status=HazardStatus.SUBMITTED)
    review_due = now - _days("review_days")
    undecided_since = subtract_working_days(today, settings.NOTICES["extension_decision_working_days"])
    return [
        Rung(
            NoticeKind.DUE_SOON,
            0,
            open_hazards.filter(deadline__gte=today, deadline__lte=today + _days("due_soon_days")),
        ),
        Rung(NoticeKind.OVERDUE, 0, overdue),
        Rung(NoticeKind.OVERDUE, 1, past(overdue, "inspector_after_days", "major_inspector_after_days")),
        Rung(NoticeKind.OVERDUE, 2, past(overdue, "supervisor_after_days", "major_supervisor_after_days")),
        Rung(NoticeKind.REVIEW_OVERDUE, 0, submitted.filter(submitted_at__lte=review_due)),
        Rung(
            NoticeKind.REVIEW_OVERDUE,
            1,
            submitted.filter(submitted_at__lte=review_due - _days("inspector_after_days")),
        ),
        Rung(
            NoticeKind.EXTENSION_UNDECIDED,
            0,
            Hazard.objects.filter(
                listed_q(),
                status__in=[HazardStatus.OPEN, HazardStatus.SUBMITTED],
                extensions__status=ExtensionStatus.PENDING,
                extensions__requested_at__date__lte=undecided_since,
            ),
        ),
        *_unacknowledged(now),
    ]


def _unacknowledged(now: datetime.datetime) -> Iterator[Rung]:
    """A notice that asked for an acknowledgement and got none in time moves its hazard a step up at once."""
    cutoff = now - datetime.timedelta(hours=settings.NOTICES["acknowledge_hours"])
    for kind, ladder in LADDERS.items():
        for step in range(len(ladder) - 1):
            hazards = Hazard.objects.filter(
                status__in=[HazardStatus.OPEN, HazardStatus.SUBMITTED],
                notices__kind=kind,
                notices__step=step,
                notices__requires_acknowledgement=True,
                notices__acknowledged_at__isnull=True,
                notices__created_at__lte=cutoff,
            )
            yield Rung(kind, step + 1, hazards)


def _pairs(rung: Rung) -> Iterator[tuple[int, int, bool]]:
    """(hazard, recipient, asks acknowledgement) for every person the rung tells, from the database."""
    hazards = rung.hazards.annotate(
        urgent=Case(When(URGENT, then=Value(True)), default=Value(False), output_field=BooleanField())
    ).order_by()
    if rung.recipients == ENTERPRISE:
        rows = hazards.filter(enterprise__users__role=Role.ENTERPRISE, enterprise__users__is_active=True)
        yield from rows.values_list("pk", "enterprise__users__pk", "urgent").distinct().iterator(BATCH)
    elif rung.recipients == FINDER:
        rows = hazards.filter(found_by__role=Role.INSPECTOR, found_by__is_active=True)
        yield from rows.values_list("pk", "found_by_id", "urgent").distinct().iterator(BATCH)
    else:
        supervisors = User.objects.filter(role=Role.SUPERVISOR, is_active=True).select_related("region")
        for supervisor in supervisors:
            rows = hazards.filter(region__code__startswith=supervisor.region.code_prefix)
            for hazard_id, urgent in rows.values_list("pk", "urgent").distinct().iterator(BATCH):
                yield hazard_id, supervisor.pk, urgent


def _batches(items: Iterable, size: int = BATCH) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert_notices(rung: Rung, now: datetime.datetime) -> int:
    candidates = 0
    for batch in _batches(_pairs(rung)):
        candidates += len(batch)
        Notice.objects.bulk_create(
            [
                Notice(
                    kind=rung.kind,
                    hazard_id=hazard_id,
                    recipient_id=recipient_id,
                    step=rung.step,
                    requires_acknowledgement=urgent,
                    created_at=now,
                )
                for hazard_id, recipient_id, urgent in batch
            ],
            ignore_conflicts=True,
        )
    return candidates


def _insert_deliveries(created_at: datetime.datetime) -> None:
    """The deliveries of the notices this sweep made."""
    deliveries_create(created_at=created_at)


def deliveries_create(*, created_at: datetime.datetime) -> None:
    """An in-portal delivery for every notice created at that moment that has none, and an email for a
    recipient with an address (the sweep's notices, a ranking's)."""
    new_notices = (
        Notice.objects.filter(created_at=created_at, deliveries__isnull=True)
        .values_list("pk", "recipient__email")
        .iterator(BATCH)
    )
    for batch in _batches(new_notices):
        deliveries = [NoticeDelivery(notice_id=pk, channel=Channel.IN_APP) for pk, _email in batch]
        deliveries += [NoticeDelivery(notice_id=pk, channel=Channel.EMAIL) for pk, email in batch if email]
        NoticeDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)


def _requeue_stuck(now: datetime.datetime) -> int:
    """Deliveries left sending by a worker that died are sent again (at least once to the mail server)."""
    stuck_since = now - datetime.timedelta(minutes=settings.NOTICES["sending_stuck_minutes"])
    stuck = NoticeDelivery.objects.filter(state=DeliveryState.SENDING, claimed_at__lt=stuck_since)
    # One that has killed the sender every time it was tried is given up, not retried for ever.
    stuck.filter(attempts__gte=settings.NOTICES["email_max_attempts"]).update(
        state=DeliveryState.FAILED, last_error="The sender stopped while sending, every time it tried."
    )
    return stuck.update(state=DeliveryState.PENDING)


def deadlines_sweep(*, now: datetime.datetime | None = None, dry_run: bool = False) -> SweepResult:
    """Create the notices that are due, with their deliveries; with dry_run, only count the candidates.

    The deliveries are left pending in the database, the outbox, for its drain to hand to the sender.
    """
    now = now or timezone.now()
    result = SweepResult()
    if dry_run:
        for rung in rungs(now):
            name = f"{rung.kind}/{rung.step}"
            result.candidates[name] = result.candidates.get(name, 0) + sum(1 for _ in _pairs(rung))
        return result
    with transaction.atomic():
        _serialise_sweeps()
        before = Notice.objects.count()
        for rung in rungs(now):
            name = f"{rung.kind}/{rung.step}"
            result.candidates[name] = result.candidates.get(name, 0) + _insert_notices(rung, now)
        _insert_deliveries(now)
        result.created = Notice.objects.count() - before
        result.requeued = _requeue_stuck(now)
    return result


def _serialise_sweeps() -> None:
    """One sweep at a time on PostgreSQL (a second beat waits), so each counts only what it created."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK])
