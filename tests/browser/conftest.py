"""The browser harness: headless Chromium driven by Playwright against pytest-django's live server.

Fixtures for the journeys in this folder:

- `browser`: one Chromium for the whole session (Debian's /usr/bin/chromium, never a downloaded one);
- `new_page(locale="zh-CN", viewport=PHONE)`: a page in a fresh context (own cookies), closed after the test;
- `page`: a phone-sized page with locale zh-CN;
- `reference_data`: the sectors and criteria (data migrations) back in the emptied transactional database;
- `demo`: the demo data (`seed_demo`) in the live server's database; `live_server` serves it;
- `log_in(page, username)`: logs a demo user in through the login form and waits for the home page.

When a test fails, a screenshot of each of its pages is saved under var/test-screenshots/. A test fails when
any of its pages reports a violation of the content security policy (what the browser refused is named).
"""

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from hazards.services.demo import DEMO_PASSWORD
from tests.chromium import CSP_VIOLATION

PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "var" / "test-screenshots"


@pytest.fixture
def new_page(browser: Browser, live_server, request) -> Iterator[Callable[..., Page]]:
    """A factory of pages, each in its own browser context; all are closed when the test ends."""
    contexts = []
    violations: list[str] = []

    def watch(page: Page) -> None:
        def on_console(message) -> None:
            if CSP_VIOLATION in message.text:
                violations.append(f"{page.url}: {message.text}")

        def on_page_error(error) -> None:
            if CSP_VIOLATION in str(error):
                violations.append(f"{page.url}: {error}")

        page.on("console", on_console)
        page.on("pageerror", on_page_error)

    def make(locale: str = "zh-CN", viewport: dict | None = None) -> Page:
        context = browser.new_context(base_url=live_server.url, locale=locale, viewport=viewport or PHONE)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", watch)  # popups and new tabs too
        contexts.append(context)
        return context.new_page()

    make.csp_violations = violations  # what the pages reported so far; a test that provokes one clears it
    yield make

    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        pages = [page for context in contexts for page in context.pages]
        for index, page in enumerate(pages):
            suffix = f"-{index}" if len(pages) > 1 else ""
            try:
                page.screenshot(path=SCREENSHOT_DIR / f"{name}{suffix}.png", full_page=True)
            except Exception as exc:  # a crashed page must not hide the test's own failure
                print(f"No screenshot of {page.url}: {exc}")
    for context in contexts:
        context.close()
    if violations:
        pytest.fail("The content security policy refused:\n" + "\n".join(violations), pytrace=False)


@pytest.fixture
def page(new_page) -> Page:
    """A phone-sized page (390x844) whose browser asks for Chinese (zh-CN)."""
    return new_page()


@pytest.fixture
def demo(live_server, reference_data, evidence_root) -> None:
    """The demo data set (Liaoning's regions, ~200 enterprises, one user per role) for the live server."""
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def log_in(demo) -> Callable[..., None]:
    """Log a demo user in through the login form; returns once the home page shows the greeting."""

    def log_in_as(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(password)
        page.locator("form[action='/accounts/login/'] button[type=submit]").click()
        expect(page.get_by_test_id("greeting")).to_be_visible()

    return log_in_as
