"""An inspection on a phone, and a finding that survives a dropped network.

An inspector starts an inspection from a search, fails an item, logs a major finding with a photo, completes
and reads the order; a finding typed offline is kept on the phone and sent once the network returns, once.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from hazards.models import Enterprise, Hazard, HazardLevel, User
from inspections.models import ChecklistTemplate, Inspection, InspectionStatus
from tests.factories import photo_upload

pytestmark = pytest.mark.browser


@pytest.fixture
def enterprise(demo) -> Enterprise:
    """An enterprise of the inspector's city, with no inspection yet, whose checklist has a criterion item."""
    user = User.objects.get(username="inspector")
    sectors = ChecklistTemplate.objects.filter(versions__items__clause__isnull=False).values("sector")
    return (
        Enterprise.objects.visible_to(user)
        .filter(sector__in=sectors, inspections__isnull=True)
        .order_by("name")
        .first()
    )


def start_inspection(page: Page, enterprise: Enterprise) -> int:
    page.goto("/inspections/new/")
    search = page.get_by_test_id("enterprise-search")
    search.locator("input").fill(enterprise.credit_code[-6:])
    search.locator("button[type=submit]").click()
    page.get_by_test_id("enterprise-result").filter(has_text=enterprise.name).click()
    page.get_by_test_id("start-form").locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/inspections/\d+/$"))
    return int(re.search(r"/inspections/(\d+)/$", page.url).group(1))


def fill_finding(page: Page, seed: int) -> None:
    form = page.get_by_test_id("finding-form")
    form.locator("[name=location]").fill("储罐区")
    form.locator("[name=measures]").fill("按标准整改并复核")
    form.locator("[name=responsible_person]").fill("孙八")
    photo = photo_upload("现场.jpg", seed=seed)
    form.locator("input[name=photos]").set_input_files(
        {"name": photo.name, "mimeType": "image/jpeg", "buffer": photo.read()}
    )


def fits_a_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_inspector_runs_an_inspection_end_to_end_on_a_phone(page, log_in, enterprise):
    log_in(page, "inspector")
    inspection_id = start_inspection(page, enterprise)
    assert fits_a_phone(page)

    # Fail the first item that points to a criterion: the finding form comes prefilled as major.
    major_row = page.locator(".checklist-row").filter(has=page.locator(".badge.text-bg-danger")).first
    major_row.locator("button[value=fail]").click()
    expect(page.get_by_test_id("finding-form")).to_be_visible()
    expect(page.locator("[name=level]")).to_have_value(HazardLevel.MAJOR)
    assert page.locator("[name=criterion]").input_value() != ""
    assert fits_a_phone(page)
    fill_finding(page, seed=21)
    page.get_by_test_id("finding-form").locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/inspections/{inspection_id}/$"))

    # Every other item passes; then complete and read the order.
    while page.locator(".checklist-row:not([class*=answer-]) button[value=pass]").count():
        page.locator(".checklist-row:not([class*=answer-]) button[value=pass]").first.click()
        page.wait_for_load_state("load")
    page.get_by_test_id("complete").locator("button[type=submit]").click()
    expect(page.get_by_test_id("order-link")).to_be_visible()
    page.get_by_test_id("order-link").click()

    inspection = Inspection.objects.get(pk=inspection_id)
    hazard = Hazard.objects.get(finding__inspection=inspection)
    assert inspection.status == InspectionStatus.COMPLETED
    assert (hazard.level, hazard.criterion_id, hazard.evidence.count()) == (
        HazardLevel.MAJOR,
        hazard.finding.checklist_item.clause_id,
        1,
    )
    expect(page.locator("body")).to_contain_text(inspection.order.number)
    expect(page.locator("body")).to_contain_text(hazard.number)
    assert fits_a_phone(page)


def test_a_finding_typed_while_offline_is_kept_on_the_phone_and_sent_once_online(page, log_in, enterprise):
    log_in(page, "inspector")
    inspection_id = start_inspection(page, enterprise)
    page.get_by_test_id("log-other-finding").click()
    form = page.get_by_test_id("finding-form")
    form.locator("[name=description]").fill("消防通道被货物堵塞")
    fill_finding(page, seed=22)

    page.context.set_offline(True)
    form.locator("button[type=submit]").click()
    pending = page.get_by_test_id("pending-findings")
    expect(pending).to_be_visible()
    expect(pending).to_contain_text("消防通道被货物堵塞")
    assert not Hazard.objects.filter(finding__inspection_id=inspection_id).exists()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(pending).to_be_hidden(timeout=15000)
    hazard = Hazard.objects.get(finding__inspection_id=inspection_id)
    assert hazard.description == "消防通道被货物堵塞" and hazard.evidence.count() == 1

    # The same finding sent again (a retry after a lost answer) still makes one hazard.
    key = str(hazard.finding.idempotency_key)
    page.evaluate(
        """key => {
            const token = document.querySelector('[name=csrfmiddlewaretoken]').value;
            return window.portalFindings.pending.put({key: key, url: location.pathname, fields: [
                {name: 'idempotency_key', value: key},
                {name: 'csrfmiddlewaretoken', value: token},
                {name: 'description', value: '消防通道被货物堵塞'},
            ]});
        }""",
        key,
    )
    page.evaluate("window.portalFindings.flush()")
    page.wait_for_function("() => window.portalFindings.pending.all().then(items => items.length === 0)")
    assert Hazard.objects.filter(finding__inspection_id=inspection_id).count() == 1
