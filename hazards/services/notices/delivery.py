"""Sending notices: each delivery is claimed by a conditional update, re-checked, sent, its outcome kept.

In the portal a notice is delivered by the same update that claims it, so it appears exactly once. An email is
claimed (pending -> sending), sent, then marked sent; a worker that dies in between leaves it "sending", the
next sweep makes it pending again, and the outbox hands it out again: at least once to the mail server. A
notice whose hazard no longer needs it (closed meanwhile, say) is withdrawn, not sent.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from hazards.models import (
    Channel,
    DeliveryState,
    EventKind,
    ExtensionStatus,
    HazardStatus,
    Notice,
    NoticeDelivery,
    NoticeKind,
    User,
)
from hazards.selectors.rankings import indicator_label
from hazards.services.workflow import record_event

HAND_OUT_BATCH = 5000
# The statuses in which a hazard still needs a notice of each kind.
STILL_DUE = {
    NoticeKind.DUE_SOON: {HazardStatus.OPEN},
    NoticeKind.OVERDUE: {HazardStatus.OPEN},
    NoticeKind.REVIEW_OVERDUE: {HazardStatus.SUBMITTED},
    NoticeKind.EXTENSION_UNDECIDED: {HazardStatus.OPEN, HazardStatus.SUBMITTED},
}


class DeliveryFailed(Exception):
    """An email could not be sent this time; it stays pending and is tried again later."""

    def __init__(self, message: str, *, attempts: int):
        super().__init__(message)
        self.attempts = attempts


def delivery_retry_seconds(attempts: int) -> int:
    """How long a failed email waits after its attempts so far: twice as long each time, six hours at most."""
    return min(settings.NOTICES["email_retry_seconds"] * 2 ** max(attempts - 1, 0), 6 * 3600)


def still_due(notice: Notice) -> bool:
    """Whether the hazard, read now from the database, still needs this notice."""
    hazard = notice.hazard
    if hazard is None or notice.kind not in STILL_DUE:
        return True
    hazard.refresh_from_db(fields=["status", "deadline"])
    if hazard.status not in STILL_DUE[notice.kind]:
        return False
    if notice.kind == NoticeKind.OVERDUE:
        return hazard.is_overdue
    if notice.kind == NoticeKind.EXTENSION_UNDECIDED:
        return hazard.extensions.filter(status=ExtensionStatus.PENDING).exists()
    return True


def ranking_context(notice: Notice) -> dict:
    """What a ranking's notice says: the entry, its run, the unit's name and what cost it most."""
    entry = notice.ranking_entry
    if entry is None:
        return {}
    unit = entry.region or entry.enterprise
    url = reverse("notice_list") if entry.enterprise_id else reverse("ranking_detail", args=[entry.run_id])
    return {
        "entry": entry,
        "run": entry.run,
        "unit_name": unit.name,
        "costliest": [str(indicator_label(key)) for key in entry.costliest],
        "portal_url": settings.PORTAL_URL + url,
    }


def notice_email(notice: Notice) -> EmailMultiAlternatives:
    """A notice's email: subject, text and HTML from its kind's templates, in the recipient's language."""
    with translation.override(notice.recipient.language):
        context = {
            "notice": notice,
            "hazard": notice.hazard,
            "recipient": notice.recipient,
            "hazard_url": settings.PORTAL_URL + reverse("hazard_detail", args=[notice.hazard_id])
            if notice.hazard_id
            else settings.PORTAL_URL,
            "acknowledge_url": settings.PORTAL_URL + reverse("notice_list"),
            **ranking_context(notice),
        }
        base = f"emails/notices/{notice.kind}"
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [notice.recipient.email])
    message.attach_alternative(html, "text/html")
    return message


def _claim(delivery_id: int, *, to: DeliveryState) -> datetime.datetime | None:
    """Take a pending delivery; only one claimer changes the row, the others get None."""
    now = timezone.now()
    taken = NoticeDelivery.objects.filter(pk=delivery_id, state=DeliveryState.PENDING).update(
        state=to,
        claimed_at=now,
        attempts=F("attempts") + 1,
        sent_at=now if to == DeliveryState.SENT else None,
    )
    return now if taken else None


def delivery_send(*, delivery_id: int) -> DeliveryState | None:
    """Send one delivery if it is still pending and still needed; returns its new state (None: not ours)."""
    delivery = NoticeDelivery.objects.select_related("notice__recipient", "notice__hazard").get(
        pk=delivery_id
    )
    if delivery.state != DeliveryState.PENDING:
        return None
    notice = delivery.notice
    if not still_due(notice):
        withdrawn = NoticeDelivery.objects.filter(pk=delivery_id, state=DeliveryState.PENDING).update(
            state=DeliveryState.WITHDRAWN
        )
        return DeliveryState.WITHDRAWN if withdrawn else None
    if delivery.channel == Channel.IN_APP:
        return DeliveryState.SENT if _claim(delivery_id, to=DeliveryState.SENT) else None
    claimed_at = _claim(delivery_id, to=DeliveryState.SENDING)
    if claimed_at is None:
        return None
    mine = NoticeDelivery.objects.filter(pk=delivery_id, state=DeliveryState.SENDING, claimed_at=claimed_at)
    try:
        notice_email(notice).send()
    except Exception as error:
        attempts = delivery.attempts + 1
        state = (
            DeliveryState.FAILED
            if attempts >= settings.NOTICES["email_max_attempts"]
            else DeliveryState.PENDING
        )
        mine.update(state=state, last_error=f"{type(error).__name__}: {error}"[:2000])
        if state == DeliveryState.PENDING:
            raise DeliveryFailed(str(error), attempts=attempts) from error
        return state
    mine.update(state=DeliveryState.SENT, sent_at=timezone.now(), last_error="")
    return DeliveryState.SENT


def _handed_out_long_ago(now: datetime.datetime) -> Q:
    """The pending deliveries a sender should have taken by now: never handed out; handed out (or last
    tried) longer ago than a sender takes to get to one, sending_stuck_minutes; and a failed email no
    earlier than its wait for the next try, which its own task's retry normally comes for first."""
    lost = datetime.timedelta(minutes=settings.NOTICES["sending_stuck_minutes"])
    due = Q(claimed_at__isnull=True) | Q(attempts=0, claimed_at__lte=now - lost)
    last = settings.NOTICES["email_max_attempts"]
    for attempts in range(1, last + 2):
        wait = max(lost, datetime.timedelta(seconds=delivery_retry_seconds(attempts)))
        due |= Q(attempts=attempts, claimed_at__lte=now - wait)
    # An email tried more often (max_attempts lowered since) waits the longest.
    return due | Q(attempts__gt=last + 1, claimed_at__lte=now - datetime.timedelta(hours=6))


def deliveries_hand_out(*, now: datetime.datetime | None = None) -> list[int]:
    """The outbox: the pending deliveries due for a sender, marked as handed out now (claimed_at), so that
    the next drain leaves them to the task each is given unless that task is lost. Two drains at once hand
    out each delivery once; the send's own claim makes sure it is sent once anyway."""
    now = now or timezone.now()
    with transaction.atomic():
        due = NoticeDelivery.objects.filter(_handed_out_long_ago(now), state=DeliveryState.PENDING)
        ids = list(due.select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), HAND_OUT_BATCH):
            NoticeDelivery.objects.filter(
                pk__in=ids[start : start + HAND_OUT_BATCH], state=DeliveryState.PENDING
            ).update(claimed_at=now)
    return ids


@transaction.atomic
def notice_acknowledge(*, actor: User, notice_id: int) -> Notice:
    """The recipient acknowledges a notice that asked for it; it goes on the hazard's timeline."""
    notice = Notice.objects.in_inbox().select_for_update(of=("self",)).get(pk=notice_id, recipient=actor)
    now = timezone.now()
    if notice.read_at is None:
        notice.read_at = now
    if notice.requires_acknowledgement and notice.acknowledged_at is None:
        notice.acknowledged_at = now
        if notice.hazard_id:
            record_event(
                notice.hazard,
                EventKind.ACKNOWLEDGED,
                actor,
                notice_id=notice.pk,
                notice_kind=str(notice.kind),
                step=notice.step,
            )
    notice.save(update_fields=["read_at", "acknowledged_at"])
    return notice


def notice_mark_read(*, actor: User, notice_id: int) -> Notice:
    notice = Notice.objects.in_inbox().get(pk=notice_id, recipient=actor)
    Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
    notice.refresh_from_db(fields=["read_at"])
    return notice
