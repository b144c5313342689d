"""Findings kept on the phone across an ended session, and kept apart between the users of one phone.

A finding sent after the session has ended stays on the phone (fields and photos), says to log in again, and
is sent once after the login. Logging out clears the user's findings; a finding left by one user (whose
session ended) is neither shown to nor sent by the next user of the same browser.
"""

import time

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import Page, expect

from hazards.models import Hazard, User
from hazards.services.demo import DEMO_PASSWORD
from tests.browser import test_inspection_journey as journey
from tests.browser.test_inspection_journey import fill_finding, start_inspection
from tests.browser.test_login import open_menu

pytestmark = pytest.mark.browser

enterprise = journey.enterprise  # an enterprise of the inspector's city, with no inspection yet

NOTHING_WAITING = "() => window.portalFindings.pending.all().then(items => items.length === 0)"
# Every finding in the store, whoever kept it: what the phone holds, not what the page shows.
KEPT_ON_THE_PHONE = """() => new Promise((resolve, reject) => {
    const opened = indexedDB.open("portal-findings", 1);
    opened.onerror = () => reject(opened.error);
    opened.onsuccess = () => {
        const all = opened.result.transaction("pending").objectStore("pending").getAll();
        all.onsuccess = () => { resolve(all.result.length); opened.result.close(); };
    };
})"""


def keep_a_finding(page: Page, description: str, seed: int, *, session_ends: bool = False) -> None:
    """Type a finding with a photo and send it while its sending fails, or after the session has ended."""
    page.get_by_test_id("log-other-finding").click()
    form = page.get_by_test_id("finding-form")
    form.locator("[name=description]").fill(description)
    fill_finding(page, seed=seed)
    if session_ends:
        Session.objects.all().delete()
    else:  # the network drops for the findings only, so the phone can still log out
        page.route("**/findings/new/**", lambda route: route.abort())
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("pending-findings")).to_contain_text(description)
    page.unroute("**/findings/new/**")


def wait_until_sent(page: Page, inspection_id: int) -> Hazard:
    """The phone's list empties once the server has answered with the hazard."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        hazard = Hazard.objects.filter(finding__inspection_id=inspection_id).first()
        if hazard is not None and page.evaluate(NOTHING_WAITING):
            return hazard
        page.wait_for_timeout(250)
    raise AssertionError("the finding kept on the phone was not sent")


def log_out(page: Page) -> None:
    open_menu(page)
    page.get_by_test_id("logout-form").locator("button[type=submit]").click()
    expect(page.locator("input[name=username]")).to_be_visible()


def test_a_finding_sent_after_the_session_ended_is_kept_and_sent_once_after_the_login(
    page, log_in, enterprise
):
    log_in(page, "inspector")
    inspection_id = start_inspection(page, enterprise)
    keep_a_finding(page, "配电箱门未上锁", seed=31, session_ends=True)

    pending = page.get_by_test_id("pending-findings")
    expect(pending).to_contain_text("请重新登录后发送")
    assert not Hazard.objects.filter(finding__inspection_id=inspection_id).exists()

    log_in(page, "inspector")
    hazard = wait_until_sent(page, inspection_id)
    assert hazard.description == "配电箱门未上锁" and hazard.evidence.count() == 1

    # Another page, another flush: nothing is sent a second time.
    page.goto(f"/inspections/{inspection_id}/")
    page.evaluate("window.portalFindings.flush()")
    expect(pending).to_be_hidden()
    assert Hazard.objects.filter(finding__inspection_id=inspection_id).count() == 1
    assert page.evaluate(KEPT_ON_THE_PHONE) == 0


def test_logging_out_clears_the_findings_kept_on_the_phone(page, log_in, enterprise):
    log_in(page, "inspector")
    inspection_id = start_inspection(page, enterprise)
    keep_a_finding(page, "灭火器过期", seed=32)
    assert page.evaluate(KEPT_ON_THE_PHONE) == 1

    log_out(page)
    assert page.evaluate(KEPT_ON_THE_PHONE) == 0

    log_in(page, "inspector")
    page.goto(f"/inspections/{inspection_id}/")
    expect(page.get_by_test_id("pending-findings")).to_be_hidden()
    assert not Hazard.objects.filter(finding__inspection_id=inspection_id).exists()


def test_the_next_user_of_the_phone_never_sees_nor_sends_the_findings_left_on_it(page, log_in, enterprise):
    inspector = User.objects.get(username="inspector")
    User.objects.create_user(
        username="inspector2", password=DEMO_PASSWORD, role=inspector.role, region=inspector.region
    )
    log_in(page, "inspector")
    inspection_id = start_inspection(page, enterprise)
    keep_a_finding(page, "安全出口被锁闭", seed=33, session_ends=True)

    # Same browser, same phone: the next inspector logs in and opens the same inspection.
    log_in(page, "inspector2")
    page.goto(f"/inspections/{inspection_id}/")
    page.evaluate("window.portalFindings.flush()")
    expect(page.get_by_test_id("pending-findings")).to_be_hidden()
    expect(page.locator("body")).not_to_contain_text("安全出口被锁闭")
    assert page.evaluate(NOTHING_WAITING)
    assert page.evaluate(KEPT_ON_THE_PHONE) == 1
    assert not Hazard.objects.filter(finding__inspection_id=inspection_id).exists()

    # Its own user, back on the phone, sends it.
    log_out(page)
    log_in(page, "inspector")
    hazard = wait_until_sent(page, inspection_id)
    assert hazard.found_by == inspector and hazard.evidence.count() == 1
