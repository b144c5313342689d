"""Background exports of the ledger as rows: started by the pages and the API, run by a worker, expired.

An export over EXPORT_ROW_LIMIT rows is a LedgerExport row. Whoever asked for it sends the task once the
request commits; the task claims the row with a conditional update (queued -> running), so two workers, or a
message sent twice, never run it twice; it writes its progress to the row and marks it done or failed. Beat's
drain sends again what no worker took (a broker lost), and gives back an export whose worker died.
"""

import datetime
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language

from hazards.lib.spreadsheets import csv_lines, write_xlsx
from hazards.models import ExportState, LedgerExport, User
from hazards.selectors import ledger
from hazards.services.audit import audit_export

logger = logging.getLogger(__name__)

# How long a finished export (its file, its page) is kept.
EXPORT_KEPT_FOR = datetime.timedelta(hours=1)
# An export no worker has taken this long after it was asked for is sent again.
EXPORT_UNTAKEN_AFTER = datetime.timedelta(minutes=1)
# A worker that died while exporting (killed, its machine lost) leaves its row running; so many tries in all.
EXPORT_MAX_ATTEMPTS = 3


@transaction.atomic
def ledger_export_start(
    *, user: User, extension: str, params: Mapping[str, list[str]], count: int
) -> LedgerExport:
    """Record a background export of the user's filtered ledger, queued for a worker, and audit it.

    The caller sends the task (hazards.tasks.export_ledger with the row's id) once its transaction commits.
    """
    export = LedgerExport.objects.create(
        user=user, format=extension, params=dict(params), language=get_language() or "", total=count
    )
    audit_export(
        actor=user, what="ledger", fmt=extension, params=MultiValueDict(params), rows=count, background=True
    )
    return export


def ledger_export_run(*, export_id: int) -> ExportState | None:
    """Write a queued export's file, its progress on the row, and mark it done or failed; returns its new
    state, or None when it was not queued (taken by another worker, or finished already)."""
    now = timezone.now()
    taken = LedgerExport.objects.filter(pk=export_id, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING, started_at=now, attempts=F("attempts") + 1, done=0, error=""
    )
    if not taken:
        return None
    export = LedgerExport.objects.select_related("user").get(pk=export_id)
    # Only this run's claim is written to: a run given up for dead must not overwrite the one after it.
    mine = LedgerExport.objects.filter(pk=export_id, state=ExportState.RUNNING, started_at=now)

    def progress(done: int, total: int) -> None:
        mine.update(done=done, total=total)

    partial = export.path.with_name(f"{export.path.name}.{export.attempts}.part")
    try:
        with translation.override(export.language or None):
            rows = export_to_file(
                export.user, export.params, export.format, export.path, progress, partial=partial
            )
    except Exception as failure:
        logger.exception("Background export %s failed", export.uuid)
        # What the user is told: why the filters were refused; anything else is in the log.
        error = "; ".join(failure.errors) if isinstance(failure, ExportRefused) else ""
        finished = timezone.now()
        failed = mine.update(
            state=ExportState.FAILED, error=error, finished_at=finished, expires_at=finished + EXPORT_KEPT_FOR
        )
        return ExportState.FAILED if failed else None
    finished = timezone.now()
    written = mine.update(
        state=ExportState.DONE,
        done=rows,
        total=rows,
        file=export.path.name,
        finished_at=finished,
        expires_at=finished + EXPORT_KEPT_FOR,
    )
    return ExportState.DONE if written else None


def ledger_exports_due(*, now: datetime.datetime | None = None) -> list[int]:
    """The exports a worker should be sent again: queued and not taken in time (the message lost), or given
    back after their worker died. An export whose worker died EXPORT_MAX_ATTEMPTS times is failed instead.

    A worker still at it would have been stopped by CELERY_TASK_TIME_LIMIT: a run older than that is dead.
    """
    now = now or timezone.now()
    dead = LedgerExport.objects.filter(
        state=ExportState.RUNNING,
        started_at__lt=now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60),
    )
    dead.filter(attempts__gte=EXPORT_MAX_ATTEMPTS).update(
        state=ExportState.FAILED, finished_at=now, expires_at=now + EXPORT_KEPT_FOR
    )
    # Started over from the first row: a file is written whole or not at all.
    dead.update(state=ExportState.QUEUED, done=0)
    untaken = LedgerExport.objects.filter(
        state=ExportState.QUEUED, created_at__lte=now - EXPORT_UNTAKEN_AFTER
    ).order_by("created_at")
    return list(untaken.values_list("pk", flat=True))


def ledger_exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of the finished exports whose expiry has passed, and mark them expired; returns how
    many files were deleted. The row's expiry decides, not the file's time."""
    now = now or timezone.now()
    expired = LedgerExport.objects.filter(
        state__in=[ExportState.DONE, ExportState.FAILED], expires_at__lte=now
    )
    deleted = 0
    folder = LedgerExport.folder()
    for export in expired.only("pk", "uuid", "format"):
        # The complete file and whatever a run that died left half written.
        for path in folder.glob(f"{export.uuid}.*") if folder.is_dir() else ():
            try:
                path.unlink()
                deleted += 1
            except FileNotFoundError:  # deleted meanwhile by another clean-up
                continue
        LedgerExport.objects.filter(pk=export.pk, state__in=[ExportState.DONE, ExportState.FAILED]).update(
            state=ExportState.EXPIRED, file=""
        )
    return deleted


class ExportRefused(Exception):
    """The filters of a background export are no longer valid for its user (their scope changed)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def export_to_file(
    user: User,
    params: dict[str, list[str]],
    extension: str,
    path: Path,
    progress: Callable[[int, int], None],
    *,
    partial: Path | None = None,
) -> int:
    """Write the user's filtered ledger to path (in the active language) and give the number of rows.

    params are the request's GET parameters as a dict of lists (JSON, for a task's arguments).
    The same filters, scope and writers as the direct export; progress(done, total) is called at the start
    and then every EXPORT_PROGRESS_EVERY rows. The file is written to partial (by default path with .part
    added) and appears at path only once complete.
    """
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values)
    filterset = ledger.export_filter(user, query)
    if not filterset.is_valid():
        raise ExportRefused(filterset.error_list())
    hazards = filterset.qs
    total = hazards.count()
    done = 0
    progress(done, total)

    def counted(rows: Iterable[list]) -> Iterator[list]:
        nonlocal done
        for cells in rows:
            yield cells
            done += 1
            if done % ledger.EXPORT_PROGRESS_EVERY == 0:
                progress(done, total)

    headers, writer = ledger.export_headers(), ledger.RowWriter.for_active_language()
    rows = counted(ledger.export_rows(hazards, writer))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = partial or path.with_name(path.name + ".part")
    try:
        if extension == "csv":
            with partial.open("w", encoding="utf-8", newline="") as target:
                target.writelines(csv_lines(headers, rows))
        elif extension == "xlsx":
            with partial.open("wb") as target:
                write_xlsx(headers, rows, target)
        else:
            raise ValueError(f"Unknown export format: {extension!r}")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return done
