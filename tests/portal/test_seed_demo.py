"""The demo: one real province, about 200 valid enterprises, one user per role; idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from hazards.lib.credit_code import validate_credit_code
from hazards.models import (
    Enterprise,
    Evidence,
    ExtensionStatus,
    Hazard,
    HazardLevel,
    HazardStatus,
    RankingRun,
    Region,
    RegionLevel,
    Role,
    User,
)
from hazards.services.demo import DEMO_PASSWORD
from inspections.models import Inspection


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db, evidence_root) -> str:
    return seed()


def snapshot():
    return (
        list(Region.objects.values_list("code", "name", "level", "parent__code")),
        list(Enterprise.objects.order_by("credit_code").values_list("credit_code", "name", "region__code")),
        list(User.objects.order_by("username").values_list("username", "role", "region__code", "enterprise")),
        list(Hazard.objects.order_by("number").values_list("number", "status", "deadline")),
        Evidence.objects.count(),
        list(Inspection.objects.order_by("id").values_list("enterprise", "status", "order__number")),
        list(RankingRun.objects.order_by("id").values_list("year", "quarter", "computed_at", "published_at")),
    )


def test_it_loads_liaoning_with_its_official_codes(seeded):
    assert Region.objects.get(code="210000").name == "辽宁省"
    assert Region.objects.get(code="210100").name == "沈阳市"
    heping = Region.objects.get(code="210102")
    assert (heping.name, heping.level, heping.parent.code) == ("和平区", RegionLevel.COUNTY, "210100")
    assert Region.objects.filter(level=RegionLevel.CITY).count() == 14
    assert not Region.objects.exclude(code__startswith="21").exists()


def test_it_spreads_about_200_valid_enterprises_over_counties_sectors_and_colours(seeded):
    enterprises = list(Enterprise.objects.select_related("region"))
    assert len(enterprises) == 200
    for enterprise in enterprises:
        validate_credit_code(enterprise.credit_code)
        assert enterprise.region.level == RegionLevel.COUNTY
        assert enterprise.credit_code[2:8] == enterprise.region.code
    assert Enterprise.objects.values("region").distinct().count() >= 50
    assert Enterprise.objects.values("sector").distinct().count() == 10
    assert Enterprise.objects.values("risk_colour").distinct().count() == 4


def test_it_creates_one_user_per_role_who_can_log_in_with_the_printed_password(seeded, client):
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert DEMO_PASSWORD in seeded
    for user in User.objects.all():
        assert user.username in seeded
        response = client.post("/accounts/login/", {"username": user.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, user.username
        client.logout()
        user.full_clean()


def test_running_it_again_changes_nothing(seeded):
    before = snapshot()
    seed()
    assert snapshot() == before


def test_it_adds_hazards_in_every_state_some_major_listed_and_overdue(seeded):
    assert set(Hazard.objects.values_list("status", flat=True)) == set(HazardStatus.values)
    assert Hazard.objects.overdue().filter(listing__isnull=False, level=HazardLevel.MAJOR).exists()
    assert Hazard.objects.overdue().filter(level=HazardLevel.GENERAL).count() >= 5
    assert Hazard.objects.filter(fixed_on_spot=True, status=HazardStatus.CLOSED).exists()
    assert Hazard.objects.filter(events__kind="sent_back", status=HazardStatus.OPEN).exists()
    assert Hazard.objects.filter(extensions__status=ExtensionStatus.PENDING).exists()
    assert Hazard.objects.filter(
        level=HazardLevel.MAJOR, plan__isnull=False, suspensions__isnull=False
    ).exists()


def test_each_demo_user_has_hazards_to_work_on(seeded):
    enterprise = User.objects.get(username="enterprise")
    assert Hazard.objects.visible_to(enterprise).to_do().exists()
    assert Hazard.objects.visible_to(User.objects.get(username="inspector")).awaiting_review().exists()
    assert (
        Hazard.objects.visible_to(User.objects.get(username="supervisor")).count() == Hazard.objects.count()
    )


def test_it_adds_completed_inspections_with_findings_and_orders_in_several_sectors(seeded):
    from inspections.models import InspectionStatus

    completed = Inspection.objects.filter(status=InspectionStatus.COMPLETED)
    assert completed.values("enterprise__sector").distinct().count() >= 4
    for inspection in completed:
        assert inspection.findings.exists() and inspection.order.hazards.exists()
    assert Inspection.objects.filter(status=InspectionStatus.IN_PROGRESS).exists()
    assert Hazard.objects.filter(
        level=HazardLevel.MAJOR, finding__checklist_item__clause__isnull=False
    ).exists()


def test_it_generates_the_statistics_of_the_last_quarter_for_every_enterprise(seeded):
    from hazards.lib.calendar import previous_quarter
    from hazards.models import QuarterlyStatistics

    year, quarter = previous_quarter(timezone.localdate())
    rows = QuarterlyStatistics.objects.filter(year=year, quarter=quarter)
    assert rows.count() == Enterprise.objects.count()


def test_it_publishes_last_quarters_ranking_and_drafts_the_current_one(seeded):
    from hazards.lib.calendar import previous_quarter, quarter_of

    today = timezone.localdate()
    last = RankingRun.objects.get(year=previous_quarter(today)[0], quarter=previous_quarter(today)[1])
    current = RankingRun.objects.get(year=quarter_of(today)[0], quarter=quarter_of(today)[1])
    assert last.is_published and last.published_by.username == "supervisor" and last.scope.code == "210000"
    assert not current.is_published
    assert last.entries.filter(kind="region").count() == 14
    assert (
        current.entries.filter(kind="enterprise").count()
        == Enterprise.objects.exclude(status="closed").count()
    )
