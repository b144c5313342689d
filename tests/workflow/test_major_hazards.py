"""What a major hazard adds: the plan of five implementations, production suspension, listing."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hazards.lib.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from hazards.models import EventKind, Hazard
from hazards.services.major import hazard_list_for_supervision, plan_file, suspension_record
from tests.factories import HazardFactory


@pytest.fixture
def major(liaoning, cast):
    return HazardFactory(
        enterprise=liaoning.enterprises["heping"],
        found_by=cast.heping_inspector,
        major=True,
    )


def plan(cast, hazard, who="heping_staff", **changes):
    fields = {
        "responsible_person": "钱七",
        "measures": "停用储罐，更换紧急切断阀",
        "funds_amount": Decimal("120000.00"),
        "deadline": timezone.localdate() + datetime.timedelta(days=60),
        "emergency_plan": "罐区泄漏现场处置方案",
    } | changes
    return plan_file(actor=getattr(cast, who), hazard_id=hazard.pk, **fields)


def test_the_enterprise_files_and_revises_its_plan_each_version_on_the_timeline(major, cast):
    plan(cast, major)
    revised = plan(cast, major, funds_amount=Decimal("150000"))
    assert revised.funds_amount == Decimal("150000")
    events = list(major.events.values_list("kind", "data__revised"))
    assert events == [(EventKind.PLAN_FILED, False), (EventKind.PLAN_FILED, True)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"funds_amount": Decimal("-1")}, "funds_amount"),
        ({"deadline": timezone.localdate() - datetime.timedelta(days=1)}, "deadline"),
        ({"responsible_person": " "}, "responsible_person"),
        ({"measures": ""}, "measures"),
        ({"emergency_plan": ""}, "emergency_plan"),
    ],
)
def test_a_plan_with_a_bad_field_is_refused_on_that_field(major, cast, changes, field):
    with pytest.raises(RuleViolation) as caught:
        plan(cast, major, **changes)
    assert caught.value.field == field
    assert not hasattr(Hazard.objects.get(pk=major.pk), "plan")


def test_a_general_hazard_has_no_plan_and_an_inspector_files_none(liaoning, major, cast):
    general = HazardFactory(enterprise=liaoning.enterprises["heping"], found_by=cast.heping_inspector)
    with pytest.raises(RuleViolation, match="major"):
        plan(cast, general)
    with pytest.raises(ActionNotPermitted):
        plan(cast, major, who="heping_inspector")


def test_a_suspension_is_recorded_with_its_scope_and_dates(major, cast):
    today = timezone.localdate()
    suspension = suspension_record(
        actor=cast.heping_inspector,
        hazard_id=major.pk,
        scope="二号罐区停用",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
    )
    assert suspension.scope == "二号罐区停用"
    assert major.events.get().kind == EventKind.SUSPENSION_RECORDED
    with pytest.raises(RuleViolation) as caught:
        suspension_record(
            actor=cast.shenyang_supervisor,
            hazard_id=major.pk,
            scope="全厂",
            starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
        )
    assert caught.value.field == "ends_on"
    with pytest.raises(ActionNotPermitted):
        suspension_record(actor=cast.heping_staff, hazard_id=major.pk, scope="全厂", starts_on=today)


def test_a_supervisor_lists_a_major_hazard_once(major, cast):
    listing = hazard_list_for_supervision(
        actor=cast.shenyang_supervisor, hazard_id=major.pk, authority="沈阳市安委办"
    )
    assert listing.is_active and listing.authority == "沈阳市安委办"
    with pytest.raises(RuleViolation, match="already listed"):
        hazard_list_for_supervision(actor=cast.shenyang_supervisor, hazard_id=major.pk, authority="again")
    assert major.events.filter(kind=EventKind.LISTED).count() == 1


def test_listing_is_for_supervisors_of_the_region_and_open_major_hazards(liaoning, major, cast):
    with pytest.raises(ActionNotPermitted):
        hazard_list_for_supervision(actor=cast.heping_inspector, hazard_id=major.pk, authority="x")
    with pytest.raises(Hazard.DoesNotExist):
        hazard_list_for_supervision(actor=cast.dalian_supervisor, hazard_id=major.pk, authority="x")
    with pytest.raises(RuleViolation) as caught:
        hazard_list_for_supervision(actor=cast.shenyang_supervisor, hazard_id=major.pk, authority="  ")
    assert caught.value.field == "authority"
    closed = HazardFactory(
        enterprise=liaoning.enterprises["heping"],
        found_by=cast.heping_inspector,
        major=True,
        closed=True,
    )
    with pytest.raises(InvalidTransition):
        hazard_list_for_supervision(actor=cast.shenyang_supervisor, hazard_id=closed.pk, authority="x")
