"""The quarterly statistics API: the reports of the user's scope for a quarter, one report, the enterprise's
confirmation, and the CSV the statistics page exports.

Every read starts from the user's scope (`statistics_of_quarter`, `visible_to`), as the page: an enterprise
user sees its own report, a region user the reports of the region, an administrator all; a report outside the
scope is a 404. Confirming calls the page's service, whose refusals keep their status: 403 a user other than
the enterprise itself, 400 a report already confirmed or a blank name.
"""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hazards.api.errors import ErrorSerializer
from hazards.api.filters import query_filters
from hazards.api.schema import DESCRIPTIONS
from hazards.api.serializers.statistics import (
    ConfirmSerializer,
    PeriodFilterSerializer,
    QuarterlyStatisticsSerializer,
)
from hazards.http import statistics_csv_response
from hazards.models import QuarterlyStatistics
from hazards.models.statistics import QuarterlyStatisticsQuerySet
from hazards.services.statistics import quarterly_statistics_confirm, statistics_of_quarter


@extend_schema_view(
    list=extend_schema(
        summary="The quarterly statistics of your scope for a quarter, by region and enterprise",
        parameters=[PeriodFilterSerializer],
    ),
    retrieve=extend_schema(summary="One enterprise's quarterly statistics"),
    confirm=extend_schema(
        summary="Confirm your enterprise's quarterly statistics with the principal person's name",
        request=ConfirmSerializer,
        responses={200: QuarterlyStatisticsSerializer},
    ),
    export=extend_schema(
        summary="The quarterly statistics of your scope for a quarter as CSV (UTF-8 with a byte-order mark)",
        parameters=[PeriodFilterSerializer],
        operation_id="statistics_export",
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            400: OpenApiResponse(ErrorSerializer, description=DESCRIPTIONS[400]),
        },
    ),
)
class QuarterlyStatisticsViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Each enterprise's hazard figures of a quarter (隐患排查治理季度统计), confirmed by the enterprise."""

    serializer_class = QuarterlyStatisticsSerializer
    lookup_value_regex = "[0-9]+"
    filter_backends = []  # the quarter is read by query_filters, which refuses a bad value

    def get_queryset(self) -> QuarterlyStatisticsQuerySet:
        if self.action in ("list", "export"):
            period = query_filters(self.request, PeriodFilterSerializer)
            return statistics_of_quarter(self.request.user, period["year"], period["quarter"])
        return QuarterlyStatistics.objects.visible_to(self.request.user).select_related(
            "enterprise", "region", "sector", "confirmed_by"
        )

    def get_object(self) -> QuarterlyStatistics:
        """The report, within the user's scope (QuarterlyStatistics.DoesNotExist: a 404)."""
        return self.get_queryset().get(pk=int(self.kwargs["pk"]))

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # The export answers with CSV whatever the client accepts (its errors are JSON).
        return super().perform_content_negotiation(request, force=force or self.action == "export")

    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        """The enterprise confirms its report, once; the answer is the report as it is now."""
        serializer = ConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = quarterly_statistics_confirm(
            actor=request.user,
            statistics_id=int(pk),
            principal_name=serializer.validated_data["principal_name"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> StreamingHttpResponse:
        """The page's CSV: the same rows, columns and file name."""
        period = query_filters(request, PeriodFilterSerializer)
        return statistics_csv_response(request.user, period["year"], period["quarter"])
