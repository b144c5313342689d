"""The ledger's exports, CSV and XLSX: the list's filters and scope, streamed in constant memory."""

import csv
import tempfile
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from hazards import ledger
from hazards.models.hazards import HazardQuerySet


class _Echo:
    """A file whose write() hands back the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def _exported(request: HttpRequest) -> HazardQuerySet | HttpResponse:
    """The hazards to export, or the 400 page saying why not (a refused filter, too many rows)."""
    filterset = ledger.export_filter(request.user, request.GET)
    if not filterset.is_valid():
        return _refused(request, _("The filters are not valid."), filterset.error_list())
    hazards = filterset.qs
    count = hazards.count()
    if count > ledger.EXPORT_ROW_LIMIT:
        message = _(
            "%(count)s hazards match these filters; an export holds at most %(limit)s. "
            "Narrow the filters (a region, a status or a period) and export again."
        ) % {"count": count, "limit": ledger.EXPORT_ROW_LIMIT}
        return _refused(request, message, [])
    return hazards


def _refused(request: HttpRequest, message: str, errors: list[str]) -> HttpResponse:
    return render(
        request,
        "hazards/export_refused.html",
        {"message": message, "errors": errors, "query": request.GET.urlencode()},
        status=400,
    )


@login_required
@require_GET
def hazard_export_csv(request: HttpRequest) -> HttpResponse:
    """The filtered ledger as CSV (UTF-8 with a byte-order mark, so spreadsheets read the Chinese)."""
    hazards = _exported(request)
    if isinstance(hazards, HttpResponse):
        return hazards
    # Headers and labels are fixed now, in the request's language, not when the body is streamed.
    headers, writer = ledger.export_headers(), ledger.RowWriter.for_active_language()

    def lines() -> Iterator[str]:
        out = csv.writer(_Echo())
        yield "\ufeff" + out.writerow(headers)
        for cells in ledger.export_rows(hazards, writer):
            yield out.writerow(["" if cell is None else cell for cell in cells])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ledger.export_filename("csv")}"'
    return response


@login_required
@require_GET
def hazard_export_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered ledger as an XLSX workbook, written row by row to a temporary file."""
    hazards = _exported(request)
    if isinstance(hazards, HttpResponse):
        return hazards
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Hazards"))
    sheet.append(ledger.export_headers())
    for cells in ledger.export_rows(hazards, ledger.RowWriter.for_active_language()):
        sheet.append(cells)
    # An unnamed temporary file: gone once FileResponse has sent and closed it.
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=ledger.export_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
