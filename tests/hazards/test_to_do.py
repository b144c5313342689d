"""The home page's to-do lists: what waits for each role, only from its own scope, each item a link."""

import pytest
from django.urls import reverse

from hazards.models import ExtensionRequest, RectificationPlan
from hazards.selectors.todo import to_do_lists
from tests.factories import HazardFactory


def lists(user) -> dict[str, set[int]]:
    return {to_do.key: {hazard.pk for hazard in to_do.hazards} for to_do in to_do_lists(user)}


def pending_extension(hazard, user):
    ExtensionRequest.objects.create(
        hazard=hazard,
        current_deadline=hazard.deadline,
        requested_deadline=hazard.deadline.replace(year=hazard.deadline.year + 1),
        reasons="设备到货延迟",
        requested_by=user,
    )


def plan(hazard, user):
    RectificationPlan.objects.create(
        hazard=hazard,
        responsible_person="钱七",
        measures="停用",
        funds_amount=1,
        deadline=hazard.deadline,
        emergency_plan="方案",
        filed_by=user,
    )


@pytest.fixture
def world(make_hazard, outside_hazard, cast):
    """Here (和平区) and in Dalian: an open, a submitted, a major without plan, a major with plan, a listed
    major with a pending extension."""

    def place(**traits):
        here = make_hazard(**traits)
        there = HazardFactory(of_another_region=True, found_by=cast.dalian_inspector, **traits)
        return here, there

    made = {
        "open": place(),
        "submitted": place(submitted=True),
        "major": place(major=True),
        "planned": place(major=True),
        "extension": place(major=True, listed=True),
    }
    for here, there in [made["planned"], made["extension"]]:
        plan(here, cast.heping_staff)
        plan(there, cast.zhongshan_staff)
    pending_extension(made["extension"][0], cast.heping_staff)
    pending_extension(made["extension"][1], cast.zhongshan_staff)
    return {key: here.pk for key, (here, _there) in made.items()}


def test_an_enterprise_has_its_hazards_to_rectify_and_its_plans_to_file(world, cast):
    assert lists(cast.heping_staff) == {
        "rectify": {world["open"], world["major"], world["planned"], world["extension"]},
        "plans-to-file": {world["major"]},
    }


def test_an_inspector_has_hazards_to_verify_extensions_to_decide_and_plans_to_review(world, cast):
    assert lists(cast.heping_inspector) == {
        "verify": {world["submitted"]},
        "extensions": {world["extension"]},
        "plans-to-review": {world["planned"], world["extension"]},
    }


def test_a_supervisor_has_undecided_extensions_of_listed_hazards_and_major_hazards_to_list(world, cast):
    assert lists(cast.shenyang_supervisor) == {
        "extensions": {world["extension"]},
        "to-list": {world["major"], world["planned"]},
    }


def test_nobody_sees_the_work_of_another_scope(world, cast):
    for user in (cast.zhongshan_staff, cast.zhongshan_inspector, cast.dalian_supervisor):
        seen = set().union(*lists(user).values())
        # Dalian's own work is there; none of 和平区's.
        assert seen and not seen & set(world.values())


def test_the_home_page_shows_each_list_with_links_to_its_hazards(client, world, cast):
    client.force_login(cast.heping_inspector)
    page = client.get(reverse("home")).content.decode()
    for key in ("verify", "extensions", "plans-to-review"):
        assert f'data-testid="to-do-{key}"' in page
    assert reverse("hazard_detail", args=[world["submitted"]]) in page
    assert reverse("hazard_detail", args=[world["open"]]) not in page
    client.force_login(cast.heping_staff)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="to-do-rectify"' in page
    assert reverse("hazard_detail", args=[world["open"]]) in page
