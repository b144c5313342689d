"""A major hazard from the site to its closing, over the production-like stack, all in Chinese.

An inspector on a phone logs a major finding with a photo during an inspection; beat's deadline sweep and the
worker tell the enterprise, whose user (on a phone) acknowledges the notice, files the rectification plan,
uploads evidence and submits; the inspector verifies on site and closes the hazard; a supervisor on a desktop
sees the dashboard's figures move and the hazard's notice trail. Every page is checked for English words, and
each step leaves a screenshot under var/test-screenshots/e2e/.
"""

import datetime
import re
import time
import zoneinfo

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP, Journey
from tests.e2e.stack import SWEEP_EVERY_SECONDS, Stack
from tests.factories import pdf_bytes, photo_upload

pytestmark = pytest.mark.e2e

PASSWORD = "demo-portal-2026"  # hazards.services.demo.DEMO_PASSWORD, what seed_demo gives every demo user
FIGURES = ("open", "major_open", "closed_quarter")
# The message of a due-soon email (templates/emails/notices/due_soon.txt).
DUE_SOON_EMAIL = (
    "The rectification of this hazard is due on %(deadline)s. Upload the evidence and submit it for "
    "verification before then."
)


def today() -> datetime.date:
    return datetime.datetime.now(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()


def log_in(page: Page, journey: Journey, username: str) -> None:
    page.goto("/accounts/login/")
    journey.step(page, f"{username}-login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    expect(page.get_by_test_id("greeting")).to_be_visible()
    journey.step(page, f"{username}-home")


def figures(page: Page) -> dict[str, int]:
    """The dashboard's headline figures that a major hazard's life moves."""
    values = {}
    for key in FIGURES:
        text = page.get_by_test_id(f"figure-{key}").locator(".fs-3").inner_text()
        values[key] = int(re.sub(r"\D", "", text))
    return values


def open_panel(page: Page, key: str) -> None:
    panel = page.locator(f"#action-{key}")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()


def upload(page: Page, name: str, mime: str, content: bytes, stage: str) -> None:
    form = page.get_by_test_id("evidence-upload")
    form.locator("input[type=file]").set_input_files({"name": name, "mimeType": mime, "buffer": content})
    form.locator("select[name=stage]").select_option(stage)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")


def test_a_major_hazard_goes_from_the_site_to_closing_over_the_production_stack(
    stack: Stack, new_page, journey: Journey
):
    started = time.monotonic()
    ((enterprise_name, credit_code),) = stack.query(
        "SELECT e.name, e.credit_code FROM hazards_user u "
        "JOIN hazards_enterprise e ON e.id = u.enterprise_id WHERE u.username = 'enterprise'"
    )
    # Inside the due-soon window (NOTICE_DUE_SOON_DAYS, 3): the sweep tells the enterprise at once.
    deadline = today() + datetime.timedelta(days=2)

    # The supervisor, at a desk, reads the dashboard before anything happens.
    supervisor = new_page(viewport=DESKTOP)
    log_in(supervisor, journey, "supervisor")
    supervisor.goto("/dashboard/")
    before = figures(supervisor)
    journey.step(supervisor, "supervisor-dashboard-before")

    # The inspector, on a phone, starts an inspection of the enterprise with its sector's checklist.
    inspector = new_page()
    log_in(inspector, journey, "inspector")
    inspector.goto("/inspections/new/")
    journey.check(inspector, "inspector-new-inspection")
    search = inspector.get_by_test_id("enterprise-search")
    search.locator("input").fill(credit_code[-6:])
    search.locator("button[type=submit]").click()
    result = inspector.get_by_test_id("enterprise-result").filter(has_text=enterprise_name)
    expect(result).to_be_visible()
    journey.check(inspector, "inspector-search")
    result.click()
    expect(inspector.get_by_test_id("start-form")).to_be_visible()
    journey.step(inspector, "inspector-start-inspection")
    inspector.get_by_test_id("start-form").locator("button[type=submit]").click()
    expect(inspector).to_have_url(re.compile(r"/inspections/\d+/$"))
    inspection_url = re.sub(r"^https?://[^/]+", "", inspector.url)
    journey.step(inspector, "inspector-checklist")

    # An item that points to a major-hazard criterion fails: the finding comes as major, with a photo.
    criterion_badge = inspector.locator(".badge.text-bg-danger")
    major_row = inspector.locator(".checklist-row").filter(has=criterion_badge).first
    major_row.locator("button[value=fail]").click()
    form = inspector.get_by_test_id("finding-form")
    expect(form).to_be_visible()
    expect(form.locator("[name=level]")).to_have_value("major")
    form.locator("[name=location]").fill("甲类仓库东侧")
    form.locator("[name=measures]").fill("立即停用并更换泄漏报警装置，整改完成前设专人监护")
    form.locator("[name=responsible_person]").fill("孙八")
    form.locator("[name=deadline]").fill(deadline.isoformat())
    photo = photo_upload("现场.jpg", seed=7)
    form.locator("input[name=photos]").set_input_files(
        {"name": photo.name, "mimeType": "image/jpeg", "buffer": photo.read()}
    )
    journey.step(inspector, "inspector-major-finding")
    form.locator("button[type=submit]").click()
    expect(inspector).to_have_url(re.compile(f"{inspection_url}$"))
    expect(inspector.get_by_test_id("finding")).to_have_count(1)
    journey.step(inspector, "inspector-finding-logged")
    ((hazard_id, number, level, status),) = stack.query(
        "SELECT h.id, h.number, h.level, h.status FROM hazards_hazard h JOIN inspections_finding f "
        "ON f.hazard_id = h.id WHERE f.inspection_id = %s",
        int(inspection_url.strip("/").rsplit("/", 1)[-1]),
    )
    assert (level, status) == ("major", "open")
    hazard_url = f"/hazards/{hazard_id}/"

    # Every other item passes; the inspection completes with its rectification order.
    while inspector.locator(".checklist-row:not([class*=answer-]) button[value=pass]").count():
        inspector.locator(".checklist-row:not([class*=answer-]) button[value=pass]").first.click()
        inspector.wait_for_load_state("load")
        journey.check(inspector, "inspector-checklist")
    inspector.get_by_test_id("complete").locator("button[type=submit]").click()
    expect(inspector.get_by_test_id("order-link")).to_be_visible()
    journey.check(inspector, "inspector-completed")
    inspector.get_by_test_id("order-link").click()
    expect(inspector.locator("body")).to_contain_text(number)
    journey.step(inspector, "inspector-rectification-order")

    # The supervisor's dashboard counts the new major hazard.
    supervisor.reload()
    logged = figures(supervisor)
    assert logged["open"] == before["open"] + 1
    assert logged["major_open"] == before["major_open"] + 1
    journey.step(supervisor, "supervisor-dashboard-logged")

    # The enterprise, on a phone, finds the hazard on its to-do list.
    enterprise = new_page()
    log_in(enterprise, journey, "enterprise")
    to_do = enterprise.get_by_test_id("to-do")
    expect(to_do.get_by_test_id("to-do-rectify").locator(f"a[href='{hazard_url}']")).to_be_visible()
    expect(to_do.get_by_test_id("to-do-plans-to-file").locator(f"a[href='{hazard_url}']")).to_be_visible()
    enterprise.goto("/hazards/")
    journey.check(enterprise, "enterprise-hazards")
    enterprise.locator(f"a[href='{hazard_url}']").first.click()
    expect(enterprise.get_by_test_id("hazard-number")).to_have_text(number)
    journey.step(enterprise, "enterprise-hazard")

    # The order reached the inbox when the hazard was logged; beat's sweep then finds the deadline near and
    # the worker delivers that notice too, the newest first.
    notices = enterprise.get_by_test_id("notice").filter(has=enterprise.locator(f"a[href='{hazard_url}']"))
    wait_until = time.monotonic() + 4 * SWEEP_EVERY_SECONDS
    enterprise.goto("/notices/")
    while notices.count() < 2 and time.monotonic() < wait_until:
        enterprise.wait_for_timeout(1000)
        enterprise.reload()
    expect(notices).to_have_count(2)
    notice = notices.first
    journey.step(enterprise, "enterprise-notice")
    notice.get_by_role("button", name="确认收到").click()
    expect(notice.get_by_test_id("acknowledged")).to_be_visible()
    journey.step(enterprise, "enterprise-notice-acknowledged")

    # The rectification plan of five implementations.
    enterprise.goto(hazard_url)
    open_panel(enterprise, "plan")
    plan = enterprise.locator(f"#action-plan form[action='{hazard_url}plan/']")
    plan.locator("[name=responsible_person]").fill("张安全")
    plan.locator("[name=measures]").fill("更换可燃气体报警器，加装紧急切断阀并联调")
    plan.locator("[name=funds_amount]").fill("48000")
    plan.locator("[name=deadline]").fill(deadline.isoformat())
    plan.locator("[name=emergency_plan]").fill("泄漏时立即启动专项应急预案，疏散仓库人员")
    journey.step(enterprise, "enterprise-plan")
    plan.locator("button[type=submit]").click()
    expect(enterprise.get_by_test_id("plan")).to_contain_text("48000")
    journey.step(enterprise, "enterprise-plan-filed")

    # Evidence: a photo after rectification and the assessment report; then the submission.
    after = photo_upload("整改后.jpg", seed=8)
    upload(enterprise, after.name, "image/jpeg", after.read(), "rectified")
    expect(enterprise.get_by_test_id("evidence").locator("img.evidence-thumb")).to_have_count(2)
    upload(enterprise, "评估报告.pdf", "application/pdf", pdf_bytes(), "assessment")
    expect(enterprise.get_by_test_id("documents")).to_contain_text("评估报告.pdf")
    journey.step(enterprise, "enterprise-evidence")
    open_panel(enterprise, "submit")
    enterprise.locator(f"#action-submit form[action='{hazard_url}submit/'] button[type=submit]").click()
    expect(enterprise.get_by_test_id("hazard-status")).to_contain_text("待复查")
    journey.step(enterprise, "enterprise-submitted")

    # The inspector finds it awaiting review, records the on-site review and closes it.
    inspector.goto("/hazards/?status=submitted")
    expect(inspector.locator(f"a[href='{hazard_url}']").first).to_be_visible()
    journey.step(inspector, "inspector-awaiting-review")
    inspector.goto(hazard_url)
    open_panel(inspector, "verify")
    verify = inspector.locator(f"form[action='{hazard_url}verify/']")
    verify.locator("[name=comment]").fill("现场复查，报警器与切断阀运行正常，整改到位")
    verify.locator("[name=reviewed_on_site_on]").fill(today().isoformat())
    journey.step(inspector, "inspector-verify")
    verify.locator("button[type=submit]").click()
    expect(inspector.get_by_test_id("hazard-status")).to_contain_text("已销号")
    journey.step(inspector, "inspector-closed")

    # The supervisor: the figures are back for open hazards, and one more closed this quarter.
    supervisor.goto("/dashboard/")
    closed = figures(supervisor)
    assert closed["major_open"] == before["major_open"]
    assert closed["open"] == before["open"]
    assert closed["closed_quarter"] == before["closed_quarter"] + 1
    journey.step(supervisor, "supervisor-dashboard-closed")

    # The hazard's notice trail: told by the sweep, delivered by the worker, acknowledged; then the timeline.
    supervisor.goto(hazard_url)
    trail = supervisor.get_by_test_id("notices").locator(".hazard-notice[data-kind=due_soon]")
    expect(trail).to_have_count(1)
    expect(trail).to_contain_text(enterprise_name)
    expect(trail.locator(".notice-delivery[data-channel=in_app]")).to_have_attribute("data-state", "sent")
    expect(trail.locator(".notice-delivery[data-channel=email]")).to_have_attribute("data-state", "sent")
    expect(trail).to_contain_text("已确认")
    kinds = supervisor.locator("[data-testid=timeline] .timeline-event").evaluate_all(
        "items => items.map(item => item.dataset.kind)"
    )
    assert kinds[0] == "logged" and kinds[-1] == "verified"
    assert {"acknowledged", "plan_filed", "evidence_added", "submitted"} <= set(kinds)
    journey.step(supervisor, "supervisor-notice-trail")
    supervisor.goto("/notices/")
    expect(supervisor.get_by_test_id("notice").first).to_be_visible()
    journey.step(supervisor, "supervisor-notices")

    # The notice went through the real worker: beat sent the sweep, the worker ran it and the sends.
    beat_log = stack.process("celery-beat").output()
    assert "Sending due task sweep-deadlines (hazards.sweep_deadlines)" in beat_log
    worker_log = stack.process("celery-worker").output(limit=10_000_000)
    assert re.search(r"Task hazards\.sweep_deadlines\[[\w-]+\] succeeded", worker_log)
    assert re.search(r"Task hazards\.send_delivery\[[\w-]+\] succeeded", worker_log)
    assert stack.query(
        "SELECT d.channel, d.state FROM hazards_noticedelivery d JOIN hazards_notice n ON n.id = d.notice_id "
        "WHERE n.hazard_id = %s AND n.kind = 'due_soon' ORDER BY d.channel",
        hazard_id,
    ) == [("email", "sent"), ("in_app", "sent")]
    ((status,),) = stack.query("SELECT status FROM hazards_hazard WHERE id = %s", hazard_id)
    assert status == "closed"
    # The worker wrote the enterprise's email in the user's language (Chinese), as the console shows it.
    with translation.override("zh-hans"):
        due_soon = gettext(DUE_SOON_EMAIL) % {"deadline": deadline.isoformat()}
    assert due_soon != DUE_SOON_EMAIL % {"deadline": deadline.isoformat()}
    assert due_soon in worker_log

    # All in Chinese: no page showed an English word, and no page escaped the check.
    journey.assert_all_chinese()
    journey.assert_no_csp_violation()
    print(f"Stack start-up (s): {stack.timings}; the journey: {time.monotonic() - started:.1f}s.")
