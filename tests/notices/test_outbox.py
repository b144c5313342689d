"""The outbox: pending deliveries are what is due; the drain (beat every minute, and the interfaces' nudge on
commit) hands each one to a send task once, and again only if that task was lost; no service sends a task."""

import datetime
import threading
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from hazards.models import Channel, DeliveryState, NoticeDelivery
from hazards.services.notices import delivery as delivery_module
from hazards.services.notices.delivery import DeliveryFailed, deliveries_hand_out, delivery_send
from hazards.services.notices.sweep import deadlines_sweep
from hazards.tasks import drain_outbox, send_delivery, sweep_deadlines
from safety_portal.celery import app
from tests.factories import HazardFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def cast_details():
    return {"heping_staff": {"email": "staff@example.org"}}


@pytest.fixture
def overdue(liaoning, cast):
    """An overdue hazard at the Heping enterprise, told to its two staff: four deliveries once swept."""
    heping = liaoning.enterprises["heping"]
    cast.present("heping_staff")
    cast.another("heping_staff", email="manager@example.org")
    deadline = timezone.localdate() - DAY
    return HazardFactory(
        enterprise=heping,
        found_by=cast.heping_inspector,
        original_deadline=deadline,
        deadline=deadline,
    )


@pytest.fixture
def eager():
    keys = ("task_always_eager", "task_eager_propagates")
    previous = {key: app.conf[key] for key in keys}
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield
    app.conf.update(previous)


@pytest.fixture
def sends(monkeypatch) -> list[int]:
    """The send tasks handed out (the delivery ids they carry), none of them run."""
    ids: list[int] = []
    monkeypatch.setattr(send_delivery, "delay", lambda delivery_id: ids.append(delivery_id))
    return ids


def pending() -> set[int]:
    return set(NoticeDelivery.objects.filter(state=DeliveryState.PENDING).values_list("pk", flat=True))


def test_the_sweep_leaves_its_deliveries_pending_and_sends_no_task(
    overdue, sends, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert deadlines_sweep().created == 2
    assert not callbacks and not sends
    assert len(pending()) == 4


@pytest.mark.parametrize("through", ["task", "command"])
def test_the_sweeps_interfaces_drain_the_outbox_once_committed(
    overdue, django_capture_on_commit_callbacks, through
):
    with mock.patch("hazards.tasks.drain_outbox.delay") as drain:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            if through == "task":
                sweep_deadlines()
            else:
                call_command("sweep_deadlines")
        drain.assert_not_called()
        for callback in callbacks:
            callback()
    drain.assert_called_once_with()


def test_a_dry_run_of_the_command_drains_nothing(overdue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command("sweep_deadlines", "--dry-run")
    assert not callbacks


def test_the_drain_hands_out_each_pending_delivery_once(overdue, sends):
    deadlines_sweep()
    assert drain_outbox() == {"rankings": 0, "deliveries": 4, "exports": 0}
    assert sorted(sends) == sorted(pending())
    # A second drain, a minute later: each one is its task's now.
    assert drain_outbox() == {"rankings": 0, "deliveries": 0, "exports": 0}
    assert deliveries_hand_out(now=timezone.now() + datetime.timedelta(minutes=1)) == []
    assert len(sends) == 4


def test_the_drain_sends_each_pending_delivery_once(overdue, eager):
    deadlines_sweep()
    drain_outbox()
    drain_outbox()
    assert not pending()
    assert set(NoticeDelivery.objects.values_list("state", "attempts")) == {(DeliveryState.SENT, 1)}
    assert sorted(message.to[0] for message in mail.outbox) == ["manager@example.org", "staff@example.org"]


def test_a_delivery_whose_task_was_lost_is_handed_out_again_after_the_time_a_sender_takes(
    overdue, sends, settings
):
    deadlines_sweep()
    handed_out = set(deliveries_hand_out())
    assert handed_out == pending()
    lost = datetime.timedelta(minutes=settings.NOTICES["sending_stuck_minutes"])
    now = timezone.now()
    assert deliveries_hand_out(now=now + lost - datetime.timedelta(seconds=5)) == []
    assert set(deliveries_hand_out(now=now + lost + datetime.timedelta(seconds=5))) == handed_out
    # What was sent meanwhile is never handed out again.
    for delivery_id in handed_out:
        delivery_send(delivery_id=delivery_id)
    assert deliveries_hand_out(now=now + 10 * lost) == []


def test_a_refused_email_is_not_handed_out_before_its_wait_for_the_next_try(overdue, settings, monkeypatch):
    settings.NOTICES = {**settings.NOTICES, "email_retry_seconds": 1200, "sending_stuck_minutes": 15}
    deadlines_sweep()
    email = NoticeDelivery.objects.filter(channel=Channel.EMAIL).first()
    monkeypatch.setattr(delivery_module, "notice_email", mock.Mock(side_effect=OSError("down")))
    with pytest.raises(DeliveryFailed) as failed:
        delivery_send(delivery_id=email.pk)
    assert failed.value.attempts == 1
    email.refresh_from_db()
    wait = datetime.timedelta(seconds=1200)  # longer than sending_stuck_minutes: the wait decides
    assert email.pk not in deliveries_hand_out(now=email.claimed_at + wait - datetime.timedelta(seconds=5))
    assert email.pk in deliveries_hand_out(now=email.claimed_at + wait + datetime.timedelta(seconds=5))


def test_the_send_tasks_retry_waits_longer_after_each_attempt(overdue, settings, monkeypatch):
    settings.NOTICES = {**settings.NOTICES, "email_retry_seconds": 7}
    deadlines_sweep()
    email = NoticeDelivery.objects.filter(channel=Channel.EMAIL).first()
    monkeypatch.setattr(delivery_module, "notice_email", mock.Mock(side_effect=OSError("down")))
    countdowns = []

    def retry(*, exc, countdown):
        countdowns.append(countdown)
        return exc

    monkeypatch.setattr(send_delivery, "retry", retry)
    for _attempt in range(3):
        with pytest.raises(DeliveryFailed):
            send_delivery.run(email.pk)
    assert countdowns == [7, 14, 28]


@pytest.mark.django_db(transaction=True)
def test_a_drain_skips_what_another_drain_holds_and_never_waits_for_it(reference_data, overdue):
    deadlines_sweep()
    held = NoticeDelivery.objects.filter(channel=Channel.EMAIL).order_by("pk").first()
    others: list[int] = []

    def second_drain():
        try:
            others.extend(deliveries_hand_out())
        finally:
            connection.close()

    # The first drain holds one delivery's row, in the middle of handing it out.
    with transaction.atomic():
        NoticeDelivery.objects.select_for_update().filter(pk=held.pk).get()
        thread = threading.Thread(target=second_drain)
        thread.start()
        thread.join(timeout=30)
        assert not thread.is_alive()
    assert held.pk not in others and set(others) == pending() - {held.pk}
    assert deliveries_hand_out() == [held.pk]
