"""An inspector changes a hazard's level: with a reason, on the timeline, counted, flagged in the ranking."""

import pytest
from django.urls import reverse

from hazards.lib.calendar import local_today, quarter_of
from hazards.lib.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from hazards.models import EventKind, HazardLevel
from hazards.services.counts import counts_differences
from hazards.services.major import hazard_reclassify
from hazards.services.rankings.compute import count_units
from tests.factories import HazardFactory, major_criterion

pytestmark = pytest.mark.django_db


@pytest.fixture
def major(liaoning, cast):
    return HazardFactory(
        enterprise=liaoning.enterprises["heping"], found_by=cast.heping_inspector, major=True, listed=True
    )


def test_a_major_hazard_made_general_loses_its_criterion_and_listing(major, cast):
    hazard_reclassify(
        actor=cast.heping_inspector, hazard_id=major.pk, level="general", reason="复核后不属于重大隐患"
    )
    major.refresh_from_db()
    assert (major.level, major.criterion) == (HazardLevel.GENERAL, None)
    assert major.listing.delisted_at is not None
    event = major.events.get(kind=EventKind.RECLASSIFIED)
    assert (event.data, event.comment) == (
        {"from_level": "major", "to_level": "general"},
        "复核后不属于重大隐患",
    )
    assert major.events.filter(kind=EventKind.DELISTED).exists()
    assert counts_differences() == []


def test_a_general_hazard_made_major_needs_its_criterion(liaoning, cast):
    general = HazardFactory(enterprise=liaoning.enterprises["heping"], found_by=cast.heping_inspector)
    with pytest.raises(RuleViolation, match="needs the criterion"):
        hazard_reclassify(actor=cast.heping_inspector, hazard_id=general.pk, level="major", reason="升级")
    criterion = major_criterion()
    hazard_reclassify(
        actor=cast.heping_inspector,
        hazard_id=general.pk,
        level="major",
        reason="升级",
        criterion_id=criterion.pk,
    )
    general.refresh_from_db()
    assert (general.level, general.criterion) == (HazardLevel.MAJOR, criterion)
    assert counts_differences() == []


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"level": "major"}, RuleViolation, "of this level already"),
        ({"level": "tiny"}, RuleViolation, "Choose general or major."),
        ({"reason": "  "}, RuleViolation, "Say why the level changes."),
    ],
)
def test_a_bad_change_is_refused_and_nothing_changes(major, cast, changes, error, message):
    with pytest.raises(error, match=message):
        hazard_reclassify(
            actor=cast.heping_inspector, hazard_id=major.pk, **({"level": "general", "reason": "x"} | changes)
        )
    major.refresh_from_db()
    assert major.level == HazardLevel.MAJOR and not major.events.filter(kind=EventKind.RECLASSIFIED).exists()


def test_only_an_inspector_of_the_scope_changes_a_level_while_it_is_open(liaoning, major, cast):
    for user in (cast.heping_staff, cast.shenyang_supervisor):
        with pytest.raises(ActionNotPermitted):
            hazard_reclassify(actor=user, hazard_id=major.pk, level="general", reason="x")
    with pytest.raises(type(major).DoesNotExist):
        hazard_reclassify(actor=cast.dalian_inspector, hazard_id=major.pk, level="general", reason="x")
    closed = HazardFactory(
        enterprise=liaoning.enterprises["heping"],
        found_by=cast.heping_inspector,
        closed=True,
        closed_at=major.found_at,
    )
    with pytest.raises(InvalidTransition):
        hazard_reclassify(actor=cast.heping_inspector, hazard_id=closed.pk, level="major", reason="x")


def test_the_ranking_flags_the_downgrades_of_the_quarter(liaoning, major, cast):
    hazard_reclassify(actor=cast.heping_inspector, hazard_id=major.pk, level="general", reason="复核")
    year, quarter = quarter_of(local_today())
    units = count_units(year, quarter, liaoning.province)
    assert units.regions[liaoning.shenyang.pk]["downgraded"] == 1
    assert units.regions[liaoning.dalian.pk]["downgraded"] == 0


def test_the_page_offers_the_change_to_the_inspector_and_applies_it(client, major, cast):
    client.force_login(cast.heping_inspector)
    page = client.get(reverse("hazard_detail", args=[major.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert reverse("hazard_reclassify", args=[major.pk]) in page.content.decode()
    response = client.post(
        reverse("hazard_reclassify", args=[major.pk]),
        {"level": "general", "reason": "复核"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    major.refresh_from_db()
    assert major.level == HazardLevel.GENERAL
    client.force_login(cast.heping_staff)
    page = client.get(reverse("hazard_detail", args=[major.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert reverse("hazard_reclassify", args=[major.pk]) not in page.content.decode()
    refused = client.post(reverse("hazard_reclassify", args=[major.pk]), {"level": "major", "reason": "x"})
    assert refused.status_code == 403
