"""The ledger's export in the API: the pages' rows, columns and filters; a bad filter or format a 400; above
EXPORT_ROW_LIMIT the pages' background export (a LedgerExport row, its task run eagerly here), its progress
and its file for the user who asked, and a 404 for anyone else."""

import csv
import io
import uuid

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hazards.lib import spreadsheets
from hazards.models import ExportState, LedgerExport
from hazards.selectors import ledger
from hazards.services import ledger as exports_module
from hazards.tasks import export_ledger
from safety_portal.celery import app
from tests.api.helpers import error

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
EXPORT = "/api/v1/hazards/export/"


@pytest.fixture
def spread(make_hazard, liaoning):
    """A hazard at each of three enterprises: 和平区 and 沈河区 (沈阳市), and 中山区 (大连市)."""
    return {
        key: make_hazard(enterprise=liaoning.enterprises[key], description=f"Leak at {key}")
        for key in ("heping", "shenhe", "zhongshan")
    }


@pytest.fixture
def eager(settings, tmp_path):
    """Tasks run in this process as they are sent; files under tmp_path."""
    settings.VAR_DIR = tmp_path
    keys = ("task_always_eager", "task_eager_propagates")
    previous = {key: app.conf[key] for key in keys}
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield tmp_path
    app.conf.update(previous)


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    """The export tasks sent (the ids they carry), none of them run."""
    ids: list[int] = []
    monkeypatch.setattr(export_ledger, "delay", lambda export_id: ids.append(export_id))
    return ids


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def file_rows(response) -> list[list]:
    assert response.status_code == 200, response.content
    body = content(response)
    if response["Content-Type"].startswith("text/csv"):
        text = body.decode("utf-8")
        assert text.startswith("\ufeff")
        return list(csv.reader(io.StringIO(text[1:])))
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("extension", "page"), [("csv", "hazard_export_csv"), ("xlsx", "hazard_export_xlsx")]
)
def test_the_file_is_the_pages_export(api, client, cast, spread, extension, page):
    response = api(cast.shenyang_supervisor).get(EXPORT, {"format": extension}, **EN)
    assert response.status_code == 200
    assert response["Content-Type"] == spreadsheets.EXPORT_CONTENT_TYPES[extension]
    assert response["Content-Disposition"].startswith("attachment;")
    rows = file_rows(response)
    client.force_login(cast.shenyang_supervisor)
    assert rows == file_rows(client.get(reverse(page), **EN))
    header, *hazards = rows
    assert header[0] == "Number"
    assert sorted(row[0] for row in hazards) == sorted([spread["heping"].number, spread["shenhe"].number])


def test_csv_is_the_default_whatever_the_accept_header(api, cast, spread):
    response = api(cast.shenyang_supervisor).get(EXPORT, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_the_export_takes_the_ledgers_filters_and_scope(api, cast, spread, make_hazard, liaoning, client):
    major = make_hazard(major=True, enterprise=liaoning.enterprises["shenhe"])
    query = {"format": "csv", "region": "210103", "level": "major"}
    rows = file_rows(api(cast.shenyang_supervisor).get(EXPORT, query, **EN))
    assert [row[0] for row in rows[1:]] == [major.number]
    client.force_login(cast.shenyang_supervisor)
    assert rows == file_rows(client.get(reverse("hazard_export_csv"), query, **EN))
    # An enterprise exports its own hazards only; an administrator every one.
    assert [row[0] for row in file_rows(api(cast.heping_staff).get(EXPORT))[1:]] == [spread["heping"].number]
    assert len(file_rows(api(cast.admin).get(EXPORT))) == 1 + 4


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("format=pdf", "format"),
        ("format=json", "format"),
        ("region=210202", "region"),  # Dalian: outside the supervisor's city
        ("region=abc", "region"),
        ("status=finished", "status"),
        ("level=grave", "level"),
        ("sector=mining", "sector"),
        ("found_from=2026-13-01", "found_from"),
        ("ordering=colour", "ordering"),
        ("enterprise=%00", "enterprise"),
    ],
)
def test_a_bad_filter_or_format_is_a_400_naming_it(api, cast, spread, query, field):
    response = api(cast.shenyang_supervisor).get(f"{EXPORT}?{query}", **EN)
    assert response.status_code == 400
    assert list(error(response)["fields"]) == [field]


def test_the_file_is_in_the_language_of_the_request(api, cast, spread):
    rows = file_rows(api(cast.shenyang_supervisor).get(EXPORT, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert rows[0][0] != "Number"


def test_anonymous_is_a_401(api):
    assert api(None).get(EXPORT).status_code == 401


# --- Above the limit: in the background ------------------------------------------------------------------


def start(client, capture, query: dict) -> dict:
    """Ask for an export over the limit (its task sent once the request commits); the 202's body."""
    with capture(execute=True):
        response = client.get(EXPORT, query, **EN)
    assert response.status_code == 202, response.content
    body = response.json()
    assert str(uuid.UUID(body["task_id"])) == body["task_id"]
    assert LedgerExport.objects.filter(uuid=body["task_id"]).exists()
    status_url = "http://testserver" + reverse("api:export-detail", args=[body["task_id"]])
    assert body["status_url"] == response["Location"] == status_url
    return body


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_above_the_limit_the_pages_task_writes_the_file(
    api, cast, spread, eager, monkeypatch, django_capture_on_commit_callbacks, extension
):
    monkeypatch.setattr(ledger, "EXPORT_ROW_LIMIT", 1)
    client = api(cast.shenyang_supervisor)
    started = start(client, django_capture_on_commit_callbacks, {"format": extension, "status": "all"})
    task_id = started["task_id"]
    assert started["total"] == 2

    export = LedgerExport.objects.get(uuid=task_id)
    assert eager / "exports" / f"{task_id}.{extension}" == export.path
    assert export.path.is_file()
    assert (export.user, export.format, export.state, export.done) == (
        cast.shenyang_supervisor,
        extension,
        ExportState.DONE,
        2,
    )

    status = client.get(started["status_url"], **EN)
    assert status.status_code == 200 and "no-cache" in status["Cache-Control"]
    download_url = "http://testserver" + reverse("api:export-download", args=[task_id])
    assert status.json() == {
        "task_id": task_id,
        "state": "done",
        "done": 2,
        "total": 2,
        "percent": 100,
        "message": "The export is ready: 2 hazards.",
        "download_url": download_url,
    }
    response = client.get(download_url, HTTP_ACCEPT=spreadsheets.EXPORT_CONTENT_TYPES[extension])
    assert response["Content-Type"] == spreadsheets.EXPORT_CONTENT_TYPES[extension]
    assert response["Content-Disposition"].startswith("attachment;")
    header, *rows = file_rows(response)
    assert header[0] == "Number"
    assert sorted(row[0] for row in rows) == sorted([spread["heping"].number, spread["shenhe"].number])


def test_the_background_export_takes_the_filters_and_not_the_format(
    api, cast, spread, sent, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(ledger, "EXPORT_ROW_LIMIT", 0)
    client = api(cast.shenyang_supervisor)
    started = start(
        client,
        django_capture_on_commit_callbacks,
        {"format": "xlsx", "region": "210102", "sector": ""},
    )
    export = LedgerExport.objects.get(uuid=started["task_id"])
    assert sent == [export.pk]
    assert (export.user, export.format, export.language) == (cast.shenyang_supervisor, "xlsx", "en")
    assert export.params == {"region": ["210102"], "sector": [""]}
    # Until a worker takes it, the export waits; its file is not there yet.
    status = client.get(started["status_url"], **EN).json()
    assert (status["state"], status["done"], status["total"], status["download_url"]) == (
        "queued",
        0,
        1,
        None,
    )
    download = client.get(reverse("api:export-download", args=[started["task_id"]]))
    assert download.status_code == 404 and error(download)["code"] == "not_found"


def test_a_bad_filter_is_refused_before_any_export(api, cast, spread, monkeypatch):
    monkeypatch.setattr(ledger, "EXPORT_ROW_LIMIT", 0)
    monkeypatch.setattr(export_ledger, "delay", lambda *args: pytest.fail("sent a task"))
    response = api(cast.shenyang_supervisor).get(EXPORT, {"region": "210202"})
    assert response.status_code == 400 and "region" in error(response)["fields"]
    assert not LedgerExport.objects.exists()


def test_another_user_gets_a_404(api, cast, spread, eager, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(ledger, "EXPORT_ROW_LIMIT", 1)
    task_id = start(api(cast.shenyang_supervisor), django_capture_on_commit_callbacks, {})["task_id"]
    for name in ("api:export-detail", "api:export-download"):
        assert api(cast.shenyang_supervisor).get(reverse(name, args=[task_id])).status_code == 200
    for user in (cast.dalian_supervisor, cast.shenyang_inspector, cast.admin):
        client = api(user)
        for name in ("api:export-detail", "api:export-download"):
            response = client.get(reverse(name, args=[task_id]), **EN)
            assert response.status_code == 404, (user, name)
            assert error(response) == {
                "detail": "Not found, or outside your scope.",
                "code": "not_found",
                "fields": {},
            }
    assert api(None).get(reverse("api:export-detail", args=[task_id])).status_code == 401


def test_a_failed_export_says_so(api, cast, spread, eager, monkeypatch, django_capture_on_commit_callbacks):
    def fail(*args, **kwargs):
        raise exports_module.ExportRefused(["Region: Unknown region code, or a region outside your scope."])

    monkeypatch.setattr(ledger, "EXPORT_ROW_LIMIT", 1)
    monkeypatch.setattr(exports_module, "export_to_file", fail)
    client = api(cast.shenyang_supervisor)
    started = start(client, django_capture_on_commit_callbacks, {})
    status = client.get(started["status_url"], **EN).json()
    assert status["state"] == "failed" and "outside your scope" in status["message"]
    assert client.get(reverse("api:export-download", args=[started["task_id"]])).status_code == 404


def test_the_progress_of_a_running_export(api, cast):
    export = LedgerExport.objects.create(
        user=cast.shenyang_supervisor,
        format="csv",
        language="en",
        state=ExportState.RUNNING,
        done=4000,
        total=10001,
    )
    body = api(cast.shenyang_supervisor).get(reverse("api:export-detail", args=[export.uuid]), **EN).json()
    assert (body["task_id"], body["state"], body["percent"], body["message"]) == (
        str(export.uuid),
        "progress",
        39,
        "Exporting: 4000 of 10001 hazards.",
    )


# A random id named by its kind: every pytest-xdist worker must collect the same test names.
@pytest.mark.parametrize(
    "task_id",
    ["not-a-uuid", "..", "%2E%2E%2Fportal", pytest.param(str(uuid.uuid4()), id="unknown-uuid"), "0" * 32],
)
def test_an_unknown_or_malformed_task_is_a_404(api, cast, task_id):
    client = api(cast.shenyang_supervisor)
    for path in (f"/api/v1/exports/{task_id}/", f"/api/v1/exports/{task_id}/download/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert error(response)["code"] == "not_found"


def test_a_queued_export_of_another_user_is_a_404(api, cast):
    export = LedgerExport.objects.create(user=cast.heping_staff, format="csv", language="en", total=3)
    assert (
        api(cast.shenyang_supervisor).get(reverse("api:export-detail", args=[export.uuid])).status_code == 404
    )
    assert api(cast.heping_staff).get(reverse("api:export-detail", args=[export.uuid])).status_code == 200
