"""Reads of the ledger's background exports, alike for the pages and the API: only its user sees one.

An unknown id, a malformed one, another user's export and an expired one are all the same NotFound.
"""

import uuid
from typing import IO

from django.utils.translation import gettext as _

from hazards.lib import spreadsheets
from hazards.lib.errors import NotFound
from hazards.models import ExportState, LedgerExport, User


def _not_found() -> NotFound:
    return NotFound(_("Not found, or outside your scope."))


def ledger_export_of(user: User, export_id: str) -> LedgerExport:
    """The user's background export of that id (the UUID in its addresses); else NotFound."""
    try:
        key = uuid.UUID(export_id)
    except ValueError:
        raise _not_found() from None
    export = LedgerExport.objects.visible_to(user).shown().filter(uuid=key).first()
    if export is None:
        raise _not_found()
    return export


# The state each interface shows, by the row's state.
SHOWN_STATES = {
    ExportState.QUEUED: "queued",
    ExportState.RUNNING: "progress",
    ExportState.DONE: "done",
    ExportState.FAILED: "failed",
}


def ledger_export_progress(export: LedgerExport, download_url: str) -> dict:
    """The export's progress: its state, rows done of the total, a message, and once done download_url."""
    done, total = export.done, export.total
    url = None
    if export.state == ExportState.DONE:
        url = download_url
        message = _("The export is ready: %(rows)s hazards.") % {"rows": done}
    elif export.state == ExportState.FAILED:
        message = _("The export failed. Go back to the hazards and export again.")
        if export.error:
            message = f"{message} {export.error}"
    elif export.state == ExportState.RUNNING:
        message = _("Exporting: %(done)s of %(total)s hazards.") % {"done": done, "total": total}
    else:
        message = _("Waiting for a worker to start the export of %(total)s hazards.") % {"total": total}
    return {
        "state": SHOWN_STATES.get(export.state, "queued"),
        "done": done,
        "total": total,
        "percent": 100 if export.state == ExportState.DONE else (done * 100 // total if total else 0),
        "message": message,
        "download_url": url,
    }


def ledger_export_file(export: LedgerExport) -> tuple[IO[bytes], str]:
    """The open file of a finished export and its extension; NotFound while it is not done, or once gone."""
    if (
        export.state != ExportState.DONE
        or not export.file
        or export.format not in spreadsheets.EXPORT_CONTENT_TYPES
    ):
        raise _not_found()
    # The path is the row's own, made from its id and format, never from the request.
    try:
        return export.path.open("rb"), export.format
    except FileNotFoundError:
        raise _not_found() from None
