"""Sending notices: claimed once, re-checked, emailed in the recipient's language, retried, acknowledged."""

import pytest
from django.core import mail
from django.utils import timezone

from hazards.models import (
    Channel,
    DeliveryState,
    EventKind,
    HazardStatus,
    Notice,
    NoticeDelivery,
    NoticeKind,
)
from hazards.services.notices.delivery import DeliveryFailed, delivery_send, notice_acknowledge
from tests.factories import HazardFactory


@pytest.fixture
def cast_details():
    return {"heping_staff": {"email": "staff@example.org", "language": "en"}}


@pytest.fixture
def notice(liaoning, cast):
    staff = cast.heping_staff
    deadline = timezone.localdate() - timezone.timedelta(days=2)
    hazard = HazardFactory(
        enterprise=liaoning.enterprises["heping"],
        found_by=cast.heping_inspector,
        original_deadline=deadline,
        deadline=deadline,
    )
    notice = Notice.objects.create(
        kind=NoticeKind.OVERDUE, hazard=hazard, recipient=staff, step=0, requires_acknowledgement=True
    )
    for channel in Channel.values:
        NoticeDelivery.objects.create(notice=notice, channel=channel)
    return notice


def delivery(notice, channel) -> NoticeDelivery:
    return notice.deliveries.get(channel=channel)


def test_in_the_portal_a_notice_is_delivered_exactly_once(notice):
    in_app = delivery(notice, Channel.IN_APP)
    assert delivery_send(delivery_id=in_app.pk) == DeliveryState.SENT
    assert delivery_send(delivery_id=in_app.pk) is None
    in_app.refresh_from_db()
    assert (in_app.state, in_app.attempts) == (DeliveryState.SENT, 1) and in_app.sent_at is not None


def test_the_email_speaks_the_recipients_language_and_links_to_the_hazard(notice, settings):
    settings.PORTAL_URL = "https://portal.example.org"
    assert delivery_send(delivery_id=delivery(notice, Channel.EMAIL).pk) == DeliveryState.SENT
    (message,) = mail.outbox
    assert message.to == ["staff@example.org"]
    assert notice.hazard.number in message.subject and "overdue" in message.subject
    link = f"https://portal.example.org/hazards/{notice.hazard.pk}/"
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and link in html and "acknowledge" in html
    assert delivery(notice, Channel.EMAIL).state == DeliveryState.SENT


def test_a_chinese_recipient_gets_the_email_in_chinese(notice):
    notice.recipient.language = "zh-hans"
    notice.recipient.save()
    delivery_send(delivery_id=delivery(notice, Channel.EMAIL).pk)
    assert "逾期" in mail.outbox[0].subject


def test_a_hazard_closed_before_sending_gets_nothing(notice):
    notice.hazard.status = HazardStatus.CLOSED
    notice.hazard.closed_at = timezone.now()
    notice.hazard.save()
    for channel in Channel.values:
        assert delivery_send(delivery_id=delivery(notice, channel).pk) == DeliveryState.WITHDRAWN
    assert mail.outbox == []
    assert set(notice.deliveries.values_list("state", flat=True)) == {DeliveryState.WITHDRAWN}


def test_a_refused_email_stays_pending_with_its_error_then_fails_after_the_last_attempt(
    notice, settings, monkeypatch
):
    settings.NOTICES = settings.NOTICES | {"email_max_attempts": 2}

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    email = delivery(notice, Channel.EMAIL)
    with pytest.raises(DeliveryFailed):
        delivery_send(delivery_id=email.pk)
    email.refresh_from_db()
    assert (email.state, email.attempts) == (DeliveryState.PENDING, 1)
    assert "mail server down" in email.last_error
    assert delivery_send(delivery_id=email.pk) == DeliveryState.FAILED
    email.refresh_from_db()
    assert (email.state, email.attempts) == (DeliveryState.FAILED, 2)


def test_a_notice_not_yet_in_the_inbox_cannot_be_acknowledged(notice):
    with pytest.raises(Notice.DoesNotExist):
        notice_acknowledge(actor=notice.recipient, notice_id=notice.pk)
    assert not notice.hazard.events.exists()


def test_acknowledging_reads_the_notice_and_goes_on_the_timeline_once(notice):
    delivery_send(delivery_id=delivery(notice, Channel.IN_APP).pk)
    notice_acknowledge(actor=notice.recipient, notice_id=notice.pk)
    notice_acknowledge(actor=notice.recipient, notice_id=notice.pk)
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None and notice.read_at is not None
    assert notice.hazard.events.filter(kind=EventKind.ACKNOWLEDGED).count() == 1


def test_only_the_recipient_acknowledges(notice, cast):
    delivery_send(delivery_id=delivery(notice, Channel.IN_APP).pk)
    with pytest.raises(Notice.DoesNotExist):
        notice_acknowledge(actor=cast.another("heping_staff"), notice_id=notice.pk)
    notice.refresh_from_db()
    assert notice.acknowledged_at is None
