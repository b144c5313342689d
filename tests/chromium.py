"""Chromium for the browser tests (tests/browser) and the end-to-end suite (tests/e2e): one for the session.

Debian's /usr/bin/chromium, never a downloaded one, driven by Playwright's sync API. Playwright allows one
sync API per thread, so both suites share this one browser (tests/conftest.py offers the fixture).
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls made from the test
# (SynchronousOnlyOperation). The test does not run inside that loop, so this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Chromium's console message for whatever the content security policy refuses ("Refused to execute inline
# script because it violates the following Content Security Policy directive: ...").
CSP_VIOLATION = "Content Security Policy"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser and end-to-end tests need Debian's chromium at {CHROMIUM}: install it with "
            "`apt-get install -y chromium` (scripts/ensure-services.sh does; not `playwright install`).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
