"""The background export: over EXPORT_ROW_LIMIT rows the ledger is a LedgerExport row, written by a Celery
task (run eagerly here) that claims the row, keeps its progress there and marks it done or failed; its status
page and file are offered to the user who asked, and to no one else. What no worker took, or a worker left
half done, beat's drain sends again; the hourly clean-up reads each row's expiry.
"""

import csv
import datetime
import io
import os
import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hazards.lib import spreadsheets
from hazards.models import ExportState, LedgerExport
from hazards.selectors import ledger as ledger_module
from hazards.services import ledger as exports_module
from hazards.services.ledger import ledger_export_run, ledger_exports_due, ledger_exports_expire
from hazards.tasks import delete_expired_exports, drain_outbox, export_ledger
from safety_portal.celery import app
from tests.hazards.helpers import EN

MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
PAGES = ("hazard_export_status", "hazard_export_status_json", "hazard_export_download")


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
def folder(settings, tmp_path):
    """The exports' files under tmp_path."""
    settings.VAR_DIR = tmp_path
    return tmp_path / "exports"


@pytest.fixture
def eager(folder):
    """Tasks run in this process as they are sent."""
    # On app.conf only: a CELERY_TASK_ALWAYS_EAGER set through the settings fixture outlives the test there.
    keys = ("task_always_eager", "task_eager_propagates")
    previous = {key: app.conf[key] for key in keys}
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield folder
    app.conf.update(previous)


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    """The export tasks sent (the ids they carry), none of them run: a worker that never comes."""
    ids: list[int] = []
    monkeypatch.setattr(export_ledger, "delay", lambda export_id: ids.append(export_id))
    return ids


@pytest.fixture
def writes(monkeypatch) -> list[int]:
    """The ids of the exports whose file was written, in order, by the real writer."""
    written: list[int] = []
    real = exports_module.export_to_file

    def counted(user, params, extension, path, progress, **options):
        written.append(LedgerExport.objects.get(uuid=path.name.split(".")[0]).pk)
        return real(user, params, extension, path, progress, **options)

    monkeypatch.setattr(exports_module, "export_to_file", counted)
    return written


def start(client, capture, name: str, params: dict) -> LedgerExport:
    """Ask for an export over the limit (its task sent once the request commits); its row."""
    with capture(execute=True):
        response = client.get(reverse(name), params, **EN)
    assert response.status_code == 302, response.content
    task_id = response.url.removeprefix("/hazards/exports/").removesuffix("/")
    assert response.url == reverse("hazard_export_status", args=[task_id]) == f"/hazards/exports/{task_id}/"
    assert str(uuid.UUID(task_id)) == task_id
    return LedgerExport.objects.get(uuid=task_id)


def status_of(client, export: LedgerExport) -> dict:
    response = client.get(reverse("hazard_export_status_json", args=[export.uuid]), **EN)
    assert response.status_code == 200
    return response.json()


def file_rows(response) -> list[list]:
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if response["Content-Type"].startswith("text/csv"):
        text = content.decode("utf-8")
        assert text.startswith("\ufeff")
        return list(csv.reader(io.StringIO(text[1:])))
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def finished(user, *, state=ExportState.DONE, expires_at=None, body: bytes = b"rows") -> LedgerExport:
    """A finished export of the user's, its file written (when done), expiring in an hour unless told."""
    now = timezone.now()
    export = LedgerExport(user=user, format="csv", language="en", state=state, done=1, total=1)
    export.finished_at, export.expires_at = now, expires_at or now + HOUR
    if state == ExportState.DONE:
        export.path.parent.mkdir(parents=True, exist_ok=True)
        export.path.write_bytes(body)
        export.file = export.path.name
    export.save()
    return export


@pytest.mark.parametrize(
    ("name", "extension"), [("hazard_export_csv", "csv"), ("hazard_export_xlsx", "xlsx")]
)
def test_an_export_over_the_limit_is_written_in_the_background(
    client, spread, cast, low_limit, eager, django_capture_on_commit_callbacks, name, extension
):
    client.force_login(cast.shenyang_supervisor)
    export = start(client, django_capture_on_commit_callbacks, name, {"status": "all"})

    # The file, in the user's scope (沈阳市: not 中山区), under VAR_DIR/exports; the outcome on the row.
    export.refresh_from_db()
    path = eager / f"{export.uuid}.{extension}"
    assert path.is_file() and not list(eager.glob("*.part"))
    assert (export.user, export.format, export.state, export.done, export.total, export.attempts) == (
        cast.shenyang_supervisor,
        extension,
        ExportState.DONE,
        2,
        2,
        1,
    )
    assert export.file == path.name and export.error == ""
    assert export.created_at <= export.started_at <= export.finished_at
    assert export.expires_at == export.finished_at + HOUR

    assert status_of(client, export) == {
        "state": "done",
        "done": 2,
        "total": 2,
        "percent": 100,
        "message": "The export is ready: 2 hazards.",
        "download_url": reverse("hazard_export_download", args=[export.uuid]),
    }
    download_url = reverse("hazard_export_download", args=[export.uuid])
    page = client.get(reverse("hazard_export_status", args=[export.uuid]), **EN)
    assert page.status_code == 200
    assert f'href="{download_url}"' in page.content.decode()

    response = client.get(download_url)
    assert response["Content-Type"] == spreadsheets.EXPORT_CONTENT_TYPES[extension]
    assert response["Content-Disposition"].startswith("attachment;")
    header, *rows = file_rows(response)
    assert header[0] == "Number"
    assert sorted(row[0] for row in rows) == sorted([spread["heping"].number, spread["shenhe"].number])


def test_a_background_export_applies_the_filters(
    client, spread, cast, make_hazard, liaoning, eager, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(ledger_module, "EXPORT_ROW_LIMIT", 0)
    major = make_hazard(major=True, enterprise=liaoning.enterprises["shenhe"])
    client.force_login(cast.shenyang_supervisor)
    params = {"region": "210103", "level": "major"}
    export = start(client, django_capture_on_commit_callbacks, "hazard_export_xlsx", params)
    _header, *rows = file_rows(client.get(reverse("hazard_export_download", args=[export.uuid])))
    assert [row[0] for row in rows] == [major.number]


def test_the_task_is_sent_with_the_rows_id_once_the_request_commits(
    client, spread, cast, low_limit, sent, django_capture_on_commit_callbacks
):
    client.force_login(cast.shenyang_supervisor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(reverse("hazard_export_csv"), {"status": "all", "sector": ""}, **EN)
    assert response.status_code == 302 and not sent
    # What the export is, is the row: who asked, the filters, the format and the language.
    export = LedgerExport.objects.get()
    assert response.url == reverse("hazard_export_status", args=[export.uuid])
    assert (export.user, export.format, export.language, export.state) == (
        cast.shenyang_supervisor,
        "csv",
        "en",
        ExportState.QUEUED,
    )
    assert export.params == {"status": ["all"], "sector": [""]}
    for callback in callbacks:
        callback()
    assert sent == [export.pk]
    # Until a worker takes it, the export waits, and its page is already its user's.
    status = status_of(client, export)
    assert status["state"] == "queued" and (status["done"], status["total"], status["percent"]) == (0, 2, 0)
    assert status["download_url"] is None
    assert client.get(reverse("hazard_export_status", args=[export.uuid])).status_code == 200
    assert client.get(reverse("hazard_export_download", args=[export.uuid])).status_code == 404


def test_a_broker_that_is_down_does_not_fail_the_request(
    client, spread, cast, low_limit, monkeypatch, django_capture_on_commit_callbacks
):
    def down(export_id):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(export_ledger, "delay", down)
    client.force_login(cast.shenyang_supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("hazard_export_csv"), **EN)
    assert response.status_code == 302
    assert LedgerExport.objects.get().state == ExportState.QUEUED  # for the drain to send


def test_the_progress_json(client, cast):
    export = LedgerExport.objects.create(
        user=cast.shenyang_supervisor,
        format="csv",
        language="en",
        state=ExportState.RUNNING,
        done=4000,
        total=10001,
    )
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("hazard_export_status_json", args=[export.uuid]), **EN)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {
        "state": "progress",
        "done": 4000,
        "total": 10_001,
        "percent": 39,
        "message": "Exporting: 4000 of 10001 hazards.",
        "download_url": None,
    }
    page = client.get(reverse("hazard_export_status", args=[export.uuid]), **EN).content.decode()
    assert 'aria-valuenow="39"' in page and "js/export-progress" in page
    assert f'data-status-url="{reverse("hazard_export_status_json", args=[export.uuid])}"' in page


def test_the_export_reports_its_progress(spread, cast, tmp_path, monkeypatch):
    monkeypatch.setattr(ledger_module, "EXPORT_PROGRESS_EVERY", 1)
    calls = []
    path = tmp_path / "out.csv"
    rows = exports_module.export_to_file(
        cast.shenyang_supervisor, {"status": ["all"]}, "csv", path, lambda *call: calls.append(call)
    )
    assert rows == 2 and calls == [(0, 2), (1, 2), (2, 2)]


def test_the_task_writes_its_progress_to_the_row(spread, cast, folder, monkeypatch):
    monkeypatch.setattr(ledger_module, "EXPORT_PROGRESS_EVERY", 1)
    export = exports_module.ledger_export_start(
        user=cast.shenyang_supervisor, extension="csv", params={"status": ["all"]}, count=5
    )
    real, seen = exports_module.export_to_file, []

    def watched(user, params, extension, path, progress, **options):
        def noted(done, total):
            progress(done, total)
            seen.append(LedgerExport.objects.values_list("state", "done", "total").get(pk=export.pk))

        return real(user, params, extension, path, noted, **options)

    monkeypatch.setattr(exports_module, "export_to_file", watched)
    assert ledger_export_run(export_id=export.pk) == ExportState.DONE
    # The total asked for (5) is replaced by what the filters give when the worker starts (2).
    assert seen == [("running", 0, 2), ("running", 1, 2), ("running", 2, 2)]


def test_a_failed_export_says_so_to_its_user(
    client, spread, cast, low_limit, eager, django_capture_on_commit_callbacks, monkeypatch
):
    def fail(*args, **kwargs):
        raise exports_module.ExportRefused(["Region: Unknown region code, or a region outside your scope."])

    monkeypatch.setattr(exports_module, "export_to_file", fail)
    client.force_login(cast.shenyang_supervisor)
    export = start(client, django_capture_on_commit_callbacks, "hazard_export_csv", {"status": "all"})
    export.refresh_from_db()
    assert export.state == ExportState.FAILED and "outside your scope" in export.error
    assert export.expires_at == export.finished_at + HOUR
    status = status_of(client, export)
    assert status["state"] == "failed" and "outside your scope" in status["message"]
    assert client.get(reverse("hazard_export_download", args=[export.uuid])).status_code == 404


def test_an_unexpected_failure_is_shown_failed_without_its_details(cast, spread, folder, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("disk full at /srv/portal/var")

    monkeypatch.setattr(exports_module, "export_to_file", crash)
    export = exports_module.ledger_export_start(
        user=cast.shenyang_supervisor, extension="csv", params={}, count=2
    )
    assert ledger_export_run(export_id=export.pk) == ExportState.FAILED
    export.refresh_from_db()
    assert (export.state, export.error) == (ExportState.FAILED, "")


def test_another_user_gets_a_404_on_the_page_the_status_and_the_download(
    client, spread, cast, low_limit, eager, django_capture_on_commit_callbacks
):
    client.force_login(cast.shenyang_supervisor)
    export = start(client, django_capture_on_commit_callbacks, "hazard_export_csv", {"status": "all"})
    for name in PAGES:
        assert client.get(reverse(name, args=[export.uuid])).status_code == 200
    for user in (cast.dalian_supervisor, cast.heping_inspector):
        client.force_login(user)
        for name in PAGES:
            assert client.get(reverse(name, args=[export.uuid])).status_code == 404, (user, name)
    client.logout()
    response = client.get(reverse("hazard_export_download", args=[export.uuid]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# A random id named by its kind: every pytest-xdist worker must collect the same test names.
@pytest.mark.parametrize(
    "task_id", ["not-a-uuid", "..%2F..%2Fportal", pytest.param(str(uuid.uuid4()), id="unknown-uuid")]
)
def test_an_unknown_task_is_a_404(client, cast, task_id):
    client.force_login(cast.shenyang_supervisor)
    for name in PAGES:
        assert client.get(reverse(name, args=[task_id])).status_code == 404


def test_a_queued_export_of_another_user_is_a_404(client, cast):
    export = LedgerExport.objects.create(user=cast.heping_staff, format="csv", language="en", total=3)
    client.force_login(cast.shenyang_supervisor)
    assert client.get(reverse("hazard_export_status_json", args=[export.uuid])).status_code == 404
    client.force_login(cast.heping_staff)
    assert client.get(reverse("hazard_export_status_json", args=[export.uuid])).status_code == 200


@pytest.mark.parametrize("name", ["hazard_export_csv", "hazard_export_xlsx"])
def test_below_the_limit_the_export_streams_at_once(
    client, spread, cast, monkeypatch, django_capture_on_commit_callbacks, name
):
    monkeypatch.setattr(ledger_module, "EXPORT_ROW_LIMIT", 2)
    monkeypatch.setattr(export_ledger, "delay", lambda *args: pytest.fail("sent a task"))
    client.force_login(cast.shenyang_supervisor)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(reverse(name), {"status": "all"}, **EN)
    assert response.status_code == 200 and response.streaming and not callbacks
    assert not LedgerExport.objects.exists()
    _header, *rows = file_rows(response)
    assert len(rows) == 2


# --- The drain: what no worker took, or a worker left half done --------------------------------------------


def test_an_export_whose_message_was_lost_is_sent_again_by_the_drain_and_written(
    client, spread, cast, low_limit, sent, django_capture_on_commit_callbacks, folder
):
    client.force_login(cast.shenyang_supervisor)
    export = start(client, django_capture_on_commit_callbacks, "hazard_export_csv", {"status": "all"})
    assert sent == [export.pk]
    sent.clear()  # the broker loses the message
    # A drain right away leaves it to that message: a worker may be about to take it.
    assert ledger_exports_due() == []
    # A minute later no worker has taken it: the drain sends it again, and a worker writes it.
    assert ledger_exports_due(now=timezone.now() + 2 * MINUTE) == [export.pk]
    LedgerExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - 2 * MINUTE)
    drain_outbox()
    assert sent == [export.pk]
    assert ledger_export_run(export_id=export.pk) == ExportState.DONE
    assert status_of(client, export)["state"] == "done"
    _header, *rows = file_rows(client.get(reverse("hazard_export_download", args=[export.uuid])))
    assert len(rows) == 2
    assert ledger_exports_due(now=timezone.now() + HOUR) == []  # done: never sent again


def test_a_worker_that_died_mid_export_leaves_a_row_the_next_run_finishes(
    cast, spread, folder, settings, monkeypatch
):
    export = exports_module.ledger_export_start(
        user=cast.shenyang_supervisor, extension="csv", params={}, count=2
    )
    real = exports_module.export_to_file

    def killed(user, params, extension, path, progress, *, partial):
        progress(0, 2)
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text("half a file")
        raise SystemExit  # as good as SIGKILL here: nothing after it runs

    monkeypatch.setattr(exports_module, "export_to_file", killed)
    with pytest.raises(SystemExit):
        ledger_export_run(export_id=export.pk)
    monkeypatch.setattr(exports_module, "export_to_file", real)
    export.refresh_from_db()
    assert (export.state, export.attempts) == (ExportState.RUNNING, 1)

    # While a worker could still be at it (within the task's time limit), the drain leaves it running.
    limit = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    assert ledger_exports_due(now=export.started_at + limit) == []
    assert LedgerExport.objects.get(pk=export.pk).state == ExportState.RUNNING
    # Past it the worker is dead: the export is queued again, from the first row, and the next run writes it.
    assert ledger_exports_due(now=export.started_at + limit + 2 * MINUTE) == [export.pk]
    export.refresh_from_db()
    assert (export.state, export.done, export.attempts) == (ExportState.QUEUED, 0, 1)
    assert ledger_export_run(export_id=export.pk) == ExportState.DONE
    export.refresh_from_db()
    assert (export.state, export.done, export.total, export.attempts) == (ExportState.DONE, 2, 2, 2)
    with export.path.open(encoding="utf-8") as written:
        assert len(list(csv.reader(written))) == 1 + 2
    # The half-written file of the dead run goes with the export when it expires.
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [export.path.name, f"{export.path.name}.1.part"]
    )
    assert ledger_exports_expire(now=export.expires_at) == 2
    assert list(folder.iterdir()) == []


def test_an_export_whose_worker_died_every_time_is_shown_failed(client, cast, spread, folder, settings):
    limit = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    long_ago = timezone.now() - limit - 2 * MINUTE
    export = LedgerExport.objects.create(
        user=cast.shenyang_supervisor,
        format="csv",
        language="en",
        state=ExportState.RUNNING,
        attempts=exports_module.EXPORT_MAX_ATTEMPTS,
        started_at=long_ago,
        total=2,
    )
    assert ledger_exports_due() == []
    export.refresh_from_db()
    assert export.state == ExportState.FAILED and export.finished_at is not None
    client.force_login(cast.shenyang_supervisor)
    status = status_of(client, export)
    assert status["state"] == "failed"
    assert status["message"] == "The export failed. Go back to the hazards and export again."


def test_two_workers_never_run_the_same_export_twice(cast, spread, folder, writes):
    export = exports_module.ledger_export_start(
        user=cast.shenyang_supervisor, extension="csv", params={}, count=2
    )
    assert ledger_export_run(export_id=export.pk) == ExportState.DONE
    assert ledger_export_run(export_id=export.pk) is None  # the same message delivered twice
    assert writes == [export.pk]


def test_two_drains_send_an_export_twice_and_it_is_written_once(cast, spread, eager, writes):
    export = exports_module.ledger_export_start(
        user=cast.shenyang_supervisor, extension="csv", params={}, count=2
    )
    LedgerExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - 2 * MINUTE)
    # The first drain's task claims the export before the second drain's runs; both find it queued.
    assert ledger_exports_due() == ledger_exports_due() == [export.pk]
    assert drain_outbox()["exports"] == 1
    assert drain_outbox()["exports"] == 0
    export_ledger.delay(export.pk)  # and a message the broker redelivers
    assert writes == [export.pk]
    assert LedgerExport.objects.get(pk=export.pk).attempts == 1


def test_a_run_given_up_for_dead_does_not_overwrite_the_run_after_it(cast, spread, folder, settings):
    """A worker that comes back to life after its export was queued again (and written by another) finds
    the row no longer its own."""
    export = exports_module.ledger_export_start(
        user=cast.shenyang_supervisor, extension="csv", params={}, count=2
    )
    real = exports_module.export_to_file
    limit = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)

    def slow(user, params, extension, path, progress, **options):
        exports_module.export_to_file = real
        try:
            # Meanwhile, the drain takes the run for dead, and another worker writes the export whole.
            assert ledger_exports_due(now=timezone.now() + limit) == [export.pk]
            assert ledger_export_run(export_id=export.pk) == ExportState.DONE
        finally:
            exports_module.export_to_file = slow
        progress(1, 2)
        raise OSError("the first worker's disk is gone")

    exports_module.export_to_file = slow
    try:
        assert ledger_export_run(export_id=export.pk) is None
    finally:
        exports_module.export_to_file = real
    export.refresh_from_db()
    assert (export.state, export.done, export.total, export.attempts) == (ExportState.DONE, 2, 2, 2)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_claim_an_export_once(reference_data, cast, spread, folder, writes):
    export = exports_module.ledger_export_start(
        user=cast.shenyang_supervisor, extension="csv", params={}, count=2
    )
    barrier, outcomes = threading.Barrier(2), []

    def work():
        try:
            barrier.wait(timeout=10)
            outcomes.append(ledger_export_run(export_id=export.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes, key=str) == [None, ExportState.DONE]
    assert writes == [export.pk]


# --- Expiry, by the row ---------------------------------------------------------------------------------


def test_expired_exports_are_deleted_by_their_rows_expiry_not_their_files_time(client, cast, folder):
    now = timezone.now()
    expired = finished(cast.shenyang_supervisor, expires_at=now - MINUTE)
    kept = finished(cast.shenyang_supervisor, expires_at=now + MINUTE)
    failed = finished(cast.shenyang_supervisor, state=ExportState.FAILED, expires_at=now - MINUTE)
    # The file times say the opposite of the rows: the rows decide.
    os.utime(expired.path, (now.timestamp(), now.timestamp()))
    old = (now - 30 * HOUR).timestamp()
    os.utime(kept.path, (old, old))
    running = LedgerExport.objects.create(
        user=cast.shenyang_supervisor, format="csv", language="en", state=ExportState.RUNNING
    )

    client.force_login(cast.shenyang_supervisor)
    # Past its expiry an export is gone at once, before the clean-up has come.
    for name in PAGES:
        assert client.get(reverse(name, args=[expired.uuid])).status_code == 404
        assert client.get(reverse(name, args=[kept.uuid])).status_code == 200
    assert ledger_exports_expire(now=now) == 1
    assert sorted(path.name for path in folder.iterdir()) == [kept.path.name]
    states = dict(LedgerExport.objects.values_list("pk", "state"))
    assert states == {
        expired.pk: ExportState.EXPIRED,
        failed.pk: ExportState.EXPIRED,
        kept.pk: ExportState.DONE,
        running.pk: ExportState.RUNNING,
    }
    assert LedgerExport.objects.get(pk=expired.pk).file == ""
    assert ledger_exports_expire(now=now) == 0
    # Once marked expired, it stays gone whatever its expiry says.
    LedgerExport.objects.filter(pk=expired.pk).update(expires_at=now + HOUR)
    assert client.get(reverse("hazard_export_status_json", args=[expired.uuid])).status_code == 404


@pytest.mark.django_db
def test_the_drain_runs_every_minute_and_the_clean_up_every_hour_without_a_folder(settings, folder):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["drain-outbox"] == {"task": "hazards.drain_outbox", "schedule": 60}
    assert schedule["delete-expired-exports"] == {"task": "hazards.delete_expired_exports", "schedule": 3600}
    assert not folder.exists()
    assert delete_expired_exports.apply().get() == 0
