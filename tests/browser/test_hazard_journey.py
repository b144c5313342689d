"""A hazard from rectification to closing, on phones.

The enterprise uploads a photo and submits, the inspector verifies, the hazard shows closed with its timeline.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from hazards.models import EventKind, EvidenceStage, Hazard, HazardStatus, User
from tests.factories import photo_upload

pytestmark = pytest.mark.browser


def open_panel(page: Page, key: str) -> None:
    """Unfold an action's panel (a <details>) unless it is open already."""
    panel = page.locator(f"#action-{key}")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()


@pytest.fixture
def to_rectify(demo) -> Hazard:
    """An open hazard of the demo enterprise with no rectification evidence yet."""
    enterprise = User.objects.get(username="enterprise").enterprise
    return (
        Hazard.objects.filter(enterprise=enterprise, status=HazardStatus.OPEN, level="general")
        .exclude(evidence__stage=EvidenceStage.RECTIFIED)
        .exclude(extensions__status="pending")
        .order_by("deadline")
        .first()
    )


def test_the_enterprise_rectifies_on_a_phone_and_the_inspector_closes_the_hazard(
    new_page, log_in, to_rectify
):
    hazard_url = f"/hazards/{to_rectify.pk}/"
    photo = photo_upload("整改后.jpg", seed=42)

    # The enterprise, on its phone: the to-do list leads to the hazard; upload a photo, then submit.
    phone = new_page()
    log_in(phone, "enterprise")
    phone.goto("/hazards/")
    phone.locator(f"a[href='{hazard_url}']").first.click()
    expect(phone).to_have_url(re.compile(f"{hazard_url}$"))
    upload = phone.get_by_test_id("evidence-upload")
    upload.locator("input[type=file]").set_input_files(
        {"name": photo.name, "mimeType": "image/jpeg", "buffer": photo.read()}
    )
    upload.locator("select[name=stage]").select_option(EvidenceStage.RECTIFIED.value)
    upload.locator("button[type=submit]").click()
    expect(phone.get_by_test_id("evidence").locator("img.evidence-thumb")).to_have_count(
        2
    )  # before and after
    open_panel(phone, "submit")
    phone.locator(f"#action-submit form[action='{hazard_url}submit/'] button[type=submit]").click()
    expect(phone.locator(f"form[action='{hazard_url}submit/']")).to_have_count(0)
    to_rectify.refresh_from_db()
    assert to_rectify.status == HazardStatus.SUBMITTED

    # The inspector, on another phone: the hazard awaits review; verify it.
    inspector_phone = new_page()
    log_in(inspector_phone, "inspector")
    inspector_phone.goto("/hazards/?status=submitted")
    expect(inspector_phone.locator(f"a[href='{hazard_url}']").first).to_be_visible()
    inspector_phone.goto(hazard_url)
    open_panel(inspector_phone, "verify")
    verify = inspector_phone.locator(f"form[action='{hazard_url}verify/']")
    verify.locator("textarea, input[name=comment]").first.fill("现场复查，整改到位")
    verify.locator("button[type=submit]").click()

    # Closed, with the whole timeline, for both of them.
    for page in (inspector_phone, phone):
        page.goto(hazard_url)
        expect(page.get_by_test_id("hazard-status")).to_contain_text("已销号")
        kinds = page.locator("[data-testid=timeline] .timeline-event").evaluate_all(
            "items => items.map(item => item.dataset.kind)"
        )
        assert kinds == [
            EventKind.LOGGED,
            EventKind.EVIDENCE_ADDED,
            EventKind.SUBMITTED,
            EventKind.VERIFIED,
        ]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    to_rectify.refresh_from_db()
    assert to_rectify.status == HazardStatus.CLOSED
    assert list(to_rectify.events.values_list("actor__username", flat=True)) == [
        "inspector",
        "enterprise",
        "enterprise",
        "inspector",
    ]
