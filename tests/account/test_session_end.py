"""A request made by script after the session has ended gets a 401, never the redirect to the login page.

A script follows a redirect silently and takes the login page's 200 for success: the offline findings' sender
cleared a finding that way. A page the browser loads is still sent to the login page.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def finding_url() -> str:
    return reverse("finding_new", args=[1])


def assert_asked_to_log_in(response) -> None:
    assert response.status_code == 401
    assert "Location" not in response
    assert response.json()["code"] == "not_authenticated"


def test_a_finding_sent_by_script_without_a_session_gets_a_401(client):
    response = client.post(finding_url(), {"description": "x"}, HTTP_ACCEPT="application/json")
    assert_asked_to_log_in(response)


def test_a_request_that_says_it_is_a_script_gets_a_401_whatever_it_accepts(client):
    response = client.get("/", HTTP_ACCEPT="*/*", HTTP_X_REQUESTED_WITH="fetch")
    assert_asked_to_log_in(response)


def test_the_401_is_in_chinese_first(client):
    response = client.get("/", HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert_asked_to_log_in(response)
    assert response.json()["detail"] == "登录已过期，请重新登录。"


def test_a_page_the_browser_loads_still_goes_to_the_login_page(client):
    response = client.post(
        finding_url(), {"description": "x"}, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8"
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_logged_in_script_keeps_its_redirects(client, cast):
    client.force_login(cast.heping_inspector)
    response = client.post(reverse("logout"), HTTP_ACCEPT="application/json")
    assert response.status_code == 302
