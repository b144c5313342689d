"""Passwords: the rule (12 characters, letters and digits, not common, not like the name), in Chinese; the
password change page; the reset by email, whose link sets a new password for that account only.
"""

import re

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from hazards.services.demo import DEMO_PASSWORD
from tests.factories import PASSWORD

NEW_PASSWORD = "river-bank-2027"


def messages(password: str, user=None) -> list[str]:
    with translation.override("zh-hans"):
        try:
            validate_password(password, user)
        except ValidationError as error:
            return error.messages
    return []


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("short1a", ["密码太短：至少需要 12 个字符。"]),
        ("12345678901234", ["密码只包含数字。", "密码中没有字母。"]),
        ("linkedin2011", ["这个密码太常见了。"]),
        ("correct-horse-battery", ["密码中没有数字。"]),
        ("abc", ["这个密码太常见了。", "密码太短：至少需要 12 个字符。", "密码中没有数字。"]),
    ],
)
def test_weak_passwords_are_refused_with_chinese_messages(password, expected):
    assert messages(password) == expected


def test_a_password_like_the_users_name_is_refused(db):
    from hazards.models import User

    user = User(username="zhangsan2026", first_name="张三")
    assert any("相似" in message for message in messages("zhangsan2026x", user))


@pytest.mark.parametrize("password", [NEW_PASSWORD, "隐患治理平台密码2026", DEMO_PASSWORD])
def test_long_passwords_with_letters_and_digits_are_accepted(password):
    assert messages(password) == []


def test_the_rule_is_explained_in_chinese():
    with translation.override("zh-hans"):
        assert "密码至少 12 个字符，且须同时包含字母和数字。" in password_validators_help_texts()


# --- Changing one's password ------------------------------------------------------------------------------


@pytest.fixture
def cast_details():
    return {
        "shenyang_inspector": {"username": "li.jiancha", "email": "li@example.org"},
        "dalian_inspector": {"username": "wang.dalian", "email": "wang@example.org"},
    }


@pytest.fixture
def user(cast):
    """The account whose password changes: 沈阳市's inspector."""
    return cast.shenyang_inspector


@pytest.fixture
def other(cast):
    """Another account, whose password must stay: 大连市's inspector."""
    return cast.dalian_inspector


def change(client, old: str, new: str, confirm: str | None = None):
    return client.post(
        "/accounts/password_change/",
        {"old_password": old, "new_password1": new, "new_password2": new if confirm is None else confirm},
    )


def test_the_password_change_page_asks_to_log_in_first(client):
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_menu_links_to_the_password_change_page_in_chinese(client, user):
    client.force_login(user)
    home = client.get("/").content.decode()
    assert 'href="/accounts/password_change/"' in home and "修改密码" in home
    page = client.get("/accounts/password_change/").content.decode()
    assert "修改您的密码" in page and "密码至少 12 个字符" in page


def test_a_user_changes_their_password_and_stays_logged_in(client, user, other):
    client.force_login(user)
    response = change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/accounts/password_change/done/"
    assert "您的密码已修改。" in client.get(response["Location"]).content.decode()
    user.refresh_from_db()
    other.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert other.check_password(PASSWORD)  # only one's own
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("old", "new", "confirm", "field", "message"),
    [
        (PASSWORD, "short1a", None, "new_password2", "密码太短"),
        (PASSWORD, "12345678901234", None, "new_password2", "密码只包含数字。"),
        (PASSWORD, "linkedin2011", None, "new_password2", "这个密码太常见了。"),
        (PASSWORD, NEW_PASSWORD, "river-bank-2028", "new_password2", "输入的两个密码不一致。"),
        ("not-my-password-1", NEW_PASSWORD, None, "old_password", "你的旧密码不正确。"),
    ],
)
def test_a_weak_or_wrong_change_is_refused_on_the_page(client, user, old, new, confirm, field, message):
    client.force_login(user)
    response = change(client, old, new, confirm)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# --- Resetting a forgotten password by email --------------------------------------------------------------


def ask_reset(client, email: str):
    return client.post("/accounts/password_reset/", {"email": email})


def reset_link(message) -> str:
    return re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)


def test_the_login_page_links_to_the_reset_page(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in page and "忘记密码？" in page


def test_a_reset_email_is_sent_with_a_link_to_the_portal(client, user, settings):
    settings.PORTAL_URL = "https://portal.example.org"
    response = ask_reset(client, "li@example.org")
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["li@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "重置隐患排查治理平台的密码"
    assert "li.jiancha" in message.body
    assert reset_link(message).startswith("https://portal.example.org/accounts/reset/")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and reset_link(message) in html


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, user):
    response = ask_reset(client, "nobody@example.org")
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_a_bad_address_is_a_form_error(client, db):
    response = ask_reset(client, "not an address")
    assert response.status_code == 200 and response.context["form"].errors["email"]


def open_link(client, user):
    ask_reset(client, user.email)
    path = reset_link(mail.outbox[-1]).split("://", 1)[1].split("/", 1)[1]
    response = client.get(f"/{path}")
    assert response.status_code == 302  # Django moves the token out of the address
    return response["Location"]


def test_the_link_sets_a_new_password_for_that_account_and_only_once(client, user, other):
    form_url = open_link(client, user)
    weak = client.post(form_url, {"new_password1": "short1a", "new_password2": "short1a"})
    assert weak.status_code == 200 and "密码太短" in weak.content.decode()

    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    user.refresh_from_db()
    other.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and other.check_password(PASSWORD)
    login = client.post("/accounts/login/", {"username": user.username, "password": NEW_PASSWORD})
    assert login.status_code == 302
    client.logout()
    again = client.get(form_url)
    assert again.status_code == 200 and again.context["validlink"] is False
    assert "此链接已失效" in again.content.decode()


def test_a_forged_link_sets_nothing(client, user):
    response = client.get("/accounts/reset/MQ/set-password/")
    assert response.status_code == 200 and response.context["validlink"] is False
    response = client.post(
        "/accounts/reset/MQ/forged-token/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 200 and response.context["validlink"] is False
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# --- Limits: reset requests, and the lockout a reset ends ---------------------------------------------------


def test_reset_requests_beyond_the_limit_from_one_address_are_refused_and_send_nothing(
    client, user, settings
):
    settings.PASSWORD_RESET_LIMIT = 2
    assert ask_reset(client, "li@example.org").status_code == 302
    assert ask_reset(client, "nobody@example.org").status_code == 302  # unknown addresses count the same
    refused = ask_reset(client, "li@example.org")
    assert refused.status_code == 429
    assert "密码重置请求过多，请一小时后再试。" in refused.content.decode()
    assert len(mail.outbox) == 1


def test_reset_requests_for_one_email_are_limited_whatever_the_address(client, user, settings):
    settings.PASSWORD_RESET_LIMIT = 2
    statuses = [
        client.post("/accounts/password_reset/", {"email": "LI@example.org"}, REMOTE_ADDR=f"198.51.100.{n}")
        for n in (1, 2, 3)
    ]
    assert [response.status_code for response in statuses] == [302, 302, 429]
    assert len(mail.outbox) == 2
    other_account = client.post(
        "/accounts/password_reset/", {"email": "wang@example.org"}, REMOTE_ADDR="198.51.100.4"
    )
    assert other_account.status_code == 302


def test_a_reset_password_ends_the_accounts_lockout(client, user, settings):
    wrong = [
        client.post(
            "/accounts/login/", {"username": user.username, "password": "wrong-password-1"}
        ).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert wrong[-1] == 429
    form_url = open_link(client, user)
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302

    login = client.post("/accounts/login/", {"username": user.username, "password": NEW_PASSWORD})

    assert login.status_code == 302 and "_auth_user_id" in client.session
