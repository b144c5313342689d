"""The rankings API: the runs of the user's scope, a run with its lists and explanations, its entries, its
workbook, and publishing a draft.

Rankings are for region users and administrators, as the pages (`can_view_dashboard`): any other role is
answered 403 before any run is looked up. Every read starts from the user's scope (`visible_runs`): a run
outside it is a 404. Publishing calls the pages' service, whose refusals keep their status: 403 a role that
may not publish, 409 a run already published, 400 a run with no entry.
"""

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from hazards.api.filters import query_filters
from hazards.api.serializers.rankings import (
    EntryFilterSerializer,
    RankingEntrySerializer,
    RankingRunDetailSerializer,
    RankingRunSerializer,
)
from hazards.http import run_workbook_response
from hazards.lib import spreadsheets
from hazards.selectors.dashboard import can_view_dashboard
from hazards.selectors.rankings import ENTRY_ORDERS, run_of, run_page, visible_runs
from hazards.services.rankings.publication import ranking_publish
from hazards.tasks import outbox_nudge

# application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, as the ranking page serves it
XLSX = spreadsheets.EXPORT_CONTENT_TYPES["xlsx"]


class CanViewRankings(BasePermission):
    """Region users and administrators, as the ranking pages; an enterprise has no rankings here."""

    message = gettext_lazy("There are no rankings for your role.")
    code = "not_permitted"

    def has_permission(self, request: Request, view) -> bool:
        return can_view_dashboard(request.user)


@extend_schema_view(
    list=extend_schema(summary="The ranking runs of your scope, newest quarter first"),
    retrieve=extend_schema(
        summary="A ranking run: its regions by rank with their explanations, its red and black lists, "
        "its best enterprises",
        responses={200: RankingRunDetailSerializer},
    ),
    entries=extend_schema(
        summary="Every entry of a ranking run, by rank",
        parameters=[EntryFilterSerializer],
        responses={200: RankingEntrySerializer(many=True)},
    ),
    export=extend_schema(
        summary="A ranking run's every entry, with each indicator's points, as an XLSX workbook",
        responses={(200, XLSX): OpenApiTypes.BINARY},
        operation_id="rankings_export",
    ),
    publish=extend_schema(
        summary="Publish a draft ranking run (a supervisor of its scope)",
        request=None,
        responses={200: RankingRunDetailSerializer},
    ),
)
class RankingRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The quarterly rankings (赛马) of the regions and enterprises of the user's scope."""

    permission_classes = [IsAuthenticated, CanViewRankings]
    lookup_value_regex = "[0-9]+"
    filter_backends = []  # the one filter (the entries' kind) is read by query_filters
    error_statuses = (409,)  # publishing a run already published

    def get_queryset(self) -> QuerySet:
        return visible_runs(self.request.user).order_by("-year", "-quarter", "scope__code")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "list":
            return RankingRunSerializer
        if self.action == "entries":
            return RankingEntrySerializer
        return RankingRunDetailSerializer

    def detail_response(self, run_id: int) -> Response:
        """The run as its page shows it (RankingRun.DoesNotExist outside the scope: a 404)."""
        page = run_page(self.request.user, run_id)
        return Response(RankingRunDetailSerializer(page, context=self.get_serializer_context()).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.detail_response(int(pk))

    @action(detail=True, methods=["get"])
    def entries(self, request: Request, pk: str) -> Response:
        """The run's entries, a page at a time; without a kind, the regions, then the enterprises."""
        run = run_of(request.user, int(pk))
        kind = query_filters(request, EntryFilterSerializer).get("kind")
        # From the run's own manager, so each entry knows its run (for its explanation) without a query.
        entries = run.entries.select_related("region", "enterprise__region")
        if kind:
            entries = entries.filter(kind=kind).order_by(*ENTRY_ORDERS["rank"])
        else:
            entries = entries.order_by("-kind", *ENTRY_ORDERS["rank"])  # "region" sorts after "enterprise"
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # The workbook is answered whatever the client accepts (its errors are JSON).
        return super().perform_content_negotiation(request, force=force or self.action == "export")

    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str) -> FileResponse:
        """The ranking page's workbook: regions then enterprises by rank, in the request's language."""
        return run_workbook_response(run_of(request.user, int(pk)), user=request.user)

    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        """Publish the draft; the ranked are told their place once the publication is committed."""
        run = ranking_publish(actor=request.user, run_id=int(pk))
        outbox_nudge()
        return self.detail_response(run.pk)
