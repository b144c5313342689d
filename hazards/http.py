"""The responses that the pages and the API both send: downloads (the ledger's exports, a ranking's workbook,
the quarterly statistics, evidence files) and the answer to a locked-out login.

Every download is in the active language, recorded in the audit log where it is an export, and built from the
spreadsheet writers of hazards.lib.spreadsheets, so a page and its API endpoint send the same bytes.
"""

import tempfile
from collections.abc import Iterable, Iterator
from pathlib import PurePath

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hazards.lib.spreadsheets import EXPORT_CONTENT_TYPES, csv_lines, write_xlsx
from hazards.models import Evidence, QuarterlyStatistics, RankingRun, User
from hazards.models.hazards import HazardQuerySet
from hazards.models.statistics import COUNT_FIELDS
from hazards.selectors import ledger
from hazards.selectors.rankings import export_headers as ranking_headers
from hazards.selectors.rankings import export_rows as ranking_rows
from hazards.services.audit import audit_export
from hazards.services.statistics import statistics_of_quarter

# --- Spreadsheets ---------------------------------------------------------------------------------------


def csv_attachment(headers: list[str], rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    """The rows as a streamed CSV attachment (UTF-8 and a byte-order mark: spreadsheets then read Chinese)."""
    response = StreamingHttpResponse(csv_lines(headers, rows), content_type=EXPORT_CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_attachment(
    headers: list[str], rows: Iterable[list], filename: str, *, title: str | None = None
) -> FileResponse:
    """The rows as an XLSX workbook attachment, written row by row to an unnamed temporary file that is gone
    once FileResponse has sent and closed it."""
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_xlsx(headers, rows, spool, title=title)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type=EXPORT_CONTENT_TYPES["xlsx"]
    )


def export_response(
    hazards: HazardQuerySet, extension: str, *, user: User, params: QueryDict, rows: int
) -> HttpResponse:
    """The hazards of the ledger as an attachment, CSV streamed or an XLSX workbook; audited with the filters
    it was asked with."""
    audit_export(actor=user, what="ledger", fmt=extension, params=params, rows=rows)
    # Headers and labels are fixed now, in the request's language, not when the body is streamed.
    headers, writer = ledger.export_headers(), ledger.RowWriter.for_active_language()
    cells = ledger.export_rows(hazards, writer)
    if extension == "csv":
        return csv_attachment(headers, cells, ledger.export_filename("csv"))
    return xlsx_attachment(headers, cells, ledger.export_filename("xlsx"))


def run_workbook_response(run: RankingRun, *, user: User) -> FileResponse:
    """A ranking run's every entry, with each indicator's points, as an XLSX workbook; audited."""
    audit_export(actor=user, what="ranking", fmt="xlsx", obj=run)
    filename = f"ranking-{run.scope.code}-{run.year}Q{run.quarter}.xlsx"
    return xlsx_attachment(ranking_headers(), ranking_rows(run), filename, title=_("Ranking"))


def statistics_columns() -> list[str]:
    """The names of the quarterly statistics' figures, as the page's table and the CSV head them."""
    return [capfirst(QuarterlyStatistics._meta.get_field(name).verbose_name) for name in COUNT_FIELDS]


def _local_time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def statistics_csv_response(user: User, year: int, quarter: int) -> StreamingHttpResponse:
    """The quarter's reports in the user's scope as a streamed CSV attachment; audited."""
    statistics = statistics_of_quarter(user, year, quarter)
    audit_export(
        actor=user,
        what="statistics",
        fmt="csv",
        params=MultiValueDict({"year": [str(year)], "quarter": [str(quarter)]}),
    )
    headers = [
        _("Year"),
        _("Quarter"),
        _("Region code"),
        _("Region"),
        _("Enterprise"),
        _("Unified social credit code"),
        _("Sector"),
        *statistics_columns(),
        _("Confirmed at"),
        _("Principal person"),
    ]
    # The body is streamed after the request's language is gone: sector names are taken in this one.
    language = translation.get_language()

    def rows() -> Iterator[list]:
        for row in statistics.iterator(chunk_size=500):
            with translation.override(language):
                sector = row.sector.name
            yield [
                row.year,
                row.quarter,
                row.region.code,
                row.region.name,
                row.enterprise.name,
                row.enterprise.credit_code,
                sector,
                *(getattr(row, name) for name in COUNT_FIELDS),
                _local_time(row.confirmed_at),
                row.principal_name,
            ]

    return csv_attachment(headers, rows(), f"quarterly-statistics-{year}-Q{quarter}.csv")


# --- Evidence files -------------------------------------------------------------------------------------


def file_response(file: FieldFile, content_type: str, *, filename: str = "") -> FileResponse:
    """The file as an attachment when named, else inline (thumbnails); not sniffed, cached privately."""
    if not file:
        raise Http404
    response = FileResponse(
        file.open("rb"), as_attachment=bool(filename), filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def evidence_download_response(evidence: Evidence) -> HttpResponse:
    """The evidence file as an attachment, for a user whose scope the caller has checked.

    Streamed through the portal, or, with EVIDENCE_DOWNLOAD_REDIRECT on an S3 bucket, a redirect to a URL
    signed for EVIDENCE_URL_EXPIRE_SECONDS that makes the bucket answer with the same name and type.
    """
    filename = _download_name(evidence)
    if not settings.EVIDENCE_DOWNLOAD_REDIRECT:
        return file_response(evidence.file, evidence.content_type, filename=filename)
    if not evidence.file:
        raise Http404
    url = evidence.file.storage.url(
        evidence.file.name,
        parameters={
            "ResponseContentDisposition": content_disposition_header(True, filename),
            "ResponseContentType": evidence.content_type,
        },
        expire=settings.EVIDENCE_URL_EXPIRE_SECONDS,
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "no-store"  # the signed URL is for this user, now
    response["Referrer-Policy"] = "no-referrer"
    return response


def _download_name(evidence: Evidence) -> str:
    """The uploaded name, with the extension of what is stored (a PNG photo is kept as a JPEG)."""
    stored_suffix = PurePath(evidence.file.name).suffix
    original = PurePath(evidence.original_name)
    if original.suffix.lower() == stored_suffix:
        return evidence.original_name
    return f"{original.stem or 'evidence'}{stored_suffix}"


# --- Logins locked out ----------------------------------------------------------------------------------

USERNAME_RECORD_LENGTH = AccessAttempt._meta.get_field("username").max_length


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username a login attempt is recorded under (AXES_USERNAME_CALLABLE), cut to what the record holds.

    Django's login form checks a username's length only in the browser, so a longer one reaches the lockout.
    """
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    return str(username)[:USERNAME_RECORD_LENGTH] if username is not None else None


def cool_off_minutes(request: HttpRequest) -> int:
    """How long a lockout lasts, in whole minutes (LOGIN_COOLOFF_MINUTES)."""
    return int(get_cool_off(request).total_seconds() // 60)


def locked_out_message(request: HttpRequest) -> str:
    minutes = cool_off_minutes(request)
    return ngettext(
        "Too many wrong passwords for this account from your address. "
        "Try again in %(minutes)d minute, or reset your password.",
        "Too many wrong passwords for this account from your address. "
        "Try again in %(minutes)d minutes, or reset your password.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out login: 429, as a page, or in the API's error shape under /api/."""
    retry_after = str(int(get_cool_off(request).total_seconds()))
    if request.path.startswith("/api/"):
        body = {"detail": locked_out_message(request), "code": "locked_out", "fields": {}}
        response = JsonResponse(body, status=429)
    else:
        context = {"message": locked_out_message(request), "minutes": cool_off_minutes(request)}
        response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = retry_after
    return response
