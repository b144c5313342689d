"""The finding form on a phone, for a checklist item tied to a major-hazard criterion: logged as general it
drops the criterion, a field with an error stays shown, and a refused form asks for its photos again."""

import re

import pytest
from playwright.sync_api import Page, expect

from hazards.models import Hazard, HazardLevel
from tests.browser.test_inspection_journey import enterprise, fill_finding, start_inspection  # noqa: F401

pytestmark = pytest.mark.browser


def open_major_finding(page: Page, enterprise) -> int:  # noqa: F811
    inspection_id = start_inspection(page, enterprise)
    major_row = page.locator(".checklist-row").filter(has=page.locator(".badge.text-bg-danger")).first
    major_row.locator("button[value=fail]").click()
    expect(page.get_by_test_id("finding-form")).to_be_visible()
    expect(page.locator("[name=level]")).to_have_value(HazardLevel.MAJOR)
    return inspection_id


def test_a_criterion_item_logged_as_general_drops_its_criterion(page, log_in, enterprise):  # noqa: F811
    log_in(page, "inspector")
    inspection_id = open_major_finding(page, enterprise)
    form = page.get_by_test_id("finding-form")
    form.locator("[name=level]").select_option(HazardLevel.GENERAL)
    expect(page.locator("#field-criterion")).to_be_hidden()
    fill_finding(page, seed=31)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/inspections/{inspection_id}/$"))
    hazard = Hazard.objects.get(finding__inspection_id=inspection_id)
    assert (hazard.level, hazard.criterion_id) == (HazardLevel.GENERAL, None)


def test_a_refused_finding_keeps_its_error_shown_and_asks_for_the_photos_again(
    page,
    log_in,
    enterprise,  # noqa: F811
):
    log_in(page, "inspector")
    inspection_id = open_major_finding(page, enterprise)
    form = page.get_by_test_id("finding-form")
    form.locator("[name=criterion]").select_option("")
    fill_finding(page, seed=32)
    form.locator("button[type=submit]").click()

    criterion = page.locator("#field-criterion")
    expect(criterion.get_by_test_id("field-error")).to_be_visible()
    expect(page.locator("#field-photos").get_by_test_id("choose-again")).to_be_visible()
    # The error stays in sight whatever level is chosen next.
    page.locator("[name=level]").select_option(HazardLevel.GENERAL)
    expect(criterion).to_be_visible()
    assert not Hazard.objects.filter(finding__inspection_id=inspection_id).exists()
