"""Hazards: the ledger with its filters, a hazard with its timeline, logging one, and each workflow move.

Every read starts from the user's scope (a hazard outside it is a 404); every write calls the service the
pages call, after the same check: a role that may not act is answered 403, a status that does not allow
the move 409, both before the body is read; then bad input is a 400 naming the field.
"""

from dataclasses import dataclass

from django.http import HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hazards.api.errors import ErrorSerializer
from hazards.api.filters import LedgerFilterBackend, exported_hazards, query_filters
from hazards.api.pagination import KnownCountPagination
from hazards.api.schema import DESCRIPTIONS
from hazards.api.serializers import workflow as inputs
from hazards.api.serializers.hazards import HazardDetailSerializer, HazardListSerializer
from hazards.api.serializers.ledger import ExportFormatSerializer, ExportStartedSerializer
from hazards.api.views.evidence import EvidenceUploadSerializer
from hazards.api.views.ledger import FILE_RESPONSES, FormatIsTheFile
from hazards.http import export_response
from hazards.lib.errors import ActionNotPermitted
from hazards.models import Hazard, User
from hazards.selectors import ledger
from hazards.selectors.hazards import ALL, LIST_FILTERS, hazard_counts, hazard_detail, visible_hazards
from hazards.selectors.ledger import HazardLedgerFilter
from hazards.services.hazards import SOURCES_BY_ROLE, hazard_log
from hazards.services.ledger import ledger_export_start
from hazards.services.workflow import ACTIONS, check
from hazards.tasks import export_ledger, send_on_commit


@dataclass(frozen=True)
class ApiAction:
    """The API's part of an action at its own route: the body it reads, and its summary in the schema."""

    input: type[inputs.ServiceInput]
    summary: Promise


# The API's part of each action of the workflow's table (hazards.services.workflow.ACTIONS) with a route.
API_ACTIONS: dict[str, ApiAction] = {
    "submit": ApiAction(inputs.SubmitSerializer, gettext_lazy("Submit for verification")),
    "send_back": ApiAction(inputs.SendBackSerializer, gettext_lazy("Send back")),
    "verify": ApiAction(inputs.VerifySerializer, gettext_lazy("Verify and close")),
    "void": ApiAction(inputs.VoidSerializer, gettext_lazy("Void (logged in error)")),
    "plan": ApiAction(inputs.PlanSerializer, gettext_lazy("Rectification plan")),
    "extension_request": ApiAction(inputs.ExtensionRequestSerializer, gettext_lazy("Ask for an extension")),
    "extension_decide": ApiAction(inputs.ExtensionDecisionSerializer, gettext_lazy("Decide the extension")),
    "suspension": ApiAction(inputs.SuspensionSerializer, gettext_lazy("Record a production suspension")),
    "listing": ApiAction(inputs.ListingSerializer, gettext_lazy("List for supervision")),
    "reclassify": ApiAction(inputs.ReclassifySerializer, gettext_lazy("Change the level")),
}

# The actions taken with the input of another endpoint: logging a hazard, uploading evidence.
OTHER_INPUTS: dict[str, type[serializers.Serializer]] = {
    "fixed_on_spot": inputs.HazardCreateSerializer,
    "add_evidence": EvidenceUploadSerializer,
}


def _endpoint(key: str, route: str, part: ApiAction):
    """The endpoint of one action: POST hazards/{id}/{route} calls the service of ACTIONS[key]."""

    def endpoint(self, request: Request, pk: str) -> Response:
        return self.take(request, key, part.input)

    endpoint.__name__ = key
    endpoint.__doc__ = f"{part.summary}. Answers with the hazard as it is now."
    path = route.rstrip("/")
    schema = extend_schema(
        summary=str(part.summary),
        request=part.input,
        responses={200: HazardDetailSerializer},
        operation_id=f"hazards_{key}",
    )
    return schema(
        action(detail=True, methods=["post"], url_path=path, url_name=path.replace("/", "-"))(endpoint)
    )


@extend_schema_view(
    list=extend_schema(summary="The hazard ledger of your scope, with the ledger's filters"),
    retrieve=extend_schema(summary="A hazard with its evidence, plan, listing, extensions and timeline"),
    create=extend_schema(
        summary="Log a hazard",
        request=inputs.HazardCreateSerializer,
        responses={201: HazardDetailSerializer},
    ),
)
class HazardViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The hazards (事故隐患) of the user's scope."""

    lookup_value_regex = "[0-9]+"
    filter_backends = [LedgerFilterBackend]
    filterset_class = HazardLedgerFilter
    pagination_class = KnownCountPagination
    error_statuses = (409,)

    def list(self, request: Request, *args, **kwargs) -> Response:
        self.paginator.known_count = self.tab_count(request)
        return super().list(request, *args, **kwargs)

    def tab_count(self, request: Request) -> int | None:
        """How many hazards a status tab alone holds, from the kept counts (as the ledger page takes it),
        so that the register of a province is not counted row by row; None when other filters narrow it."""
        if set(request.query_params) - {"status", "ordering", "page", "page_size"}:
            return None
        status = request.query_params.get("status") or ALL
        return hazard_counts(request.user).get(status) if status in LIST_FILTERS else None

    def get_queryset(self):
        return visible_hazards(self.request.user).select_related("enterprise", "region", "sector", "listing")

    def get_serializer_class(self):
        if self.action == "list":
            return HazardListSerializer
        if self.action == "create":
            return inputs.HazardCreateSerializer
        return HazardDetailSerializer

    def get_object(self) -> Hazard:
        """The hazard with all its detail, within the user's scope (Hazard.DoesNotExist: a 404)."""
        return hazard_detail(self.request.user, int(self.kwargs["pk"]))

    def detail_response(self, hazard_id: int, status_code: int = status.HTTP_200_OK) -> Response:
        hazard = hazard_detail(self.request.user, hazard_id)
        return Response(
            HazardDetailSerializer(hazard, context=self.get_serializer_context()).data, status=status_code
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        user: User = request.user
        if user.role not in SOURCES_BY_ROLE:
            raise ActionNotPermitted(_("Only inspectors and enterprises log hazards."))
        serializer = inputs.HazardCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        hazard = hazard_log(actor=user, **serializer.service_kwargs())
        return self.detail_response(hazard.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="The ledger of your scope as a CSV or XLSX file, with the ledger's filters",
        description=(
            "The rows and columns of the ledger page's export, every status when none is given. Up to the "
            "export limit the file is the answer; above it the export runs in the background: a 202 with "
            "the URL of its progress, and of its file once done."
        ),
        parameters=[ExportFormatSerializer],
        filters=True,
        responses={
            **FILE_RESPONSES,
            202: ExportStartedSerializer,
            400: OpenApiResponse(ErrorSerializer, description=DESCRIPTIONS[400]),
        },
    )
    @action(detail=False, methods=["get"], content_negotiation_class=FormatIsTheFile, pagination_class=None)
    def export(self, request: Request) -> HttpResponse:
        extension = query_filters(request, ExportFormatSerializer)["format"]
        hazards = exported_hazards(request.user, request.query_params)
        count = hazards.count()
        if count <= ledger.EXPORT_ROW_LIMIT:
            return export_response(
                hazards, extension, user=request.user, params=request.query_params, rows=count
            )
        params = {key: request.query_params.getlist(key) for key in request.query_params if key != "format"}
        export = ledger_export_start(user=request.user, extension=extension, params=params, count=count)
        send_on_commit(export_ledger, export.pk)
        task_id = str(export.uuid)
        status_url = request.build_absolute_uri(reverse("api:export-detail", args=[task_id]))
        started = ExportStartedSerializer({"task_id": task_id, "total": count, "status_url": status_url})
        return Response(started.data, status=status.HTTP_202_ACCEPTED, headers={"Location": status_url})

    def take(self, request: Request, key: str, serializer_class: type[inputs.ServiceInput]) -> Response:
        """Check the action as the pages do (403, 409 first), read the body (400), then call its service."""
        hazard = visible_hazards(request.user).get(pk=int(self.kwargs["pk"]))
        check(key, hazard, request.user)
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        ACTIONS[key].perform(actor=request.user, hazard_id=hazard.pk, **serializer.service_kwargs())
        return self.detail_response(hazard.pk)


for _key, _action in ACTIONS.items():
    if _action.route:
        setattr(HazardViewSet, _key, _endpoint(_key, _action.route, API_ACTIONS[_key]))
