"""The end-to-end harness: the production-like stack (tests/e2e/stack.py), Chromium, and the journey's record.

- `stack`: gunicorn, a Celery worker and beat over a fresh PostgreSQL database and Redis database, started for
  the test and stopped after it; their logs are printed and kept under var/test-screenshots/e2e/logs/ when
  the test fails;
- `browser`: Debian's /usr/bin/chromium, headless, through Playwright;
- `new_page(viewport)`: a page in a fresh context (own cookies) that asks for Chinese (zh-CN);
- `journey`: saves a screenshot of each step to var/test-screenshots/e2e/NN-step-name.png and collects every
  English word the pages show (tests/e2e/chinese.py).
"""

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page

from tests.chromium import CSP_VIOLATION
from tests.e2e.chinese import COLLECT_JS, untranslated
from tests.e2e.stack import Stack, StackError

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000
ARTEFACTS = Path(settings.BASE_DIR) / "var" / "test-screenshots" / "e2e"


@pytest.fixture
def stack(request) -> Iterator[Stack]:
    failure = None
    try:
        with Stack.started(logs_to=ARTEFACTS / "logs") as running:
            yield running
            report = getattr(request.node, "rep_call", None)
            if report is None or report.failed:
                running.failed = True
                print(running.logs())
    except StackError as error:
        failure = f"{error}\n(every process's log is under {ARTEFACTS / 'logs'})"
    if failure:
        pytest.fail(failure, pytrace=False)


class Journey:
    """The record of a journey: a screenshot per step, and the English words found on every page loaded."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.screenshots: list[Path] = []
        self.findings: list[str] = []
        self.loaded: list[str] = []
        self.checked: set[str] = set()
        self.csp_violations: list[str] = []

    def watch(self, page: Page) -> None:
        """Remember every document the page loads, so that none escapes the check, and whatever the content
        security policy refused on it."""
        page.on("load", lambda loaded: self.loaded.append(loaded.url))

        def note(text: str) -> None:
            if CSP_VIOLATION in text:
                self.csp_violations.append(f"{_path(page.url)}: {text}")

        page.on("console", lambda message: note(message.text))
        page.on("pageerror", lambda error: note(str(error)))

    def check(self, page: Page, name: str) -> None:
        """Collect the English words the page shows now."""
        page.wait_for_load_state("load")
        self.checked.add(page.url)
        for finding in untranslated(page.evaluate(COLLECT_JS)):
            self.findings.append(f"{name} ({_path(page.url)}): {finding}")

    def step(self, page: Page, name: str) -> None:
        """A step of the story: the page is checked and its screenshot saved as NN-name.png."""
        self.check(page, name)
        path = self.folder / f"{len(self.screenshots) + 1:02d}-{name}.png"
        page.screenshot(path=path, full_page=True)
        self.screenshots.append(path)

    def unchecked(self) -> list[str]:
        return sorted({_path(url) for url in self.loaded if url not in self.checked})

    def assert_all_chinese(self) -> None:
        """No page showed an English word, and every page loaded was checked."""
        unchecked = self.unchecked()
        assert not unchecked, "Pages loaded but never checked: " + ", ".join(unchecked)
        assert not self.findings, "English words on Chinese pages:\n" + "\n".join(self.findings)

    def assert_no_csp_violation(self) -> None:
        """Every page ran under the production content security policy without a refusal."""
        assert not self.csp_violations, "Refused by the content security policy:\n" + "\n".join(
            self.csp_violations
        )


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def journey() -> Journey:
    shutil.rmtree(ARTEFACTS, ignore_errors=True)
    ARTEFACTS.mkdir(parents=True)
    return Journey(ARTEFACTS)


@pytest.fixture
def new_page(browser: Browser, stack: Stack, journey: Journey) -> Iterator[Callable[..., Page]]:
    """A factory of pages that ask for Chinese, each in its own browser context, closed when the test ends."""
    contexts = []

    def make(viewport: dict = PHONE) -> Page:
        context = browser.new_context(
            base_url=stack.url,
            locale="zh-CN",
            extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
            viewport=viewport,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        journey.watch(page)
        return page

    yield make
    for context in contexts:
        context.close()
