"""The ledger's background exports: the progress of one, and its file once done.

An export of more than EXPORT_ROW_LIMIT hazards (GET /api/v1/hazards/export/) is a LedgerExport row written
by the pages' Celery task; only the user who asked may follow it or fetch its file: any other user, an unknown
or a malformed task id, is a 404 (hazards.selectors.ledger_exports, as the pages).
"""

from django.http import FileResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hazards.api.serializers.ledger import ExportProgressSerializer
from hazards.lib import spreadsheets
from hazards.selectors import ledger
from hazards.selectors.ledger_exports import ledger_export_file, ledger_export_of, ledger_export_progress

# The answers of an export, documented as files.
FILE_RESPONSES = {
    (200, "text/csv"): OpenApiTypes.BINARY,
    (200, spreadsheets.EXPORT_CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
}


class FormatIsTheFile(DefaultContentNegotiation):
    """The answer is a file, or JSON (errors, the 202): `?format=` names the export's file, not a renderer,
    and an Accept header naming the file's type is no 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportStatusView(APIView):
    @extend_schema(
        summary="The progress of your background export of the ledger",
        responses={200: ExportProgressSerializer},
    )
    def get(self, request: Request, task_id: str) -> Response:
        export = ledger_export_of(request.user, task_id)
        task_id = str(export.uuid)
        download_url = request.build_absolute_uri(reverse("api:export-download", args=[task_id]))
        progress = ledger_export_progress(export, download_url)
        response = Response(ExportProgressSerializer({"task_id": task_id, **progress}).data)
        add_never_cache_headers(response)
        return response


class ExportDownloadView(APIView):
    content_negotiation_class = FormatIsTheFile

    @extend_schema(
        summary="The file of your finished background export (a 404 until it is done)",
        responses=FILE_RESPONSES,
    )
    def get(self, request: Request, task_id: str) -> FileResponse:
        file, extension = ledger_export_file(ledger_export_of(request.user, task_id))
        return FileResponse(
            file,
            as_attachment=True,
            filename=ledger.export_filename(extension),
            content_type=spreadsheets.EXPORT_CONTENT_TYPES[extension],
        )
