"""Background exports of the ledger: started, followed and fetched alike by the pages and the API.

An export over EXPORT_ROW_LIMIT rows runs as the Celery task hazards.export_ledger; its state in the result
backend holds the id of the user who asked, and only that user may see its progress or fetch its file.
"""

import uuid
from collections.abc import Mapping
from typing import IO

from celery.result import AsyncResult
from django.db import transaction
from django.http import Http404
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hazards import ledger
from hazards.models import User
from hazards.services.audit import audit_export
from hazards.tasks import EXPORT_FAILED, EXPORT_QUEUED, export_ledger


def export_in_background(user: User, extension: str, params: Mapping[str, list[str]], count: int) -> str:
    """Hand the export to a worker once the request commits; its task id, the user's at once."""
    task_id = str(uuid.uuid4())
    user_id = user.pk
    kwargs = {"user_id": user_id, "fmt": extension, "params": dict(params), "language": get_language()}

    def enqueue() -> None:
        # The user id is recorded before a worker takes the task, so the status is the user's at once.
        export_ledger.backend.store_result(
            task_id, {"done": 0, "total": count, "user_id": user_id}, EXPORT_QUEUED
        )
        export_ledger.apply_async(kwargs=kwargs, task_id=task_id)

    transaction.on_commit(enqueue)
    audit_export(
        actor=user, what="ledger", fmt=extension, params=MultiValueDict(params), rows=count, background=True
    )
    return task_id


def users_export(user: User, task_id: str) -> tuple[str, str, dict]:
    """The task id, state and meta (or result) of the user's background export; else Http404.

    Unknown, malformed and other users' task ids all give the same 404.
    """
    try:
        task_id = str(uuid.UUID(task_id))
    except ValueError:
        raise Http404 from None
    result = AsyncResult(task_id, app=export_ledger.app)
    info = result.info
    # A task the backend never heard of is PENDING without meta; a FAILURE (a worker lost) holds no user.
    if not isinstance(info, dict) or info.get("user_id") != user.pk:
        raise Http404
    return task_id, result.state, info


def export_progress(state: str, info: dict, download_url: str) -> dict:
    """The export's progress: its state, rows done of the total, a message, and once done download_url."""
    done, total = info.get("done", 0), info.get("total", 0)
    url = None
    if state == "SUCCESS":
        done = total = info["rows"]
        url = download_url
        message = _("The export is ready: %(rows)s hazards.") % {"rows": info["rows"]}
    elif state == EXPORT_FAILED:
        message = _("The export failed. Go back to the hazards and export again.")
        if info.get("error"):
            message = f"{message} {info['error']}"
    elif state == "PROGRESS":
        message = _("Exporting: %(done)s of %(total)s hazards.") % {"done": done, "total": total}
    else:
        message = _("Waiting for a worker to start the export of %(total)s hazards.") % {"total": total}
    return {
        "state": {"SUCCESS": "done", EXPORT_FAILED: "failed", "PROGRESS": "progress"}.get(state, "queued"),
        "done": done,
        "total": total,
        "percent": 100 if state == "SUCCESS" else (done * 100 // total if total else 0),
        "message": message,
        "download_url": url,
    }


def export_file(task_id: str, state: str, info: dict) -> tuple[IO[bytes], str]:
    """The open file of a finished export and its extension; Http404 while it is not done, or gone."""
    extension = info.get("format")
    if state != "SUCCESS" or extension not in ledger.EXPORT_CONTENT_TYPES:
        raise Http404
    # The path follows from the task id, not from what the result backend says.
    try:
        return ledger.export_path(task_id, extension).open("rb"), extension
    except FileNotFoundError:
        raise Http404 from None
