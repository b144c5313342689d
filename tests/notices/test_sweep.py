"""The deadline sweep: who is told at each step of the ladder, once, and nothing about closed hazards."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from hazards.models import (
    Channel,
    DeliveryState,
    ExtensionRequest,
    Notice,
    NoticeDelivery,
    NoticeKind,
)
from hazards.services.notices.sweep import deadlines_sweep
from tests.factories import HazardFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def cast_details():
    return {"heping_staff": {"email": "staff@example.org"}}


@pytest.fixture
def no_email_staff(cast):
    """A second user of the Heping enterprise, without an email address."""
    return cast.another("heping_staff")


@pytest.fixture
def hazard(liaoning, cast, no_email_staff):
    """A hazard at the Heping enterprise, overdue by the days given, found by its inspector. Everyone the
    sweep might tell is there before it runs, and those it must not (Dalian's supervisor, a neighbour)."""
    cast.present(
        "heping_staff",
        "heping_inspector",
        "shenyang_supervisor",
        "province_supervisor",
        "dalian_supervisor",
        "shenhe_staff",
    )

    def make(days_overdue: int, **fields):
        deadline = timezone.localdate() - days_overdue * DAY
        return HazardFactory(
            enterprise=liaoning.enterprises["heping"],
            found_by=cast.heping_inspector,
            original_deadline=deadline,
            deadline=deadline,
            **fields,
        )

    return make


def told(hazard, kind=NoticeKind.OVERDUE) -> set[tuple[int, str]]:
    return {(n.step, n.recipient.username) for n in Notice.objects.filter(hazard=hazard, kind=kind)}


def names(*users) -> set[str]:
    return {user.username for user in users}


def test_an_overdue_hazard_climbs_the_ladder_day_by_day(hazard, cast, no_email_staff):
    day_one, day_three, day_seven = hazard(1), hazard(3), hazard(7)
    deadlines_sweep()
    enterprise = {(0, n) for n in names(cast.heping_staff, no_email_staff)}
    assert told(day_one) == enterprise
    assert told(day_three) == enterprise | {(1, cast.heping_inspector.username)}
    assert told(day_seven) == enterprise | {(1, cast.heping_inspector.username)} | {
        (2, n) for n in names(cast.shenyang_supervisor, cast.province_supervisor)
    }


def test_a_major_or_listed_hazard_escalates_sooner_and_asks_for_acknowledgement(hazard, cast):
    major = hazard(3, major=True)
    listed = hazard(1, listed=True)
    general = hazard(1)
    deadlines_sweep()
    assert {step for step, _ in told(major)} == {0, 1, 2}
    assert {step for step, _ in told(listed)} == {0, 1}
    assert {step for step, _ in told(general)} == {0}
    assert all(n.requires_acknowledgement for n in Notice.objects.filter(hazard__in=[major, listed]))
    assert not Notice.objects.filter(hazard=general, requires_acknowledgement=True).exists()


def test_due_soon_review_overdue_and_an_undecided_extension_are_told(hazard, cast, no_email_staff):
    soon = hazard(-2)
    submitted = hazard(-5, submitted=True, submitted_at=timezone.now() - 11 * DAY)
    listed = hazard(-60, listed=True)
    extension = ExtensionRequest.objects.create(
        hazard=listed,
        current_deadline=listed.deadline,
        requested_deadline=listed.deadline + 30 * DAY,
        reasons="设备到货延迟",
        requested_by=cast.heping_staff,
    )
    ExtensionRequest.objects.filter(pk=extension.pk).update(requested_at=timezone.now() - 20 * DAY)
    deadlines_sweep()
    assert told(soon, NoticeKind.DUE_SOON) == {(0, n) for n in names(cast.heping_staff, no_email_staff)}
    assert told(submitted, NoticeKind.REVIEW_OVERDUE) == {(0, cast.heping_inspector.username)}
    assert told(listed, NoticeKind.EXTENSION_UNDECIDED) == {
        (0, n) for n in names(cast.shenyang_supervisor, cast.province_supervisor)
    }


def test_a_second_sweep_creates_nothing_and_closed_or_void_hazards_get_nothing(hazard, cast):
    hazard(8)
    closed = hazard(8, closed=True)
    void = hazard(8, void=True)
    first = deadlines_sweep()
    count = Notice.objects.count()
    assert first.created == count == 5  # two enterprise users, the finder, two supervisors
    assert deadlines_sweep().created == 0 and Notice.objects.count() == count
    assert not Notice.objects.filter(hazard__in=[closed, void]).exists()


def test_each_notice_gets_an_in_app_delivery_and_an_email_when_the_recipient_has_an_address(hazard, cast):
    overdue = hazard(1)
    deadlines_sweep()
    for notice in Notice.objects.filter(hazard=overdue):
        channels = set(notice.deliveries.values_list("channel", flat=True))
        expected = {Channel.IN_APP, Channel.EMAIL} if notice.recipient.email else {Channel.IN_APP}
        assert channels == expected
    assert set(NoticeDelivery.objects.values_list("state", flat=True)) == {DeliveryState.PENDING}


def test_an_unacknowledged_notice_moves_up_the_ladder_after_the_hours_allowed(hazard, cast, settings):
    settings.NOTICES = settings.NOTICES | {"major_inspector_after_days": 5, "major_supervisor_after_days": 9}
    major = hazard(1, major=True)
    deadlines_sweep()
    assert {step for step, _ in told(major)} == {0}
    late = timezone.now() + datetime.timedelta(hours=settings.NOTICES["acknowledge_hours"] + 1)
    deadlines_sweep(now=late)
    assert {step for step, _ in told(major)} == {0, 1}
    Notice.objects.filter(hazard=major, step=1).update(acknowledged_at=timezone.now())
    deadlines_sweep(now=late + datetime.timedelta(hours=48))
    assert {step for step, _ in told(major)} == {0, 1}  # acknowledged: no climb to the supervisors


def test_a_dry_run_counts_and_creates_nothing(hazard, cast):
    hazard(8)
    result = deadlines_sweep(dry_run=True)
    assert result.candidates["overdue/0"] == 2 and result.candidates["overdue/2"] == 2
    assert not Notice.objects.exists()


def test_a_delivery_left_sending_by_a_dead_worker_is_requeued(hazard, cast, settings):
    hazard(1)
    deadlines_sweep()
    stale = timezone.now() - datetime.timedelta(minutes=settings.NOTICES["sending_stuck_minutes"] + 1)
    NoticeDelivery.objects.filter(channel=Channel.EMAIL).update(state=DeliveryState.SENDING, claimed_at=stale)
    assert deadlines_sweep().requeued == 1
    assert not NoticeDelivery.objects.filter(state=DeliveryState.SENDING).exists()


def test_the_command_reports_and_its_dry_run_changes_nothing(hazard, cast, capsys):
    hazard(8)
    call_command("sweep_deadlines", "--dry-run")
    assert "Dry run" in capsys.readouterr().out and not Notice.objects.exists()
    call_command("sweep_deadlines")
    assert "5 notices created" in capsys.readouterr().out


def test_a_delivery_that_stopped_the_sender_every_time_is_given_up(hazard, cast, settings):
    hazard(1)
    deadlines_sweep()
    stale = timezone.now() - datetime.timedelta(minutes=settings.NOTICES["sending_stuck_minutes"] + 1)
    email = NoticeDelivery.objects.get(channel=Channel.EMAIL)
    NoticeDelivery.objects.filter(pk=email.pk).update(
        state=DeliveryState.SENDING, claimed_at=stale, attempts=settings.NOTICES["email_max_attempts"]
    )
    assert deadlines_sweep().requeued == 0
    email.refresh_from_db()
    assert email.state == DeliveryState.FAILED and "stopped" in email.last_error
