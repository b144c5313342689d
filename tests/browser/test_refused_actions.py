"""A refused action on a phone (390 px): its message is where the eye is, and what was typed is kept.

The page answering a refused form is long on a phone (the facts, evidence and timeline come before the forms);
it scrolls to the refused form's message and focuses it, and the form keeps the typed text.
"""

import re

import pytest
from playwright.sync_api import expect

from hazards.models import EvidenceStage, Hazard, HazardStatus, User
from tests.browser.test_inspection_journey import enterprise, start_inspection  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def to_rectify(demo) -> Hazard:
    """An open general hazard of the demo enterprise with no rectification evidence yet."""
    owner = User.objects.get(username="enterprise").enterprise
    return (
        Hazard.objects.filter(enterprise=owner, status=HazardStatus.OPEN, level="general")
        .exclude(evidence__stage=EvidenceStage.RECTIFIED)
        .exclude(extensions__status="pending")
        .order_by("deadline")
        .first()
    )


def test_a_submission_without_evidence_is_refused_in_view_with_the_comment_kept(page, log_in, to_rectify):
    log_in(page, "enterprise")
    hazard_url = f"/hazards/{to_rectify.pk}/"
    page.goto(hazard_url)
    form = page.locator(f"#action-submit form[action='{hazard_url}submit/']")
    form.locator("[name=comment]").fill("已更换全部灭火器")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")

    message = page.locator("#action-submit [data-testid=form-error]")
    expect(message).to_be_in_viewport()
    expect(message).to_be_focused()
    expect(page.locator("#action-submit [name=comment]")).to_have_value("已更换全部灭火器")
    # Also said at the top of the page, with a link back to the form.
    expect(page.get_by_test_id("action-refusal")).to_contain_text(message.inner_text())
    # A reload of the action's address (a GET) shows the hazard's page, not a blank 405.
    response = page.goto(f"{hazard_url}submit/")
    assert response.ok
    expect(page).to_have_url(re.compile(f"{hazard_url}$"))


def test_completing_an_unanswered_inspection_is_refused_in_view(page, log_in, enterprise):  # noqa: F811
    log_in(page, "inspector")
    inspection_id = start_inspection(page, enterprise)
    page.get_by_test_id("complete").locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    message = page.get_by_test_id("complete-error")
    expect(message).to_be_in_viewport()
    expect(message).to_be_focused()
    expect(page.get_by_test_id("action-refusal")).to_contain_text(message.inner_text())
    page.goto(f"/inspections/{inspection_id}/complete/")
    expect(page).to_have_url(re.compile(rf"/inspections/{inspection_id}/$"))
