"""The admin pages of the register: lists with filters and search, for administrators only."""

import pytest
from django.urls import reverse

from hazards.models import Enterprise, User
from tests.factories import HazardFactory

MODELS = [
    "hazards_region",
    "hazards_sector",
    "hazards_enterprise",
    "hazards_user",
    "hazards_hazard",
    "hazards_standard",
    "hazards_clause",
    "inspections_checklisttemplate",
    "inspections_checklistversion",
    "hazards_quarterlystatistics",
]


@pytest.mark.parametrize("model", MODELS)
def test_an_administrator_lists_and_searches_each_model(client, liaoning, model, cast):
    client.force_login(cast.admin)
    url = reverse(f"admin:{model}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "和平"}).status_code == 200


def test_enterprises_are_filtered_by_risk_colour_and_found_by_credit_code(client, liaoning, cast):
    client.force_login(cast.admin)
    url = reverse("admin:hazards_enterprise_changelist")
    heping = liaoning.enterprises["heping"]
    response = client.get(url, {"q": heping.credit_code})
    assert list(response.context["cl"].result_list) == [heping]
    response = client.get(url, {"risk_colour__exact": "red"})
    assert list(response.context["cl"].result_list) == []


def test_a_supervisor_cannot_open_the_admin(client, liaoning, cast):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("admin:hazards_enterprise_changelist"))
    assert response.status_code == 302


def enterprise_form(liaoning, **changes) -> dict:
    data = {
        "name": "沈河区新燃气有限公司",
        "credit_code": "91350100M000100Y43",
        "region": liaoning.counties["shenhe"].pk,
        "sector": liaoning.enterprises["shenhe"].sector.pk,
        "address": "",
        "principal_name": "赵六",
        "principal_phone": "024-87654321",
        "risk_colour": "orange",
        "status": "operating",
    }
    return data | changes


def test_an_administrator_registers_an_enterprise(client, liaoning, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("admin:hazards_enterprise_add"), enterprise_form(liaoning))
    assert response.status_code == 302
    assert Enterprise.objects.get(credit_code="91350100M000100Y43").region == liaoning.counties["shenhe"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"credit_code": "91350100M000100Y44"}, "credit_code"),
        ({"credit_code": "91350100M0001OOY43"}, "credit_code"),
        (lambda m: {"region": m.shenyang.pk}, "region"),
        ({"principal_phone": "call me"}, "principal_phone"),
        ({"risk_colour": "purple"}, "risk_colour"),
    ],
)
def test_a_bad_enterprise_is_refused_with_a_field_message_and_nothing_saved(
    client, liaoning, changes, field, cast
):
    changes = changes(liaoning) if callable(changes) else changes
    client.force_login(cast.admin)
    response = client.post(reverse("admin:hazards_enterprise_add"), enterprise_form(liaoning, **changes))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Enterprise.objects.filter(name="沈河区新燃气有限公司").exists()


def test_a_duplicate_credit_code_is_refused(client, liaoning, cast):
    client.force_login(cast.admin)
    taken = liaoning.enterprises["heping"].credit_code
    response = client.post(
        reverse("admin:hazards_enterprise_add"), enterprise_form(liaoning, credit_code=taken)
    )
    assert "credit_code" in response.context["adminform"].form.errors
    assert Enterprise.objects.filter(credit_code=taken).count() == 1


def user_form(username: str, role: str, **scope) -> dict:
    password = "a-long-pass-2026"
    return {
        "username": username,
        "password1": password,
        "password2": password,
        "usable_password": "true",
        "role": role,
        **scope,
    }


def test_an_administrator_creates_an_inspector_with_a_region(client, liaoning, cast):
    client.force_login(cast.admin)
    data = user_form("new-inspector", "inspector", region=liaoning.dalian.pk)
    response = client.post(reverse("admin:hazards_user_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="new-inspector").region == liaoning.dalian


@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        ("inspector", lambda m: {}, "region"),
        ("enterprise", lambda m: {"region": m.dalian.pk}, "enterprise"),
        (
            "supervisor",
            lambda m: {"region": m.dalian.pk, "enterprise": m.enterprises["xigang"].pk},
            "enterprise",
        ),
        ("administrator", lambda m: {"region": m.dalian.pk}, "__all__"),
    ],
)
def test_a_user_whose_scope_does_not_fit_the_role_is_refused(client, liaoning, role, scope, field, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("admin:hazards_user_add"), user_form("misfit", role, **scope(liaoning)))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not User.objects.filter(username="misfit").exists()


def test_the_admin_shows_a_hazard_with_its_timeline_but_never_changes_or_deletes_it(client, liaoning, cast):
    admin_user = cast.admin
    hazard = HazardFactory(enterprise=liaoning.enterprises["heping"], found_by=cast.shenyang_inspector)
    client.force_login(admin_user)
    assert client.get(reverse("admin:hazards_hazard_change", args=[hazard.pk])).status_code == 200
    assert client.get(reverse("admin:hazards_hazard_add")).status_code == 403
    response = client.post(reverse("admin:hazards_hazard_delete", args=[hazard.pk]), {"post": "yes"})
    assert response.status_code == 403
    response = client.post(reverse("admin:hazards_hazard_change", args=[hazard.pk]), {"description": "x"})
    assert response.status_code == 403
    hazard.refresh_from_db()
    assert hazard.description != "x"


def test_a_checklist_version_in_use_is_frozen_and_a_new_version_copies_it(client, liaoning, cast):
    from inspections.models import ChecklistVersion, InspectionKind
    from inspections.services.inspections import inspection_start

    version = ChecklistVersion.objects.filter(template__sector__code="urban-gas").get()
    inspection_start(
        actor=cast.heping_inspector,
        enterprise_id=liaoning.enterprises["heping"].pk,
        kind=InspectionKind.ROUTINE,
    )
    client.force_login(cast.admin)
    page = client.get(reverse("admin:inspections_checklistversion_change", args=[version.pk]))
    assert page.status_code == 200
    assert page.context["inline_admin_formsets"][0].has_change_permission is False
    response = client.post(
        reverse("admin:inspections_checklistversion_changelist"),
        {"action": "new_version", "_selected_action": [version.pk]},
    )
    assert response.status_code == 302
    copy = ChecklistVersion.objects.get(template=version.template, number=2)
    assert list(copy.items.values_list("key", "text")) == list(version.items.values_list("key", "text"))
    assert not copy.is_frozen


# --- The role opens the admin, and the admin reads in Chinese ----------------------------------------------


def test_an_administrator_made_in_the_admin_without_a_staff_flag_opens_the_admin(client, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("admin:hazards_user_add"), user_form("new-admin", "administrator"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    made = User.objects.get(username="new-admin")
    assert made.is_staff and not made.is_superuser
    client.force_login(made)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert client.get(reverse("admin:hazards_enterprise_changelist")).status_code == 200
    assert client.get(reverse("admin:hazards_enterprise_add")).status_code == 200


def test_the_role_and_not_a_flag_decides_who_opens_the_admin(client, liaoning, cast):
    inspector = cast.another("shenyang_inspector", is_staff=True)
    assert not inspector.is_staff
    client.force_login(inspector)
    assert client.get(reverse("admin:index")).status_code == 302
    inspector.role, inspector.region = "administrator", None
    inspector.save(update_fields=["role", "region"])
    inspector.refresh_from_db()
    assert inspector.is_staff
    administrator = cast.another("admin")
    administrator.is_active = False
    administrator.save()
    assert not administrator.has_perm("hazards.view_enterprise")


def test_the_user_form_has_no_staff_flag(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("admin:hazards_user_change", args=[cast.shenyang_inspector.pk]))
    assert "is_staff" not in page.context["adminform"].form.fields
    assert "is_staff" not in client.get(reverse("admin:hazards_user_changelist")).content.decode()


@pytest.mark.parametrize(
    ("url", "chinese", "english"),
    [
        ("admin:index", ["登录保护", "登录尝试", "访问日志"], ["Axes", "Access attempts", "Access logs"]),
        ("admin:hazards_user_changelist", ["姓名", "角色"], ["Get full name", "Staff status"]),
        (
            "admin:axes_accessattempt_changelist",
            ["用户名", "尝试时间", "失败次数"],
            ["Attempt Time", "Failed Logins"],
        ),
        ("admin:axes_accesslog_changelist", ["退出时间"], ["Logout Time"]),
    ],
)
def test_the_admin_reads_in_chinese(client, liaoning, cast, url, chinese, english):
    from axes.models import AccessAttempt, AccessLog

    seen = {"username": "someone", "ip_address": "10.0.0.1", "user_agent": "phone", "path_info": "/login/"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", http_accept="*/*", failures_since_start=3)
    AccessLog.objects.create(**seen, http_accept="*/*")
    client.force_login(cast.admin)
    page = client.get(reverse(url), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for text in chinese:
        assert text in page
    for text in english:
        assert text not in page
