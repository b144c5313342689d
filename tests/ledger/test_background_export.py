"""The background export: over EXPORT_ROW_LIMIT rows the ledger is written by a Celery task, run eagerly here
against the real Redis result backend, and offered on a status page to the user who asked, and to no one else.
"""

import csv
import io
import json
import os
import uuid

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hazards import ledger as ledger_module
from hazards.tasks import EXPORT_FAILED, EXPORT_QUEUED, export_ledger
from safety_portal.celery import app
from tests.pages.helpers import EN


@pytest.fixture
def spread(make_hazard, liaoning):
    """A hazard at each of three enterprises: 和平区 and 沈河区 (沈阳市), and 中山区 (大连市)."""
    return {
        key: make_hazard(enterprise=liaoning.enterprises[key], description=f"Leak at {key}")
        for key in ("heping", "shenhe", "zhongshan")
    }


@pytest.fixture
def low_limit(monkeypatch):
    monkeypatch.setattr(ledger_module, "EXPORT_ROW_LIMIT", 1)


@pytest.fixture
def tasks(redis_url):
    """The ids of the exports a test starts, forgotten by the result backend afterwards."""
    started: list[str] = []
    yield started
    for task_id in started:
        app.backend.forget(task_id)


@pytest.fixture
def eager(settings, tmp_path, tasks, monkeypatch):
    """Tasks run in this process as they are sent, their results kept in the backend; files under tmp_path."""
    settings.VAR_DIR = tmp_path
    # On app.conf only: a CELERY_TASK_ALWAYS_EAGER set through the settings fixture outlives the test there.
    keys = ("task_always_eager", "task_eager_propagates")
    previous = {key: app.conf[key] for key in keys}
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    # The task class read task_store_eager_result when it was made: set on the task itself.
    monkeypatch.setattr(app.tasks[export_ledger.name], "store_eager_result", True)
    yield tmp_path
    app.conf.update(previous)


def start(client, tasks, capture, name: str, params: dict) -> str:
    """Ask for an export over the limit (its task sent once the request commits); its task id."""
    with capture(execute=True):
        response = client.get(reverse(name), params, **EN)
    assert response.status_code == 302, response.content
    task_id = response.url.removeprefix("/hazards/exports/").removesuffix("/")
    assert response.url == reverse("hazard_export_status", args=[task_id]) == f"/hazards/exports/{task_id}/"
    assert str(uuid.UUID(task_id)) == task_id
    tasks.append(task_id)
    return task_id


def file_rows(response) -> list[list]:
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if response["Content-Type"].startswith("text/csv"):
        text = content.decode("utf-8")
        assert text.startswith("\ufeff")
        return list(csv.reader(io.StringIO(text[1:])))
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("name", "extension"), [("hazard_export_csv", "csv"), ("hazard_export_xlsx", "xlsx")]
)
def test_an_export_over_the_limit_is_written_in_the_background(
    client, spread, people, low_limit, eager, tasks, django_capture_on_commit_callbacks, name, extension
):
    client.force_login(people.supervisor)
    task_id = start(client, tasks, django_capture_on_commit_callbacks, name, {"status": "all"})

    # The file, in the user's scope (沈阳市: not 中山区), under VAR_DIR/exports.
    path = eager / "exports" / f"{task_id}.{extension}"
    assert path.is_file() and not list((eager / "exports").glob("*.part"))
    result = app.AsyncResult(task_id)
    assert result.state == "SUCCESS"
    assert result.result == {
        "path": str(path),
        "rows": 2,
        "user_id": people.supervisor.pk,
        "format": extension,
    }

    status = client.get(reverse("hazard_export_status_json", args=[task_id]), **EN)
    assert status.status_code == 200
    download_url = reverse("hazard_export_download", args=[task_id])
    assert status.json() == {
        "state": "done",
        "done": 2,
        "total": 2,
        "percent": 100,
        "message": "The export is ready: 2 hazards.",
        "download_url": download_url,
    }
    page = client.get(reverse("hazard_export_status", args=[task_id]), **EN)
    assert page.status_code == 200
    assert f'href="{download_url}"' in page.content.decode()

    response = client.get(download_url)
    assert response["Content-Type"] == ledger_module.EXPORT_CONTENT_TYPES[extension]
    assert response["Content-Disposition"].startswith("attachment;")
    header, *rows = file_rows(response)
    assert header[0] == "Number"
    assert sorted(row[0] for row in rows) == sorted([spread["heping"].number, spread["shenhe"].number])


def test_a_background_export_applies_the_filters(
    client,
    spread,
    people,
    make_hazard,
    liaoning,
    eager,
    tasks,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    monkeypatch.setattr(ledger_module, "EXPORT_ROW_LIMIT", 0)
    major = make_hazard(level="major", enterprise=liaoning.enterprises["shenhe"])
    client.force_login(people.supervisor)
    params = {"region": "210103", "level": "major"}
    task_id = start(client, tasks, django_capture_on_commit_callbacks, "hazard_export_xlsx", params)
    _header, *rows = file_rows(client.get(reverse("hazard_export_download", args=[task_id])))
    assert [row[0] for row in rows] == [major.number]


def test_the_task_is_sent_once_the_request_commits_with_json_arguments(
    client, spread, people, low_limit, tasks, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(export_ledger, "apply_async", lambda **options: sent.append(options))
    client.force_login(people.supervisor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(reverse("hazard_export_csv"), {"status": "all", "sector": ""}, **EN)
    task_id = response.url.split("/")[-2]
    tasks.append(task_id)
    assert response.status_code == 302 and not sent
    for callback in callbacks:
        callback()
    [options] = sent
    assert options["task_id"] == task_id
    assert json.loads(json.dumps(options["kwargs"])) == {
        "user_id": people.supervisor.pk,
        "fmt": "csv",
        "params": {"status": ["all"], "sector": [""]},
        "language": "en",
    }
    # Until a worker takes it, the export waits, and its page is already its user's.
    status = client.get(reverse("hazard_export_status_json", args=[task_id]), **EN).json()
    assert status["state"] == "queued" and (status["done"], status["total"], status["percent"]) == (0, 2, 0)
    assert status["download_url"] is None
    assert client.get(reverse("hazard_export_status", args=[task_id])).status_code == 200
    assert client.get(reverse("hazard_export_download", args=[task_id])).status_code == 404


def test_the_progress_json(client, people, tasks):
    task_id = str(uuid.uuid4())
    tasks.append(task_id)
    meta = {"done": 4000, "total": 10_001, "user_id": people.supervisor.pk}
    app.backend.store_result(task_id, meta, "PROGRESS")
    client.force_login(people.supervisor)
    response = client.get(reverse("hazard_export_status_json", args=[task_id]), **EN)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {
        "state": "progress",
        "done": 4000,
        "total": 10_001,
        "percent": 39,
        "message": "Exporting: 4000 of 10001 hazards.",
        "download_url": None,
    }
    page = client.get(reverse("hazard_export_status", args=[task_id]), **EN).content.decode()
    assert 'aria-valuenow="39"' in page and "js/export-progress" in page
    assert f'data-status-url="{reverse("hazard_export_status_json", args=[task_id])}"' in page


def test_the_export_reports_its_progress(spread, people, tmp_path, monkeypatch):
    monkeypatch.setattr(ledger_module, "EXPORT_PROGRESS_EVERY", 1)
    calls = []
    path = tmp_path / "out.csv"
    rows = ledger_module.export_to_file(
        people.supervisor, {"status": ["all"]}, "csv", path, lambda *call: calls.append(call)
    )
    assert rows == 2 and calls == [(0, 2), (1, 2), (2, 2)]


def test_a_failed_export_says_so_to_its_user(
    client, spread, people, low_limit, eager, tasks, django_capture_on_commit_callbacks, monkeypatch
):
    def fail(*args, **kwargs):
        raise ledger_module.ExportRefused(["Region: Unknown region code, or a region outside your scope."])

    monkeypatch.setattr(ledger_module, "export_to_file", fail)
    client.force_login(people.supervisor)
    task_id = start(client, tasks, django_capture_on_commit_callbacks, "hazard_export_csv", {"status": "all"})
    assert app.AsyncResult(task_id).state == EXPORT_FAILED
    status = client.get(reverse("hazard_export_status_json", args=[task_id]), **EN).json()
    assert status["state"] == "failed" and "outside your scope" in status["message"]
    assert client.get(reverse("hazard_export_download", args=[task_id])).status_code == 404


def test_another_user_gets_a_404(
    client, spread, people, low_limit, eager, tasks, django_capture_on_commit_callbacks
):
    client.force_login(people.supervisor)
    task_id = start(client, tasks, django_capture_on_commit_callbacks, "hazard_export_csv", {"status": "all"})
    for user in (people.other_supervisor, people.inspector):
        client.force_login(user)
        for name in ("hazard_export_status", "hazard_export_status_json", "hazard_export_download"):
            assert client.get(reverse(name, args=[task_id])).status_code == 404
    client.logout()
    response = client.get(reverse("hazard_export_download", args=[task_id]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# A random id named by its kind: every pytest-xdist worker must collect the same test names.
@pytest.mark.parametrize(
    "task_id", ["not-a-uuid", "..%2F..%2Fportal", pytest.param(str(uuid.uuid4()), id="unknown-uuid")]
)
def test_an_unknown_task_is_a_404(client, people, tasks, task_id):
    client.force_login(people.supervisor)
    for name in ("hazard_export_status", "hazard_export_status_json", "hazard_export_download"):
        assert client.get(reverse(name, args=[task_id])).status_code == 404


def test_a_queued_state_of_another_user_is_a_404(client, people, tasks):
    task_id = str(uuid.uuid4())
    tasks.append(task_id)
    app.backend.store_result(task_id, {"done": 0, "total": 3, "user_id": people.staff.pk}, EXPORT_QUEUED)
    client.force_login(people.supervisor)
    assert client.get(reverse("hazard_export_status_json", args=[task_id])).status_code == 404
    client.force_login(people.staff)
    assert client.get(reverse("hazard_export_status_json", args=[task_id])).status_code == 200


@pytest.mark.parametrize("name", ["hazard_export_csv", "hazard_export_xlsx"])
def test_below_the_limit_the_export_streams_at_once(
    client, spread, people, monkeypatch, django_capture_on_commit_callbacks, name
):
    monkeypatch.setattr(ledger_module, "EXPORT_ROW_LIMIT", 2)
    monkeypatch.setattr(export_ledger, "apply_async", lambda **options: pytest.fail("sent a task"))
    client.force_login(people.supervisor)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(reverse(name), {"status": "all"}, **EN)
    assert response.status_code == 200 and response.streaming and not callbacks
    _header, *rows = file_rows(response)
    assert len(rows) == 2


def test_expired_exports_are_deleted_and_the_others_kept(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.CELERY_RESULT_EXPIRES = 3600
    folder = tmp_path / "exports"
    folder.mkdir()
    now = 1_800_000_000.0
    ages = {"expired.xlsx": 3601, "stale.csv.part": 7200, "fresh.xlsx": 3599, "writing.csv.part": 10}
    for name, age in ages.items():
        path = folder / name
        path.write_bytes(b"rows")
        os.utime(path, (now - age, now - age))

    assert ledger_module.exports_delete_expired(now=now) == 2
    assert sorted(path.name for path in folder.iterdir()) == ["fresh.xlsx", "writing.csv.part"]


def test_the_sweep_of_exports_runs_every_hour_and_without_a_folder(settings, tmp_path):
    from hazards.tasks import delete_expired_exports

    assert settings.CELERY_BEAT_SCHEDULE["delete-expired-exports"] == {
        "task": "hazards.delete_expired_exports",
        "schedule": 3600,
    }
    settings.VAR_DIR = tmp_path
    assert delete_expired_exports.apply().get() == 0
