"""The error answers: 403, 404, 500, a refused CSRF token and a lockout are the portal's own pages in the
user's language (Chinese first) with a way home; under /api/ they stay JSON in the API's shape."""

import json

import pytest
from django.middleware.csrf import _get_failure_view
from django.test import Client, RequestFactory, override_settings
from django.utils import translation

from hazards.pages import errors
from tests.account.test_login_protection import fail, log_in

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def page(response) -> str:
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert 'data-testid="error-home"' in body and 'href="/"' in body
    return body


def api_error(response, code: str) -> dict:
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["code"] == code and body["fields"] == {} and body["detail"]
    return body


@pytest.mark.django_db
def test_a_missing_page_is_the_portals_404_in_chinese_first(client, cast):
    client.force_login(cast.heping_staff)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = page(response)
    assert "页面不存在" in body and 'lang="zh-hans"' in body
    assert "URLconf" not in body and "Page not found" not in body
    assert 'data-testid="notices-link"' in body  # the portal's own frame, with the user's menu


@pytest.mark.django_db
def test_the_404_speaks_english_to_an_english_browser(client):
    body = page(client.get("/no/such/page/", **ENGLISH))
    assert "Page not found" in body and 'lang="en"' in body


@pytest.mark.django_db
def test_a_refused_page_is_the_portals_403(client, cast):
    client.force_login(cast.heping_staff)
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "无权访问" in page(response)
    english = client.get("/audit/", **ENGLISH)
    assert english.status_code == 403 and "Not allowed" in page(english)


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_is_the_portals_page(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.heping_staff)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    body = page(response)
    assert "表单已过期" in body and "CSRF" not in body
    assert 'data-testid="notices-link"' in body  # rendered with the request: the user's menu is there
    english = client.post("/accounts/logout/", **ENGLISH)
    assert english.status_code == 403 and "The form has expired" in page(english)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.portal.error_urls")
def test_a_bug_is_the_portals_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "出错了" in page(response)
    english = client.get("/broken/", **ENGLISH)
    assert english.status_code == 500 and "Something went wrong" in page(english)


def test_the_500_page_renders_without_the_database_or_a_request_context():
    """No django_db here: a query would fail the test. The request has no user, no session."""
    with translation.override("zh-hans"):
        response = errors.server_error(RequestFactory().get("/somewhere/"))
    assert response.status_code == 500
    assert "出错了" in page(response)


@pytest.mark.django_db
def test_a_lockout_is_the_portals_page_with_a_way_home(client, cast):
    user = cast.shenyang_inspector
    fail(client, user, 5)
    response = log_in(client, user.username, "demo-portal-2026")
    assert response.status_code == 429
    body = page(response)
    assert "登录" in body and 'lang="zh-hans"' in body


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.portal.error_urls")
def test_the_api_keeps_answering_json(cast):
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    assert client.get("/api/v1/no-such-endpoint/").status_code == 404
    api_error(client.get("/api/v1/no-such-endpoint/"), "not_found")
    broken = client.get("/api/v1/broken/")
    assert broken.status_code == 500
    api_error(broken, "server_error")
    client.force_login(cast.heping_staff)
    refused = client.post("/api/v1/hazards/", {}, content_type="application/json")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/json"


def test_the_handlers_answer_json_under_the_api():
    assert _get_failure_view() is errors.csrf_failure
    request = RequestFactory().post("/api/v1/hazards/")
    api_error(errors.csrf_failure(request, reason="no token"), "csrf_failed")
    api_error(errors.permission_denied(request), "permission_denied")
    api_error(errors.page_not_found(request), "not_found")
