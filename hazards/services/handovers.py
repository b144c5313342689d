"""Handover notices: each move that hands a hazard to someone else tells the person(s) who must act next.

A service calls `handover_notify` inside its own transaction; the notices and their deliveries (in the portal,
and by email to a recipient with an address) are rows in the outbox, which its drain hands to the sender.
The step is the handover's ordinal on the hazard (the second send-back is step 2), so a notice stays unique by
(hazard, kind, step, recipient) and a hazard sent back twice tells its enterprise twice.
"""

from django.db.models import QuerySet
from django.utils import timezone

from hazards.models import Channel, Hazard, Notice, NoticeDelivery, NoticeKind, Role, User

ENTERPRISE, INSPECTORS = "enterprise", "inspectors"
# Who acts next after each handover.
NEXT_ACTOR = {
    NoticeKind.ORDER_ISSUED: ENTERPRISE,
    NoticeKind.SENT_BACK: ENTERPRISE,
    NoticeKind.EXTENSION_DECIDED: ENTERPRISE,
    NoticeKind.VERIFIED: ENTERPRISE,
    NoticeKind.SUBMITTED: INSPECTORS,
    NoticeKind.EXTENSION_REQUESTED: INSPECTORS,
    NoticeKind.PLAN_FILED: INSPECTORS,
}
HANDOVER_KINDS = frozenset(NEXT_ACTOR)


def handover_recipients(hazard: Hazard, kind: NoticeKind) -> QuerySet:
    """The active users who act next: the hazard's enterprise's users, or its responsible inspector (the one
    who found it) and, when that is no active inspector, the inspectors whose region holds the hazard."""
    active = User.objects.filter(is_active=True)
    if NEXT_ACTOR[kind] == ENTERPRISE:
        return active.filter(role=Role.ENTERPRISE, enterprise_id=hazard.enterprise_id)
    finder = active.filter(role=Role.INSPECTOR, pk=hazard.found_by_id)
    if finder.exists():
        return finder
    inspectors = active.filter(role=Role.INSPECTOR).select_related("region")
    ids = [user.pk for user in inspectors if hazard.region.code.startswith(user.region.code_prefix)]
    return active.filter(pk__in=ids)


def handover_notify(*, hazard: Hazard, kind: NoticeKind) -> list[Notice]:
    """Create the notices of one handover and their pending deliveries (the caller's transaction)."""
    step = Notice.objects.filter(hazard=hazard, kind=kind).values("step").distinct().count() + 1
    now = timezone.now()
    notices = [
        Notice(kind=kind, hazard=hazard, recipient=user, step=step, created_at=now)
        for user in handover_recipients(hazard, kind)
    ]
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    created = list(
        Notice.objects.filter(hazard=hazard, kind=kind, step=step, deliveries__isnull=True).select_related(
            "recipient"
        )
    )
    deliveries = [NoticeDelivery(notice=notice, channel=Channel.IN_APP) for notice in created]
    deliveries += [
        NoticeDelivery(notice=notice, channel=Channel.EMAIL) for notice in created if notice.recipient.email
    ]
    NoticeDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return created
