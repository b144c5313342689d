"""Login protection: repeated wrong passwords lock an account from an address (pages, admin and the API's
token endpoint) for the cool-off, the client's address read as the proxies report it, and sessions that end.
"""

import datetime
import json
import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.db.models import F
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import BaseThrottle

from hazards.api.throttling import LoginRateThrottle
from hazards.http import lockout_response
from hazards.lib.client_ip import client_ip, meta_key
from tests.factories import PASSWORD
from tests.portal.test_settings import ROOT

LOGIN_URL = "/accounts/login/"
TOKEN_URL = "/api/v1/auth/token/"
ADDRESS = "198.51.100.7"
OTHER_ADDRESS = "198.51.100.8"


@pytest.fixture
def cast_details():
    return {"shenyang_inspector": {"username": "li.jiancha"}}


@pytest.fixture
def user(cast):
    """The account whose logins are counted: 沈阳市's inspector."""
    return cast.shenyang_inspector


def log_in(client, username: str, password: str, address: str = ADDRESS, **headers):
    return client.post(
        LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, user, times: int, address: str = ADDRESS) -> list[int]:
    return [log_in(client, user.username, "wrong-password-1", address).status_code for _ in range(times)]


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def pass_time(minutes: int) -> None:
    """As if `minutes` had passed since every recorded failure."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=minutes))


# --- The login page ---------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_from_that_address_and_the_right_one_is_refused(client, user):
    assert fail(client, user, 4) == [200, 200, 200, 200]
    fifth = log_in(client, user.username, "wrong-password-1")
    assert fifth.status_code == 429

    response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    page = response.content.decode()
    assert "输错密码次数过多" in page and "15 分钟后再试" in page
    assert 'data-testid="locked-out"' in page
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()


def test_four_wrong_passwords_do_not_lock(client, user):
    fail(client, user, 4)
    assert log_in(client, user.username, PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_the_lockout_page_speaks_english_to_an_english_browser(client, user):
    fail(client, user, 5)
    response = log_in(client, user.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Try again in 15 minutes, or reset your password." in response.content.decode()


def test_the_same_account_from_another_address_is_not_locked(client, user):
    fail(client, user, 5)
    response = log_in(client, user.username, PASSWORD, address=OTHER_ADDRESS)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_another_account_from_the_same_address_is_not_locked(client, user, cast):
    other = cast.dalian_inspector
    fail(client, user, 5)
    assert log_in(client, other.username, PASSWORD).status_code == 302


def test_the_lock_lifts_when_the_cool_off_has_passed_and_not_before(client, user):
    fail(client, user, 5)
    pass_time(14)
    assert log_in(client, user.username, PASSWORD).status_code == 429
    pass_time(2)
    assert log_in(client, user.username, PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_attempts_while_locked_do_not_prolong_the_cool_off(client, user):
    fail(client, user, 5)
    pass_time(10)
    assert fail(client, user, 3) == [429, 429, 429]
    pass_time(6)
    assert log_in(client, user.username, PASSWORD).status_code == 302


def test_a_successful_login_clears_the_count(client, user):
    fail(client, user, 4)
    assert log_in(client, user.username, PASSWORD).status_code == 302
    client.logout()
    fail(client, user, 4)
    assert log_in(client, user.username, PASSWORD).status_code == 302


def test_the_limit_and_the_cool_off_come_from_the_settings(client, user, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
    assert fail(client, user, 2) == [200, 429]
    response = log_in(client, user.username, PASSWORD)
    assert response.status_code == 429 and response["Retry-After"] == str(30 * 60)
    assert "30 分钟后再试" in response.content.decode()


def test_the_admin_login_is_locked_too(client, user, cast):
    admin = cast.another("shenyang_inspector", is_staff=True, is_superuser=True)
    fail(client, admin, 5)
    response = client.post(
        "/admin/login/", {"username": admin.username, "password": PASSWORD}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_an_overlong_username_is_a_wrong_login_and_counts(client, user):
    """Django's form checks the length only in the browser: the lockout records the username cut short."""
    assert [log_in(client, "x" * 300, "wrong-password-1").status_code for _ in range(5)] == [200] * 4 + [429]
    assert AccessAttempt.objects.get().username == "x" * 255


# --- The API's token endpoint -----------------------------------------------------------------------------


def token(username: str, password: str, address: str = ADDRESS, **headers):
    return APIClient().post(
        TOKEN_URL, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def test_the_token_endpoint_locks_after_five_wrong_passwords_with_429_locked_out(user):
    attempts = [token(user.username, "wrong-password-1").status_code for _ in range(4)]
    assert attempts == [400, 400, 400, 400]
    assert token(user.username, "wrong-password-1").status_code == 429

    response = token(user.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "locked_out" and body["fields"] == {}
    assert set(body) == {"detail", "code", "fields"}
    assert "15 分钟后再试" in body["detail"]
    assert response["Retry-After"] == str(15 * 60)
    assert "token" not in body


def test_the_token_endpoint_gives_the_token_from_another_address_and_after_the_cool_off(user):
    for _ in range(5):
        token(user.username, "wrong-password-1")
    assert token(user.username, PASSWORD, address=OTHER_ADDRESS).status_code == 200
    assert token(user.username, PASSWORD).status_code == 429
    pass_time(16)
    response = token(user.username, PASSWORD)
    assert response.status_code == 200 and response.json()["token"]


def test_failures_on_the_page_and_the_api_count_together(client, user):
    fail(client, user, 3)
    assert [token(user.username, "wrong-password-1").status_code for _ in range(2)] == [400, 429]
    assert log_in(client, user.username, PASSWORD).status_code == 429


def test_a_too_long_username_for_a_token_is_a_400_naming_the_field(user):
    response = token("x" * 300, "wrong-password-1")
    assert response.status_code == 400
    assert "username" in response.json()["fields"]


def test_an_unknown_username_locks_only_itself(user):
    for _ in range(5):
        token("nobody", "wrong-password-1")
    assert token("nobody", "wrong-password-1").json()["code"] == "locked_out"
    assert token(user.username, PASSWORD).status_code == 200


def test_the_lockout_answer_under_the_api_has_the_apis_error_shape(settings):
    request = RequestFactory().post("/api/v1/anything/")
    response = lockout_response(request)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert set(body) == {"detail", "code", "fields"} and body["code"] == "locked_out"


# --- The client's address ---------------------------------------------------------------------------------


def request_from(remote_addr: str = "10.0.0.2", **meta):
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **meta)


@pytest.mark.parametrize(
    ("proxy_count", "forwarded_for", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.2"),  # no proxy is trusted: the header is the client's own words
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # what the client wrote before the proxy is ignored
        (2, "1.2.3.4, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (3, "203.0.113.5, 10.0.0.9", "203.0.113.5"),  # fewer entries than proxies: the first one
        (1, None, "10.0.0.2"),  # not through the proxy
        (1, "not-an-address", "10.0.0.2"),  # garbage never reaches the lockout records
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_behind_proxies_that_append_to_x_forwarded_for(
    settings, proxy_count, forwarded_for, expected
):
    settings.CLIENT_IP_PROXY_COUNT = proxy_count
    meta = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    assert client_ip(request_from(**meta)) == expected


@pytest.mark.parametrize(
    ("real_ip", "expected"), [("203.0.113.5", "203.0.113.5"), (None, "10.0.0.2"), ("garbage", "10.0.0.2")]
)
def test_the_client_address_from_a_header_a_proxy_sets(settings, real_ip, expected):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.CLIENT_IP_PROXY_COUNT = 0
    meta = {"HTTP_X_REAL_IP": real_ip} if real_ip is not None else {}
    assert client_ip(request_from(**meta, HTTP_X_FORWARDED_FOR="1.2.3.4")) == expected


@pytest.mark.parametrize("header", ["X-Real-IP", "x-real-ip", "HTTP_X_REAL_IP"])
def test_a_header_is_named_either_way(header):
    assert meta_key(header) == "HTTP_X_REAL_IP"
    assert meta_key("REMOTE_ADDR") == "REMOTE_ADDR"


@pytest.mark.parametrize("proxy_count", [0, 1, 2])
def test_the_api_throttles_count_by_the_same_address_as_drf_would_with_num_proxies(settings, proxy_count):
    settings.CLIENT_IP_PROXY_COUNT = proxy_count
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxy_count}
    request = request_from(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5, 10.0.0.9")
    assert LoginRateThrottle().get_ident(request) == client_ip(request) == BaseThrottle().get_ident(request)


def test_behind_a_proxy_two_clients_are_locked_out_separately(client, user, settings):
    settings.CLIENT_IP_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(5):
        log_in(client, user.username, "wrong-password-1", proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    forged = log_in(client, user.username, PASSWORD, proxy, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5")
    assert forged.status_code == 429
    assert (
        log_in(client, user.username, PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_behind_a_proxy_token_requests_are_throttled_per_client(user, settings):
    settings.CLIENT_IP_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "NUM_PROXIES": 1,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "2/minute"},
    }
    first = [
        token("nobody", "x", "10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code for _ in range(3)
    ]
    assert first == [400, 400, 429]
    assert token("nobody", "x", "10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 400


# --- Settings ---------------------------------------------------------------------------------------------

VARIABLES = (
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_COOLOFF_MINUTES",
    "CLIENT_IP_HEADER",
    "CLIENT_IP_PROXY_COUNT",
    "SESSION_COOKIE_AGE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
)
SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()), s.CLIENT_IP_HEADER, "
    "s.CLIENT_IP_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'], s.SESSION_COOKIE_AGE, "
    "s.SESSION_EXPIRE_AT_BROWSER_CLOSE)"
)


def show(tmp_path, **environment) -> subprocess.CompletedProcess:
    """The login settings as a fresh start reads them, with only the given variables of this block set."""
    env = {key: value for key, value in os.environ.items() if key not in VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="safety_portal.settings", VAR_DIR=str(tmp_path), **environment)
    return subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_defaults_five_failures_fifteen_minutes_no_proxy_eight_hour_sessions(tmp_path):
    result = show(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["5", "900", "REMOTE_ADDR", "0", "0", "28800", "True"]


def test_the_settings_are_read_from_the_environment(tmp_path):
    result = show(
        tmp_path,
        LOGIN_FAILURE_LIMIT="3",
        LOGIN_COOLOFF_MINUTES="60",
        CLIENT_IP_PROXY_COUNT="2",
        SESSION_COOKIE_AGE="3600",
        SESSION_EXPIRE_AT_BROWSER_CLOSE="false",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "3600", "REMOTE_ADDR", "2", "2", "3600", "False"]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"LOGIN_FAILURE_LIMIT": "0"}, "LOGIN_FAILURE_LIMIT=0 is below its minimum of 1"),
        ({"LOGIN_COOLOFF_MINUTES": "soon"}, "LOGIN_COOLOFF_MINUTES='soon' is not an integer"),
        ({"CLIENT_IP_HEADER": "X-Forwarded-For"}, "needs CLIENT_IP_PROXY_COUNT"),
        ({"CLIENT_IP_HEADER": "X-Real-IP", "CLIENT_IP_PROXY_COUNT": "1"}, "set one of the two"),
        ({"SESSION_COOKIE_AGE": "0"}, "SESSION_COOKIE_AGE=0 is below its minimum of 60"),
    ],
)
def test_a_bad_setting_stops_the_start_naming_it(tmp_path, environment, message):
    result = show(tmp_path, **environment)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_session_ends_with_the_browser_and_after_eight_hours(client, user):
    before = timezone.now()
    response = log_in(client, user.username, PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    session = Session.objects.get()
    lasts = session.expire_date - before
    assert datetime.timedelta(hours=8) <= lasts < datetime.timedelta(hours=8, minutes=1)


def test_an_expired_session_asks_to_log_in_again(client, user):
    log_in(client, user.username, PASSWORD)
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL)
