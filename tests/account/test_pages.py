"""Login, the home page by role, the language switch and logout."""

import pytest
from django.urls import reverse

from hazards.models import Enterprise
from tests.factories import PASSWORD

# Who greets each role: an enterprise of another city than the supervisor's, so each scope shows apart.
MEMBER_OF_ROLE = {
    "inspector": "heping_inspector",
    "supervisor": "shenyang_supervisor",
    "enterprise": "xigang_staff",
    "administrator": "admin",
}


@pytest.fixture
def cast_details():
    return {"xigang_staff": {"first_name": "张安全"}, "admin": {"first_name": "管理员"}}


def test_the_home_page_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_user_logs_in_with_the_right_password_only(client, cast):
    response = client.post(
        reverse("login"), {"username": cast.heping_inspector.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(
        reverse("login"), {"username": cast.heping_inspector.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(cast.heping_inspector.pk)


@pytest.mark.parametrize(
    ("role", "greeting", "scope"),
    [
        ("inspector", "Welcome, inspector 李检查", "You inspect the enterprises of 和平区 (210102)"),
        ("supervisor", "Welcome, supervisor 王监管", "You supervise 沈阳市 (210100)"),
        ("enterprise", "Welcome, 张安全", "You act for 西岗区燃气有限公司"),
        ("administrator", "Welcome, administrator 管理员", "You administer the whole portal"),
    ],
)
def test_the_home_page_greets_each_role_in_english(client, cast, role, greeting, scope):
    client.force_login(getattr(cast, MEMBER_OF_ROLE[role]))
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    text = response.content.decode()
    assert response.status_code == 200
    assert greeting in text and scope in text


def test_the_home_page_counts_only_the_enterprises_in_scope(client, cast):
    client.force_login(cast.shenyang_supervisor)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["enterprise_count"] == 2
    assert {e.name for e in response.context["enterprises"]} == {"和平区燃气有限公司", "沈河区燃气有限公司"}
    assert "中山区燃气有限公司" not in response.content.decode()
    assert (
        response.context["enterprise_count"]
        == Enterprise.objects.visible_to(cast.shenyang_supervisor).count()
    )


@pytest.mark.parametrize(
    ("accept_language", "lang", "greeting"),
    [
        ("zh-CN,zh;q=0.9", "zh-hans", "欢迎，检查员 李检查"),
        ("en-US,en;q=0.8", "en", "Welcome, inspector 李检查"),
        ("fr-FR,de;q=0.7", "zh-hans", "欢迎，检查员 李检查"),
        ("", "zh-hans", "欢迎，检查员 李检查"),
    ],
)
def test_the_language_follows_the_browser_and_is_chinese_when_unknown(
    client, cast, accept_language, lang, greeting
):
    client.force_login(cast.heping_inspector)
    text = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
    assert f'<html lang="{lang}">' in text
    assert greeting in text


def test_the_language_switch_overrides_the_browser(client, cast):
    client.force_login(cast.heping_inspector)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, HTTP_ACCEPT_LANGUAGE="zh-CN"
    )
    assert response.status_code == 302
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in text


def test_an_unknown_language_in_the_switch_keeps_the_page_working(client, cast):
    client.force_login(cast.heping_inspector)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


def test_logging_out_takes_a_post_and_ends_the_session(client, cast):
    client.force_login(cast.xigang_staff)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get("/").status_code == 302


def test_the_pages_load_their_assets_from_static_files_not_a_cdn(client, cast):
    client.force_login(cast.heping_inspector)
    text = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in text
    assert "/static/vendor/htmx/htmx.min.js" in text
    assert "//cdn" not in text and "https://" not in text
