"""The ledger (隐患台账) and its exports, CSV and XLSX: the filters and scope of the list, streamed.

An export over EXPORT_ROW_LIMIT rows is recorded as a LedgerExport and written by a Celery task
(hazards.export_ledger) instead: the user is sent to a status page that follows its progress and, once done,
offers the file. Only that user may see either.
"""

from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hazards.http import export_response
from hazards.lib import spreadsheets
from hazards.lib.errors import NotFound
from hazards.models import LedgerExport
from hazards.selectors import ledger
from hazards.selectors.ledger import ledger_page
from hazards.selectors.ledger_exports import ledger_export_file, ledger_export_of, ledger_export_progress
from hazards.services.hazards import SOURCES_BY_ROLE
from hazards.services.ledger import ledger_export_start
from hazards.tasks import export_ledger, send_on_commit


@login_required
@require_GET
def hazard_list(request: HttpRequest) -> HttpResponse:
    """The ledger: the hazards in the user's scope, a page at a time, by status tab (?status=) and filters."""
    listing = ledger_page(request.user, request.GET)
    return render(
        request,
        "hazards/hazard_list.html",
        {
            "listing": listing,
            "page": listing.page,
            "form": listing.filterset.form,
            "can_log_hazards": request.user.role in SOURCES_BY_ROLE,
        },
    )


def _exported(request: HttpRequest, extension: str) -> HttpResponse:
    """The export as a file; else the 400 page saying why not, or the redirect to a background export."""
    filterset = ledger.export_filter(request.user, request.GET)
    if not filterset.is_valid():
        return _refused(request, _("The filters are not valid."), filterset.error_list())
    hazards = filterset.qs
    count = hazards.count()
    if count > ledger.EXPORT_ROW_LIMIT:
        return _in_background(request, extension, count)
    return export_response(hazards, extension, user=request.user, params=request.GET, rows=count)


def _refused(request: HttpRequest, message: str, errors: list[str]) -> HttpResponse:
    return render(
        request,
        "hazards/export_refused.html",
        {"message": message, "errors": errors, "query": request.GET.urlencode()},
        status=400,
    )


def _in_background(request: HttpRequest, extension: str, count: int) -> HttpResponse:
    """Hand the export to a worker once the request commits, and send the user to its status page."""
    params = {key: request.GET.getlist(key) for key in request.GET}
    export = ledger_export_start(user=request.user, extension=extension, params=params, count=count)
    send_on_commit(export_ledger, export.pk)
    return redirect("hazard_export_status", task_id=str(export.uuid))


@login_required
@require_GET
def hazard_export_csv(request: HttpRequest) -> HttpResponse:
    """The filtered ledger as CSV (UTF-8 with a byte-order mark, so spreadsheets read the Chinese)."""
    return _exported(request, "csv")


@login_required
@require_GET
def hazard_export_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered ledger as an XLSX workbook, written row by row to a temporary file."""
    return _exported(request, "xlsx")


# --- Background exports ---------------------------------------------------------------------------------


def _users_export(request: HttpRequest, task_id: str) -> LedgerExport:
    """The user's export of that id; another user's, an unknown or an expired one is a 404."""
    try:
        return ledger_export_of(request.user, task_id)
    except NotFound as missing:
        raise Http404 from missing


def _progress(export: LedgerExport) -> dict:
    """The export's progress as the status page and its JSON show it."""
    return ledger_export_progress(export, reverse("hazard_export_download", args=[str(export.uuid)]))


@login_required
@require_GET
@never_cache
def hazard_export_status(request: HttpRequest, task_id: str) -> HttpResponse:
    """The page following a background export: a progress bar, then the download link."""
    export = _users_export(request, task_id)
    task_id = str(export.uuid)
    return render(
        request,
        "hazards/export_status.html",
        {
            "task_id": task_id,
            "progress": _progress(export),
            "status_url": reverse("hazard_export_status_json", args=[task_id]),
        },
    )


@login_required
@require_GET
@never_cache
def hazard_export_status_json(request: HttpRequest, task_id: str) -> JsonResponse:
    """The progress of a background export, for the status page's script."""
    return JsonResponse(_progress(_users_export(request, task_id)))


@login_required
@require_GET
def hazard_export_download(request: HttpRequest, task_id: str) -> FileResponse:
    """The file of a finished background export, as an attachment."""
    export = _users_export(request, task_id)
    try:
        file, extension = ledger_export_file(export)
    except NotFound as missing:
        raise Http404 from missing
    return FileResponse(
        file,
        as_attachment=True,
        filename=ledger.export_filename(extension),
        content_type=spreadsheets.EXPORT_CONTENT_TYPES[extension],
    )
