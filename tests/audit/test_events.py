"""Each audited act writes exactly one row: who, from which address, what, on which object, where."""

import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from hazards.models import AuditAction, AuditEvent, EvidenceStage, HazardStatus, Region
from hazards.services.evidence import evidence_add
from hazards.services.rankings.compute import ranking_compute
from tests.audit.conftest import ADDRESS, FROM, only, rows
from tests.factories import PASSWORD, photo_upload

pytestmark = pytest.mark.django_db


# --- Logins -----------------------------------------------------------------------------------------------


def test_a_login_is_recorded_with_the_user_and_address(client, cast):
    response = client.post(
        reverse("login"), {"username": cast.shenyang_inspector.username, "password": PASSWORD}, **FROM
    )
    assert response.status_code == 302
    event = only(AuditAction.LOGIN)
    assert (event.actor, event.username, event.ip) == (
        cast.shenyang_inspector,
        cast.shenyang_inspector.username,
        ADDRESS,
    )
    assert event.region_code == cast.shenyang_inspector.region.code
    assert event.occurred_at is not None and event.occurred_at.utcoffset() == timezone.timedelta(0)


def test_a_logout_is_recorded(client, cast):
    client.force_login(cast.shenyang_supervisor)
    assert client.post(reverse("logout"), **FROM).status_code == 302
    event = only(AuditAction.LOGOUT)
    assert (event.actor, event.ip) == (cast.shenyang_supervisor, ADDRESS)


def test_a_failed_login_keeps_the_name_as_typed_and_no_user(client, cast):
    response = client.post(
        reverse("login"), {"username": cast.heping_staff.username, "password": "wrong"}, **FROM
    )
    assert response.status_code == 200
    event = only(AuditAction.LOGIN_FAILED)
    assert (event.actor, event.username, event.ip) == (None, cast.heping_staff.username, ADDRESS)
    # The account's region, so that the enterprise's supervisors see attempts on it.
    assert event.region_code == cast.heping_staff.enterprise.region.code
    assert not rows(AuditAction.LOGIN)


def test_a_newline_in_a_failed_username_is_stored_verbatim_and_logged_escaped(client, db, caplog):
    forged = "nobody\n2026-01-01 00:00:00 INFO hazards.audit action=login user='admin'"
    with caplog.at_level(logging.INFO, logger="hazards.audit"):
        client.post(reverse("login"), {"username": forged, "password": "wrong"}, **FROM)
    event = only(AuditAction.LOGIN_FAILED)
    assert event.username == forged
    assert event.region_code == ""  # no such account: administrators only
    [record] = [record for record in caplog.records if record.name == "hazards.audit"]
    line = record.getMessage()
    assert "\n" not in line
    assert repr(forged) in line


def test_a_token_login_through_the_api_is_recorded(client, cast):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": cast.shenyang_inspector.username, "password": PASSWORD},
        content_type="application/json",
        **FROM,
    )
    assert response.status_code == 200
    event = only(AuditAction.LOGIN)
    assert (event.actor, event.ip, event.detail) == (cast.shenyang_inspector, ADDRESS, {"via": "api_token"})
    failed = client.post(
        "/api/v1/auth/token/",
        {"username": cast.shenyang_inspector.username, "password": "wrong"},
        content_type="application/json",
        **FROM,
    )
    assert failed.status_code == 400
    assert only(AuditAction.LOGIN_FAILED).username == cast.shenyang_inspector.username


def test_the_address_comes_from_the_proxy_header_when_set(client, cast, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    client.post(
        reverse("login"),
        {"username": cast.shenyang_inspector.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_REAL_IP="198.51.100.4",
    )
    assert only(AuditAction.LOGIN).ip == "198.51.100.4"


def test_an_address_that_is_not_one_is_stored_as_none(client, cast, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    client.post(
        reverse("login"),
        {"username": cast.shenyang_inspector.username, "password": PASSWORD},
        REMOTE_ADDR="not-an-address",
        HTTP_X_REAL_IP="'; DROP TABLE x; --",
    )
    assert only(AuditAction.LOGIN).ip is None


# --- The workflow -----------------------------------------------------------------------------------------


def test_a_status_move_on_the_page_is_recorded_with_the_hazard(client, cast, make_hazard):
    hazard = make_hazard(submitted=True)
    client.force_login(cast.shenyang_inspector)
    response = client.post(reverse("hazard_send_back", args=[hazard.pk]), {"reasons": "照片不清楚"}, **FROM)
    assert response.status_code == 302
    event = only(AuditAction.STATUS_MOVE)
    assert (event.actor, event.ip) == (cast.shenyang_inspector, ADDRESS)
    assert (event.object_type, event.object_id, event.object_label) == (
        "hazards.hazard",
        str(hazard.pk),
        hazard.number,
    )
    assert event.detail == {"from": "submitted", "to": "open", "event": "sent_back"}
    assert event.region_code == hazard.region.code


def test_a_status_move_through_the_api_is_recorded(api, cast, make_hazard):
    hazard = make_hazard(submitted=True)
    response = api(cast.shenyang_inspector).post(
        f"/api/v1/hazards/{hazard.pk}/verify/", {}, format="json", **FROM
    )
    assert response.status_code == 200, response.content
    event = only(AuditAction.STATUS_MOVE)
    assert (event.actor, event.ip, event.object_id) == (cast.shenyang_inspector, ADDRESS, str(hazard.pk))
    assert event.detail["to"] == "closed"


def test_a_refused_move_leaves_no_row(client, cast, make_hazard):
    hazard = make_hazard(submitted=True)
    client.force_login(cast.shenyang_inspector)
    assert client.post(reverse("hazard_send_back", args=[hazard.pk]), {"reasons": " "}).status_code == 400
    assert not rows(AuditAction.STATUS_MOVE)


def test_a_move_that_rolls_back_takes_its_row_with_it(cast, make_hazard, monkeypatch):
    """The row is written in the move's transaction: a move that fails after it leaves neither."""
    from hazards.services import workflow

    hazard = make_hazard(submitted=True)

    def broken(*args, **kwargs):
        raise RuntimeError("the delisting failed")

    monkeypatch.setattr(workflow, "delist", broken)
    with pytest.raises(RuntimeError):
        workflow.hazard_verify(actor=cast.shenyang_inspector, hazard_id=hazard.pk)
    assert not rows(AuditAction.STATUS_MOVE)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.SUBMITTED


# --- Evidence ---------------------------------------------------------------------------------------------


def test_an_evidence_upload_on_the_page_is_recorded(client, cast, make_hazard, evidence_files):
    hazard = make_hazard()
    client.force_login(cast.heping_staff)
    response = client.post(
        reverse("evidence_upload", args=[hazard.pk]),
        {"stage": "rectified", "file": photo_upload("after.jpg")},
        **FROM,
    )
    assert response.status_code == 302
    event = only(AuditAction.EVIDENCE_UPLOAD)
    evidence = hazard.evidence.get()
    assert (event.actor, event.ip) == (cast.heping_staff, ADDRESS)
    assert (event.object_type, event.object_id, event.object_label) == (
        "hazards.evidence",
        str(evidence.pk),
        "after.jpg",
    )
    assert event.detail["hazard_id"] == hazard.pk and event.detail["sha256"] == evidence.sha256
    assert event.region_code == hazard.region.code


def test_an_evidence_upload_through_the_api_is_recorded(api, cast, make_hazard, evidence_files):
    hazard = make_hazard()
    response = api(cast.heping_staff).post(
        f"/api/v1/hazards/{hazard.pk}/evidence/",
        {"stage": "rectified", "file": photo_upload("after.jpg")},
        format="multipart",
        **FROM,
    )
    assert response.status_code == 201, response.content
    event = only(AuditAction.EVIDENCE_UPLOAD)
    assert (event.actor, event.ip, event.object_id) == (
        cast.heping_staff,
        ADDRESS,
        str(response.json()["id"]),
    )


def test_a_refused_upload_leaves_no_row(client, cast, make_hazard, evidence_files):
    hazard = make_hazard()
    client.force_login(cast.heping_staff)
    response = client.post(
        reverse("evidence_upload", args=[hazard.pk]), {"stage": "found", "file": photo_upload()}
    )
    assert response.status_code == 400
    assert not rows(AuditAction.EVIDENCE_UPLOAD)


@pytest.fixture
def evidence(cast, make_hazard, evidence_files):
    hazard = make_hazard()
    return evidence_add(
        actor=cast.heping_staff,
        hazard_id=hazard.pk,
        upload=photo_upload("after.jpg"),
        stage=EvidenceStage.RECTIFIED,
    )


def test_an_evidence_download_on_the_page_is_recorded(client, cast, evidence):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("evidence_download", args=[evidence.hazard_id, evidence.pk]), **FROM)
    assert response.status_code == 200
    event = only(AuditAction.EVIDENCE_DOWNLOAD)
    assert (event.actor, event.ip) == (cast.shenyang_supervisor, ADDRESS)
    assert (event.object_type, event.object_id) == ("hazards.evidence", str(evidence.pk))
    # A thumbnail is part of a page, not a download.
    client.get(reverse("evidence_thumbnail", args=[evidence.hazard_id, evidence.pk]))
    assert len(rows(AuditAction.EVIDENCE_DOWNLOAD)) == 1


def test_an_evidence_download_through_the_api_is_recorded(api, cast, evidence):
    url = f"/api/v1/hazards/{evidence.hazard_id}/evidence/{evidence.pk}/download/"
    assert api(cast.shenyang_inspector).get(url, **FROM).status_code == 200
    event = only(AuditAction.EVIDENCE_DOWNLOAD)
    assert (event.actor, event.ip, event.object_id) == (cast.shenyang_inspector, ADDRESS, str(evidence.pk))


# --- Exports and rankings ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["hazard_export_csv", "hazard_export_xlsx"])
def test_a_ledger_export_is_recorded_with_its_filters(client, cast, make_hazard, name):
    make_hazard()
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse(name), {"status": "open"}, **FROM)
    assert response.status_code == 200
    event = only(AuditAction.EXPORT)
    assert (event.actor, event.ip, event.region_code) == (
        cast.shenyang_supervisor,
        ADDRESS,
        cast.shenyang_supervisor.region.code,
    )
    assert event.detail == {
        "export": "ledger",
        "format": name[-4:].lstrip("_"),
        "filters": {"status": ["open"]},
        "rows": 1,
    }


def test_a_ledger_export_through_the_api_is_recorded(api, cast, make_hazard):
    make_hazard()
    response = api(cast.shenyang_supervisor).get("/api/v1/hazards/export/?format=csv", **FROM)
    assert response.status_code == 200
    event = only(AuditAction.EXPORT)
    assert (event.actor, event.detail["format"], event.detail["rows"]) == (cast.shenyang_supervisor, "csv", 1)


def test_a_background_export_is_recorded_when_asked(client, cast, make_hazard, monkeypatch, redis_url):
    from hazards.selectors import ledger

    monkeypatch.setattr(ledger, "EXPORT_ROW_LIMIT", 1)
    make_hazard(), make_hazard()
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("hazard_export_csv"), **FROM)
    assert response.status_code == 302
    event = only(AuditAction.EXPORT)
    assert event.detail == {"export": "ledger", "format": "csv", "filters": {}, "rows": 2, "background": True}


def test_a_statistics_export_is_recorded(client, cast):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("statistics_export_csv"), {"year": 2025, "quarter": 3}, **FROM)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = only(AuditAction.EXPORT)
    assert event.detail == {
        "export": "statistics",
        "format": "csv",
        "filters": {"year": ["2025"], "quarter": ["3"]},
    }


@pytest.fixture
def run(liaoning, make_hazard):
    make_hazard(found_at=timezone.make_aware(timezone.datetime(2025, 8, 1, 10)))
    return ranking_compute(year=2025, quarter=3, scope=liaoning.shenyang)


def test_a_ranking_workbook_export_is_recorded(client, cast, run):
    client.force_login(cast.shenyang_supervisor)
    assert client.get(reverse("ranking_export_xlsx", args=[run.pk]), **FROM).status_code == 200
    event = only(AuditAction.EXPORT)
    assert (event.object_type, event.object_id, event.region_code) == (
        "hazards.rankingrun",
        str(run.pk),
        "210100",
    )
    assert event.detail == {"export": "ranking", "format": "xlsx"}


def test_a_ranking_publication_is_recorded(client, cast, run):
    client.force_login(cast.shenyang_supervisor)
    assert client.post(reverse("ranking_publish", args=[run.pk]), **FROM).status_code == 302
    event = only(AuditAction.RANKING_PUBLISH)
    assert (event.actor, event.ip, event.object_id, event.region_code) == (
        cast.shenyang_supervisor,
        ADDRESS,
        str(run.pk),
        "210100",
    )
    # Publishing again is refused, and leaves no second row.
    assert client.post(reverse("ranking_publish", args=[run.pk])).status_code == 409
    assert len(rows(AuditAction.RANKING_PUBLISH)) == 1


# --- The admin --------------------------------------------------------------------------------------------


def test_an_admin_change_is_recorded(client, liaoning, cast):
    admin = cast.admin
    client.force_login(admin)
    heping = liaoning.counties["heping"]
    response = client.post(
        reverse("admin:hazards_region_change", args=[heping.pk]),
        {"code": heping.code, "name": "和平区（新）", "level": heping.level, "parent": heping.parent_id},
        **FROM,
    )
    assert response.status_code == 302, response.content
    assert Region.objects.get(pk=heping.pk).name == "和平区（新）"
    event = only(AuditAction.ADMIN_CHANGE)
    assert (event.actor, event.ip) == (admin, ADDRESS)
    assert (event.object_type, event.object_id, event.object_label) == (
        "hazards.region",
        str(heping.pk),
        "和平区（新） (210102)",
    )
    assert event.detail == {"change": "change", "message": [{"changed": {"fields": ["Name"]}}]}


def test_every_row_has_a_time_and_the_newest_comes_first(client, cast):
    client.post(reverse("login"), {"username": "x", "password": "y"})
    client.post(reverse("login"), {"username": "z", "password": "y"})
    first, second = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert first.username == "z" and second.username == "x"
    assert first.occurred_at >= second.occurred_at


@pytest.mark.parametrize("count", [1, 3])
def test_each_object_deleted_in_the_admin_is_recorded_once(client, liaoning, count, cast):
    from tests.factories import RegionFactory

    admin = cast.admin
    client.force_login(admin)
    made = [
        RegionFactory(code=f"21019{number}", level="county", parent=liaoning.shenyang)
        for number in range(count)
    ]
    response = client.post(
        reverse("admin:hazards_region_changelist"),
        {"action": "delete_selected", "_selected_action": [region.pk for region in made], "post": "yes"},
        **FROM,
    )
    assert response.status_code == 302
    assert not Region.objects.filter(pk__in=[region.pk for region in made]).exists()
    deleted = rows(AuditAction.ADMIN_CHANGE)
    assert sorted(event.object_id for event in deleted) == sorted(str(region.pk) for region in made)
    assert all(
        (event.actor, event.ip, event.detail["change"]) == (admin, ADDRESS, "deletion") for event in deleted
    )
