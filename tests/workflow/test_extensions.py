"""Extensions: the enterprise asks, an inspector decides, the original deadline stays."""

import datetime

import pytest
from django.utils import timezone

from hazards.lib.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from hazards.models import EventKind, ExtensionStatus, SupervisionListing
from hazards.services.extensions import extension_decide, extension_request
from tests.factories import HazardFactory

D = datetime.date


@pytest.fixture
def hazard(liaoning, cast):
    return HazardFactory(enterprise=liaoning.enterprises["heping"], found_by=cast.heping_inspector)


def ask(cast, hazard, days=15, reasons="设备到货延迟", who="heping_staff"):
    return extension_request(
        actor=getattr(cast, who),
        hazard_id=hazard.pk,
        requested_deadline=hazard.deadline + datetime.timedelta(days=days),
        reasons=reasons,
    )


def test_an_approved_extension_moves_the_deadline_and_keeps_the_original(hazard, cast):
    original = hazard.deadline
    extension = ask(cast, hazard)
    extension_decide(actor=cast.heping_inspector, hazard_id=hazard.pk, approve=True)
    hazard.refresh_from_db()
    extension.refresh_from_db()
    assert hazard.deadline == original + datetime.timedelta(days=15)
    assert hazard.original_deadline == original and hazard.deadline_extended
    assert extension.status == ExtensionStatus.APPROVED and extension.current_deadline == original
    assert list(hazard.events.values_list("kind", flat=True)) == [
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_APPROVED,
    ]


def test_a_rejected_extension_keeps_the_deadline_and_needs_a_reason(hazard, cast):
    original = hazard.deadline
    ask(cast, hazard)
    with pytest.raises(RuleViolation) as caught:
        extension_decide(actor=cast.heping_inspector, hazard_id=hazard.pk, approve=False, comment=" ")
    assert caught.value.field == "comment"
    extension_decide(actor=cast.heping_inspector, hazard_id=hazard.pk, approve=False, comment="理由不充分")
    hazard.refresh_from_db()
    assert hazard.deadline == original
    assert hazard.extensions.get().status == ExtensionStatus.REJECTED


@pytest.mark.parametrize(
    ("days", "reasons", "field"),
    [(0, "理由", "requested_deadline"), (-3, "理由", "requested_deadline"), (10, "   ", "reasons")],
)
def test_a_bad_request_is_refused_on_its_field(hazard, cast, days, reasons, field):
    with pytest.raises(RuleViolation) as caught:
        ask(cast, hazard, days=days, reasons=reasons)
    assert caught.value.field == field
    assert not hazard.extensions.exists() and not hazard.events.exists()


def test_one_request_waits_at_a_time(hazard, cast):
    ask(cast, hazard)
    with pytest.raises(RuleViolation, match="already waiting"):
        ask(cast, hazard, days=20)
    assert hazard.extensions.count() == 1


def test_only_the_enterprise_asks_and_only_an_inspector_decides(hazard, cast):
    with pytest.raises(ActionNotPermitted):
        ask(cast, hazard, who="heping_inspector")
    ask(cast, hazard)
    for user in (cast.heping_staff, cast.shenyang_supervisor):
        with pytest.raises(ActionNotPermitted):
            extension_decide(actor=user, hazard_id=hazard.pk, approve=True)
    assert hazard.extensions.get().status == ExtensionStatus.PENDING


def test_nothing_to_decide_without_a_request(hazard, cast):
    with pytest.raises(RuleViolation, match="no extension request"):
        extension_decide(actor=cast.heping_inspector, hazard_id=hazard.pk, approve=True)


def test_another_enterprise_cannot_ask(hazard, cast):
    from hazards.models import Hazard

    with pytest.raises(Hazard.DoesNotExist):
        ask(cast, hazard, who="zhongshan_staff")


def test_a_closed_hazard_gets_no_extension(liaoning, cast):
    closed = HazardFactory(
        enterprise=liaoning.enterprises["heping"],
        found_by=cast.heping_inspector,
        closed=True,
    )
    with pytest.raises(InvalidTransition):
        ask(cast, closed)


@pytest.fixture
def listed_hazard(liaoning, cast, monkeypatch):
    """A listed major hazard, on Monday 14 September 2026, before the Mid-Autumn and National Day holidays."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2026, 9, 14))
    return HazardFactory(
        enterprise=liaoning.enterprises["heping"], found_by=cast.heping_inspector, major=True, listed=True
    )


def test_a_listed_hazard_asks_20_working_days_ahead_counting_the_holidays(listed_hazard, cast):
    # 19 working days to Thursday 15 October: Monday to Friday would count 23, and wrongly allow it.
    listed_hazard.deadline = D(2026, 10, 15)
    listed_hazard.save()
    with pytest.raises(RuleViolation, match="19") as caught:
        ask(cast, listed_hazard)
    assert caught.value.field == "requested_deadline"
    assert not listed_hazard.extensions.exists()

    listed_hazard.deadline = D(2026, 10, 16)  # 20 working days ahead
    listed_hazard.save()
    assert ask(cast, listed_hazard).status == ExtensionStatus.PENDING


def test_a_delisted_hazard_is_no_longer_held_to_the_notice(listed_hazard, cast):
    listed_hazard.deadline = D(2026, 9, 30)
    listed_hazard.save()
    SupervisionListing.objects.filter(hazard=listed_hazard).update(delisted_at=timezone.now())
    assert ask(cast, listed_hazard).status == ExtensionStatus.PENDING
