"""The browser enforces the portal's content security policy, and the harness fails a test on a violation."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_inline_script_is_refused_and_reported(new_page, live_server, db):
    page = new_page()
    page.goto("/accounts/login/")
    expect(page.locator("input[name=username]")).to_be_visible()
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)  # the console message arrives asynchronously
    assert page.evaluate("() => window.injected") is None
    assert any("Content Security Policy" in violation for violation in new_page.csp_violations)
    new_page.csp_violations.clear()  # provoked on purpose: the harness must not fail this test
