"""The audit log page: a supervisor sees the region's subtree, an administrator everything, others a 403;
filters by action, user and days; bad input is a form error; the queries do not grow with the page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hazards.models import AuditAction, AuditEvent
from hazards.services.audit import audit_record
from tests.api.helpers import by_role

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
URL = "/audit/"


def shown(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [event.pk for event in response.context["page"].object_list]


@pytest.fixture
def log(liaoning) -> dict[str, AuditEvent]:
    """A row in each place: 和平区 (沈阳), 沈阳市 itself, 中山区 (大连), the province, and none."""
    return {
        "heping": audit_record(action=AuditAction.LOGIN_FAILED, username="heping-user", region_code="210102"),
        "shenyang": audit_record(action=AuditAction.EXPORT, username="shenyang-user", region_code="210100"),
        "zhongshan": audit_record(
            action=AuditAction.LOGIN_FAILED, username="dalian-user", region_code="210202"
        ),
        "province": audit_record(action=AuditAction.EXPORT, username="province-user", region_code="210000"),
        "nowhere": audit_record(action=AuditAction.LOGIN_FAILED, username="ghost", region_code=""),
    }


def test_the_url_is_audit():
    assert reverse("audit_list") == URL


def test_a_supervisor_sees_the_rows_of_the_region_and_below_only(client, liaoning, cast, log):
    client.force_login(cast.shenyang_supervisor)  # 沈阳市
    pks = set(shown(client.get(URL)))
    assert {log["heping"].pk, log["shenyang"].pk} <= pks
    assert not pks & {log["zhongshan"].pk, log["province"].pk, log["nowhere"].pk}
    # Every row shown is in Shenyang (the supervisor's own login included).
    assert all(AuditEvent.objects.get(pk=pk).region_code.startswith("2101") for pk in pks)


def test_a_supervisor_of_another_city_never_sees_this_citys_rows(client, cast, log):
    client.force_login(cast.dalian_supervisor)  # 大连市
    pks = set(shown(client.get(URL)))
    assert log["zhongshan"].pk in pks
    assert not pks & {log["heping"].pk, log["shenyang"].pk, log["province"].pk, log["nowhere"].pk}
    assert not set(shown(client.get(URL, {"user": "heping-user"})))


def test_a_province_supervisor_sees_the_whole_province(client, liaoning, log, cast):
    client.force_login(cast.province_supervisor)
    pks = set(shown(client.get(URL)))
    assert {log["heping"].pk, log["shenyang"].pk, log["zhongshan"].pk, log["province"].pk} <= pks
    assert log["nowhere"].pk not in pks


def test_an_administrator_sees_everything(client, log, cast):
    client.force_login(cast.admin)
    assert {event.pk for event in log.values()} <= set(shown(client.get(URL)))


@pytest.mark.parametrize("role", ["inspector", "enterprise"])
def test_inspectors_and_enterprises_are_refused(client, cast, log, role):
    client.force_login(by_role(cast, role))
    response = client.get(URL, **EN)
    assert response.status_code == 403
    assert b"heping-user" not in response.content
    # The refusal is itself in the log.
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, actor=by_role(cast, role)).count() == 1


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_nav_links_the_log_for_supervisors_and_administrators_only(client, cast):
    for user, linked in [
        (cast.shenyang_supervisor, True),
        (cast.admin, True),
        (cast.shenyang_inspector, False),
        (cast.heping_staff, False),
    ]:
        client.force_login(user)
        assert (b'data-testid="audit-link"' in client.get(reverse("home")).content) is linked


def test_the_page_speaks_chinese_by_default(client, cast, log):
    client.force_login(cast.shenyang_supervisor)
    content = client.get(URL).content.decode()
    assert "审计日志" in content and "登录失败" in content


def test_it_lists_newest_first_and_filters_by_action_and_user(client, cast, log):
    client.force_login(cast.shenyang_supervisor)
    later = audit_record(action=AuditAction.LOGIN_FAILED, username="heping-user", region_code="210102")
    assert shown(client.get(URL, {"action": "login_failed", "user": "heping-user"})) == [
        later.pk,
        log["heping"].pk,
    ]
    assert shown(client.get(URL, {"action": "export"})) == [log["shenyang"].pk]
    assert shown(client.get(URL, {"user": "heping"})) == []  # the exact name only


def test_it_filters_by_days_in_the_portals_time_zone(client, cast, log):
    client.force_login(cast.shenyang_supervisor)
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    heping = log["heping"].pk
    assert heping in shown(client.get(URL, {"date_from": today.isoformat(), "date_to": today.isoformat()}))
    assert heping not in shown(client.get(URL, {"date_to": yesterday.isoformat()}))
    assert heping not in shown(
        client.get(URL, {"date_from": (today + datetime.timedelta(days=1)).isoformat()})
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"action": "drop_tables"}, "action"),
        ({"date_from": "2026-13-45"}, "date_from"),
        ({"date_to": "yesterday"}, "date_to"),
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_to"),
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "0001-01-01"}, "date_from"),
        ({"user": "x" * 151}, "user"),
        ({"user": "a\x00b"}, "user"),
    ],
)
def test_bad_filters_are_form_errors_not_server_errors(client, cast, log, query, field):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(URL, query, **EN)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert b'data-testid="field-error"' in response.content
    assert b"heping-user" not in response.content


@pytest.mark.parametrize("page", ["0", "-1", "x", "99999", "1" * 40])
def test_any_page_number_shows_a_page(client, cast, log, page):
    client.force_login(cast.shenyang_supervisor)
    assert client.get(URL, {"page": page}).status_code == 200


def test_the_pages_follow_one_another_with_the_filters(client, cast, liaoning):
    for number in range(60):
        audit_record(action=AuditAction.EXPORT, username=f"user{number}", region_code="210102")
    client.force_login(cast.shenyang_supervisor)
    first = client.get(URL, {"action": "export"})
    assert len(shown(first)) == 50
    assert b"?action=export&amp;page=2" in first.content
    assert len(shown(client.get(URL, {"action": "export", "page": 2}))) == 10


def test_the_queries_do_not_grow_with_the_page(client, cast, liaoning):
    client.force_login(cast.shenyang_supervisor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    audit_record(action=AuditAction.EXPORT, actor=cast.heping_staff)
    few = queries()
    for _number in range(40):
        audit_record(action=AuditAction.EXPORT, actor=cast.heping_staff)
    assert queries() == few
