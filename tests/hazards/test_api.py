"""The hazards API: the ledger, a hazard's detail, logging one, each workflow move, and their refusals."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hazards.models import EventKind, EvidenceStage, Hazard, HazardStatus
from hazards.services.evidence import evidence_add
from tests.api.helpers import by_role, error
from tests.factories import major_criterion, photo_upload

pytestmark = pytest.mark.django_db

LOG = {
    "level": "general",
    "description": "燃气管道锈蚀",
    "location": "锅炉房",
    "measures": "更换锈蚀管段",
    "responsible_person": "赵六",
}


def test_the_ledger_lists_only_the_hazards_of_the_users_scope(api, cast, make_hazard, outside_hazard):
    inside = make_hazard()
    for user in (cast.shenyang_inspector, cast.shenyang_supervisor, cast.heping_staff):
        ids = [row["id"] for row in api(user).get("/api/v1/hazards/").json()["results"]]
        assert ids == [inside.pk], user.role
    ids = {row["id"] for row in api(cast.admin).get("/api/v1/hazards/").json()["results"]}
    assert ids == {inside.pk, outside_hazard.pk}


def test_the_ledger_takes_the_ledgers_filters(api, cast, make_hazard):
    general = make_hazard()
    major = make_hazard(major=True)
    overdue = make_hazard(deadline=timezone.localdate() - datetime.timedelta(days=2))
    client = api(cast.shenyang_supervisor)

    def ids(query: str) -> set[int]:
        response = client.get(f"/api/v1/hazards/?{query}")
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids("level=major") == {major.pk}
    assert ids("overdue=true") == {overdue.pk}
    assert ids("overdue=false") == {general.pk, major.pk}
    assert ids("region=210102") == {general.pk, major.pk, overdue.pk}
    assert ids("region=210103") == set()
    assert ids("status=overdue") == {overdue.pk}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("region=210202", "region"),  # Dalian: outside the supervisor's city
        ("region=abc", "region"),
        ("status=finished", "status"),
        ("level=grave", "level"),
        ("found_from=2026-13-01", "found_from"),
        ("ordering=colour", "ordering"),
        ("enterprise=%00", "enterprise"),
        ("page=0", "page"),
        ("page=two", "page"),
        ("page_size=101", "page_size"),
        ("page_size=-1", "page_size"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(api, cast, make_hazard, query, field):
    make_hazard()
    response = api(cast.shenyang_supervisor).get(f"/api/v1/hazards/?{query}")
    assert response.status_code == 400
    assert field in error(response)["fields"]


def test_days_at_the_ends_of_the_calendar_filter_without_failing(api, cast, make_hazard):
    closed = make_hazard(closed=True)
    make_hazard()
    client = api(cast.shenyang_supervisor)
    for query in ("closed_to=9999-12-31", "closed_from=0001-01-01"):
        response = client.get(f"/api/v1/hazards/?{query}")
        assert response.status_code == 200
        assert [row["id"] for row in response.json()["results"]] == [closed.pk]
    assert client.get("/api/v1/hazards/?found_to=9999-12-31").json()["count"] == 2


def test_a_page_past_the_last_is_a_404(api, cast, make_hazard):
    make_hazard()
    response = api(cast.shenyang_inspector).get("/api/v1/hazards/?page=2")
    assert response.status_code == 404
    assert error(response)["code"] == "not_found"


def test_the_ledgers_query_count_does_not_grow_with_the_page(api, cast, make_hazard):
    for _index in range(12):
        make_hazard(major=True)
    client = api(cast.shenyang_supervisor)
    counts = []
    for size in (2, 12):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/hazards/?page_size={size}")
        assert len(response.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_hazard_outside_the_scope_is_a_404_in_the_one_error_shape(api, cast, outside_hazard):
    for user in (cast.shenyang_inspector, cast.shenyang_supervisor, cast.heping_staff):
        response = api(user).get(f"/api/v1/hazards/{outside_hazard.pk}/")
        assert response.status_code == 404
        assert error(response)["code"] == "not_found"
    assert api(cast.admin).get(f"/api/v1/hazards/{outside_hazard.pk}/").status_code == 200


def test_the_detail_has_the_timeline_and_the_actions_the_user_may_take(api, cast, liaoning):
    hazard = api(cast.shenyang_inspector).post(
        "/api/v1/hazards/", {**LOG, "enterprise": liaoning.enterprises["heping"].pk}
    )
    hazard_id = hazard.json()["id"]
    body = api(cast.heping_staff).get(f"/api/v1/hazards/{hazard_id}/").json()
    assert [event["kind"] for event in body["timeline"]] == [EventKind.LOGGED]
    assert body["timeline"][0]["actor"]["username"] == cast.shenyang_inspector.username
    assert "submit" in body["actions"] and "verify" not in body["actions"]
    assert "verify" not in api(cast.shenyang_inspector).get(f"/api/v1/hazards/{hazard_id}/").json()["actions"]


def test_an_unauthenticated_request_is_a_401_asking_for_a_token(api, make_hazard):
    response = api(None).get("/api/v1/hazards/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert error(response)["code"] == "not_authenticated"


def test_an_address_under_the_api_that_names_no_endpoint_is_a_json_404(api, cast):
    for path in ("/api/v1/nothing/", "/api/v1/hazards/abc/", "/api/v1/hazards/1/nothing/"):
        response = api(cast.shenyang_inspector).get(path)
        assert response.status_code == 404
        assert error(response)["code"] == "not_found"


# --- Logging a hazard ---------------------------------------------------------------------------------


def test_an_inspector_logs_a_hazard_with_photos(api, cast, liaoning, evidence_root):
    photos = [photo_upload(seed=1), photo_upload("b.jpg", seed=2)]
    response = api(cast.shenyang_inspector).post(
        "/api/v1/hazards/",
        {**LOG, "enterprise": liaoning.enterprises["heping"].pk, "photos": photos},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "open" and body["source"] == "government_inspection"
    assert [item["stage"] for item in body["evidence"]] == [EvidenceStage.FOUND] * 2
    assert Hazard.objects.get(pk=body["id"]).found_by == cast.shenyang_inspector


def test_a_major_hazard_needs_its_criterion(api, cast, liaoning):
    client = api(cast.shenyang_inspector)
    enterprise = liaoning.enterprises["heping"].pk
    response = client.post("/api/v1/hazards/", {**LOG, "enterprise": enterprise, "level": "major"})
    assert response.status_code == 400
    assert "criterion" in error(response)["fields"]
    response = client.post(
        "/api/v1/hazards/",
        {**LOG, "enterprise": enterprise, "level": "major", "criterion": major_criterion().pk},
    )
    assert response.status_code == 201
    assert response.json()["criterion"]["id"] == major_criterion().pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"enterprise": None}, "enterprise"),
        ({"level": "grave"}, "level"),
        ({"description": "   "}, "description"),
        ({"location": "x" * 201}, "location"),
        ({"deadline": "2020-01-01"}, "deadline"),
        ({"deadline": "soon"}, "deadline"),
        ({"criterion": 2**70}, "criterion"),
        ({"description": "a\x00b"}, "description"),
        ({"source": "self_inspection"}, "source"),
        ({"photos": ["not a file"]}, "photos.0"),
    ],
)
def test_bad_input_to_log_a_hazard_is_a_400_naming_the_field(api, cast, liaoning, change, field):
    body = {**LOG, "enterprise": liaoning.enterprises["heping"].pk, **change}
    if body["enterprise"] is None:
        del body["enterprise"]
    response = api(cast.shenyang_inspector).post("/api/v1/hazards/", body)
    assert response.status_code == 400, response.json()
    assert field in error(response)["fields"]
    assert not Hazard.objects.exists()


def test_an_enterprise_outside_the_scope_is_refused_as_unknown(api, cast, liaoning):
    response = api(cast.shenyang_inspector).post(
        "/api/v1/hazards/", {**LOG, "enterprise": liaoning.enterprises["zhongshan"].pk}
    )
    assert response.status_code == 400
    assert "enterprise" in error(response)["fields"]
    assert not Hazard.objects.exists()


def test_a_supervisor_may_not_log_a_hazard(api, cast, liaoning):
    response = api(cast.shenyang_supervisor).post(
        "/api/v1/hazards/", {**LOG, "enterprise": liaoning.enterprises["heping"].pk}
    )
    assert response.status_code == 403
    assert error(response)["code"] == "not_permitted"


def test_fields_a_client_must_not_set_change_nothing(api, cast, liaoning):
    """Mass assignment: the status, who found it, the timestamps and another enterprise are ignored."""
    other = liaoning.enterprises["zhongshan"]
    response = api(cast.heping_staff).post(
        "/api/v1/hazards/",
        {
            **LOG,
            "enterprise": other.pk,
            "status": "closed",
            "found_by": cast.admin.pk,
            "closed_at": "2026-01-01T00:00:00Z",
            "created_at": "2020-01-01T00:00:00Z",
            "number": "FORGED-1",
            "region": "210202",
            "source": "government_inspection",
            "fixed_on_spot": True,
        },
    )
    assert response.status_code == 201, response.json()
    hazard = Hazard.objects.get(pk=response.json()["id"])
    assert hazard.enterprise == liaoning.enterprises["heping"]
    assert hazard.status == HazardStatus.OPEN and hazard.closed_at is None
    assert hazard.found_by == cast.heping_staff
    assert hazard.source == "self_inspection"
    assert hazard.number.startswith("210102-") and not hazard.fixed_on_spot
    assert hazard.created_at.year == timezone.now().year


def test_a_move_ignores_fields_it_does_not_take(api, cast, make_hazard, evidence_root):
    hazard = make_hazard(submitted=True)
    response = api(cast.shenyang_inspector).post(
        f"/api/v1/hazards/{hazard.pk}/send-back/",
        {"reasons": "照片不清楚", "status": "closed", "deadline": "2099-01-01", "closed_at": "2026-01-01"},
    )
    assert response.status_code == 200
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.OPEN and hazard.closed_at is None
    assert hazard.deadline != datetime.date(2099, 1, 1)


# --- The moves ------------------------------------------------------------------------------------------


def test_a_forbidden_role_is_a_403_before_its_body_is_read(api, cast, make_hazard):
    hazard = make_hazard(submitted=True)
    response = api(cast.heping_staff).post(f"/api/v1/hazards/{hazard.pk}/verify/", {"comment": 5})
    assert response.status_code == 403
    assert error(response)["code"] == "not_permitted"


def test_a_move_the_status_does_not_allow_is_a_409(api, cast, make_hazard):
    hazard = make_hazard(closed=True)
    response = api(cast.shenyang_inspector).post(f"/api/v1/hazards/{hazard.pk}/verify/", {})
    assert response.status_code == 409
    assert error(response)["code"] == "invalid_transition"


def test_a_move_on_a_hazard_outside_the_scope_is_a_404(api, cast, outside_hazard):
    response = api(cast.shenyang_supervisor).post(
        f"/api/v1/hazards/{outside_hazard.pk}/void/", {"reason": "错误"}
    )
    assert response.status_code == 404
    outside_hazard.refresh_from_db()
    assert outside_hazard.status == HazardStatus.OPEN


def test_a_rule_of_the_workflow_is_a_400_naming_the_field(api, cast, make_hazard):
    hazard = make_hazard(submitted=True)
    response = api(cast.shenyang_inspector).post(f"/api/v1/hazards/{hazard.pk}/send-back/", {"reasons": "  "})
    assert response.status_code == 400
    body = error(response)
    assert body["code"] == "rule_violation" and list(body["fields"]) == ["reasons"]
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.SUBMITTED


def test_submitting_without_evidence_is_refused_and_changes_nothing(api, cast, make_hazard):
    hazard = make_hazard()
    response = api(cast.heping_staff).post(f"/api/v1/hazards/{hazard.pk}/submit/", {})
    assert response.status_code == 400
    assert error(response)["code"] == "rule_violation"
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.OPEN and not hazard.events.exists()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("plan", {"funds_amount": "abc"}, "funds_amount"),
        ("plan", {"funds_amount": "1" * 20}, "funds_amount"),
        ("extension", {"requested_deadline": "tomorrow", "reasons": "x"}, "requested_deadline"),
        ("extension/decide", {"decision": "maybe"}, "decision"),
        ("level", {"level": "minor", "reason": "x"}, "level"),
        ("listing", {"authority": "x" * 121}, "authority"),
        ("suspension", {"scope": "全厂", "starts_on": "2026-02-30"}, "starts_on"),
    ],
)
def test_bad_input_to_a_move_is_a_400_naming_the_field(api, cast, make_hazard, path, body, field):
    hazard = make_hazard(major=True)
    hazard.extensions.create(
        current_deadline=hazard.deadline,
        requested_deadline=hazard.deadline + datetime.timedelta(days=9),
        reasons="施工",
        requested_by=cast.heping_staff,
    )
    user = {
        "plan": cast.heping_staff,
        "extension": cast.heping_staff,
        "listing": cast.shenyang_supervisor,
    }.get(path, cast.shenyang_inspector)
    if path == "extension":
        hazard.extensions.all().delete()
    response = api(user).post(f"/api/v1/hazards/{hazard.pk}/{path}/", body)
    assert response.status_code == 400, response.json()
    assert field in error(response)["fields"]


def test_a_malformed_body_is_a_400(api, cast, make_hazard):
    hazard = make_hazard(submitted=True)
    response = api(cast.shenyang_inspector).post(
        f"/api/v1/hazards/{hazard.pk}/send-back/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert error(response)["code"] == "parse_error"


# --- Evidence -------------------------------------------------------------------------------------------


def test_an_enterprise_uploads_evidence_and_anyone_in_scope_downloads_it(
    api, cast, make_hazard, evidence_root
):
    hazard = make_hazard()
    response = api(cast.heping_staff).post(
        f"/api/v1/hazards/{hazard.pk}/evidence/",
        {"file": photo_upload(), "stage": "rectified"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    evidence = response.json()
    assert evidence["stage"] == "rectified" and evidence["kind"] == "photo"
    download = api(cast.shenyang_supervisor).get(evidence["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "image/jpeg"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content)[:3] == b"\xff\xd8\xff"
    listed = api(cast.shenyang_inspector).get(f"/api/v1/hazards/{hazard.pk}/evidence/").json()
    assert [item["id"] for item in listed["results"]] == [evidence["id"]]


def test_evidence_outside_the_scope_is_a_404(api, cast, outside_hazard, evidence_root):
    uploaded = api(cast.zhongshan_staff).post(
        f"/api/v1/hazards/{outside_hazard.pk}/evidence/",
        {"file": photo_upload(), "stage": "rectified"},
        format="multipart",
    )
    assert uploaded.status_code == 201
    evidence_id = uploaded.json()["id"]
    client = api(cast.shenyang_supervisor)
    base = f"/api/v1/hazards/{outside_hazard.pk}/evidence/"
    for path in (
        base,
        f"{base}{evidence_id}/",
        f"{base}{evidence_id}/download/",
        f"{base}{evidence_id}/thumbnail/",
    ):
        assert client.get(path).status_code == 404, path
    upload = client.post(base, {"file": photo_upload(), "stage": "found"}, format="multipart")
    assert upload.status_code == 404


def test_another_scope_s_evidence_asked_under_a_visible_hazard_is_a_404(
    api, cast, make_hazard, outside_hazard, evidence_root
):
    theirs = evidence_add(
        actor=cast.zhongshan_staff,
        hazard_id=outside_hazard.pk,
        upload=photo_upload(),
        stage=EvidenceStage.RECTIFIED,
    )
    client = api(cast.shenyang_supervisor)
    base = f"/api/v1/hazards/{make_hazard().pk}/evidence/"
    for path in (f"{base}{theirs.pk}/", f"{base}{theirs.pk}/download/", f"{base}{theirs.pk}/thumbnail/"):
        assert client.get(path).status_code == 404, path
    assert client.get(base).json()["results"] == []


def test_an_upload_that_is_not_a_photo_or_pdf_is_refused(api, cast, make_hazard, evidence_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    hazard = make_hazard()
    response = api(cast.heping_staff).post(
        f"/api/v1/hazards/{hazard.pk}/evidence/",
        {"file": SimpleUploadedFile("x.jpg", b"MZ\x90\x00 not an image"), "stage": "rectified"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in error(response)["fields"]
    assert not hazard.evidence.exists()


def test_an_enterprise_may_not_upload_evidence_as_found(api, cast, make_hazard, evidence_root):
    hazard = make_hazard()
    response = api(cast.heping_staff).post(
        f"/api/v1/hazards/{hazard.pk}/evidence/",
        {"file": photo_upload(), "stage": "found"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "stage" in error(response)["fields"]


# --- Tokens ---------------------------------------------------------------------------------------------


def test_a_token_is_given_for_a_username_and_password_and_revoked(api, cast):
    from tests.factories import PASSWORD

    response = api(None).post(
        "/api/v1/auth/token/", {"username": cast.shenyang_inspector.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json()["region"]["code"] == "210100"
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_a_wrong_password_gets_no_token(api, cast):
    response = api(None).post(
        "/api/v1/auth/token/", {"username": cast.shenyang_inspector.username, "password": "wrong"}
    )
    assert response.status_code == 400
    assert error(response)["fields"]


@pytest.fixture
def rates(settings):
    """rates(login=..., write=...) sets the API's throttle rates for the test."""

    def set_rates(**rates: str) -> None:
        framework = settings.REST_FRAMEWORK
        settings.REST_FRAMEWORK = {
            **framework,
            "DEFAULT_THROTTLE_RATES": {**framework["DEFAULT_THROTTLE_RATES"], **rates},
        }

    return set_rates


def test_token_requests_are_throttled_per_address(api, rates):
    rates(login="3/minute")
    attempts = [
        api(None).post("/api/v1/auth/token/", {"username": "nobody", "password": "x"})
        for _attempt in range(4)
    ]
    assert [response.status_code for response in attempts] == [400, 400, 400, 429]
    assert error(attempts[-1])["code"] == "throttled" and attempts[-1]["Retry-After"]


def test_writes_are_throttled_per_user_and_reads_are_not(api, cast, make_hazard, rates):
    rates(write="2/minute")
    hazard = make_hazard(submitted=True)
    client = api(cast.shenyang_inspector)
    url = f"/api/v1/hazards/{hazard.pk}/verify/"
    assert [client.post(url, {}).status_code for _attempt in range(3)] == [200, 409, 429]
    assert client.get(f"/api/v1/hazards/{hazard.pk}/").status_code == 200
    assert api(cast.shenyang_supervisor).post(url, {}).status_code == 403  # another user has writes left


@pytest.mark.parametrize("role", ["supervisor", "inspector", "enterprise", "administrator"])
def test_each_status_tab_counts_exactly_its_hazards(api, cast, make_hazard, outside_hazard, role):
    make_hazard()
    make_hazard(submitted=True)
    make_hazard(closed=True)
    make_hazard(overdue=True)
    make_hazard(void=True)
    client = api(by_role(cast, role))
    for status in ("all", "to_do", "open", "overdue", "submitted", "closed", "void"):
        body = client.get(f"/api/v1/hazards/?status={status}&page_size=100").json()
        assert body["count"] == len(body["results"]), (role, status)


def test_a_status_tab_takes_its_total_from_the_kept_counts(api, cast, make_hazard):
    for _index in range(3):
        make_hazard()
    client = api(cast.shenyang_supervisor)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/hazards/?status=open&page_size=2").json()
    assert body["count"] == 3
    counted = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and '"hazards_hazard"' in q["sql"]]
    assert counted == []
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/hazards/?status=open&level=general&page_size=2").json()["count"] == 3
    assert any("COUNT(" in q["sql"].upper() and '"hazards_hazard"' in q["sql"] for q in queries)


def test_the_portals_session_works_for_the_api_with_its_csrf_token(cast, make_hazard):
    from rest_framework.test import APIClient

    hazard = make_hazard(submitted=True)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.shenyang_inspector)
    assert client.get(f"/api/v1/hazards/{hazard.pk}/").status_code == 200
    refused = client.post(f"/api/v1/hazards/{hazard.pk}/verify/", {})
    assert refused.status_code == 403
    assert "CSRF" in error(refused)["detail"]
    client.get("/")  # the portal's page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    verified = client.post(f"/api/v1/hazards/{hazard.pk}/verify/", {}, HTTP_X_CSRFTOKEN=token)
    assert verified.status_code == 200
    assert verified.json()["status"] == HazardStatus.CLOSED
