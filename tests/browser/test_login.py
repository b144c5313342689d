"""Logging in on a phone: each demo user reaches a home page of their own scope, in the browser's language."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import Page, expect

from hazards.models import Enterprise, User

pytestmark = pytest.mark.browser

DEMO_USERNAMES = ["admin", "inspector", "supervisor", "enterprise"]
LOGIN_URL = "/accounts/login/"


def open_menu(page: Page) -> None:
    """On a phone the navbar is collapsed behind the toggler."""
    page.locator(".navbar-toggler").click()
    expect(page.locator("#portal-nav")).to_be_visible()


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_a_demo_user_logs_in_and_sees_the_enterprises_of_their_scope(page, log_in, live_server, username):
    user = User.objects.get(username=username)
    expected_count = Enterprise.objects.visible_to(user).count()
    assert expected_count > 0

    log_in(page, username)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("greeting")).to_contain_text(user.first_name)
    expect(page.get_by_test_id("enterprise-count")).to_have_text(str(expected_count))


def test_a_wrong_password_stays_on_the_login_page_with_an_error_and_no_session(page, demo, live_server):
    page.goto(LOGIN_URL)
    page.locator("input[name=username]").fill("inspector")
    page.locator("input[name=password]").fill("not-the-password")
    page.locator(f"form[action='{LOGIN_URL}'] button[type=submit]").click()

    expect(page.locator(".alert-danger")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}{LOGIN_URL}")
    expect(page.locator("input[name=username]")).to_have_value("inspector")
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}
    assert not Session.objects.exists()


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("zh-CN", "zh-hans")])
def test_the_login_page_speaks_the_browsers_language(new_page, locale, lang):
    page = new_page(locale=locale)
    page.goto(LOGIN_URL)
    expect(page.locator("html")).to_have_attribute("lang", lang)


def test_the_static_files_are_served_bootstrap_styles_and_scripts(page):
    failed = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(LOGIN_URL)
    page.wait_for_load_state("load")
    assert failed == []
    # Bootstrap's CSS shows the toggler on a phone and its bundle defines window.bootstrap.
    expect(page.locator(".navbar-toggler")).to_be_visible()
    expect(page.locator("#portal-nav")).to_be_hidden()
    assert page.evaluate("typeof window.bootstrap") == "object"


def test_the_language_switch_reloads_the_page_in_english(page, log_in, live_server):
    log_in(page, "inspector")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    open_menu(page)
    page.locator("#language-select").select_option("en")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("greeting")).to_contain_text("李检查")
    expect(page.locator("#language-select")).to_have_value("en")


def test_logging_out_returns_to_the_login_page_and_home_then_asks_to_log_in(page, log_in, live_server):
    log_in(page, "supervisor")

    open_menu(page)
    page.locator("form[action='/accounts/logout/'] button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}{LOGIN_URL}")
    expect(page.locator("input[name=username]")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}{LOGIN_URL}?next=/")
    expect(page.get_by_test_id("greeting")).to_have_count(0)


def scroll_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_login_page_has_no_horizontal_scroll_on_a_phone(page):
    page.goto(LOGIN_URL)
    assert scroll_width(page) <= 390


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_the_home_page_has_no_horizontal_scroll_on_a_phone(page, log_in, username):
    log_in(page, username)
    assert scroll_width(page) <= 390
    open_menu(page)
    assert scroll_width(page) <= 390
