"""Inspections through the API: the list and starting one, the checklist with its answers and findings,
logging a finding from a device, completing it and its order; and the reference data a device needs to
run one offline (checklists and major-hazard criteria).

The same selectors and services as the pages. Every read starts from the user's scope (an inspection
outside it is a 404); every write is checked as the pages check it before the body is read: a role that may
not start an inspection, or a user who is not one of the inspection's inspectors, is a 403, a completed
inspection a 409; then bad input is a 400 naming the field.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hazards.api.serializers.hazards import HazardDetailSerializer
from hazards.lib.errors import ActionNotPermitted, InvalidTransition
from hazards.models import Hazard, User
from hazards.selectors.hazards import hazard_detail
from inspections.api.serializers import inspections as api
from inspections.models import Inspection
from inspections.selectors import inspections as selectors
from inspections.services.findings import finding_log
from inspections.services.inspections import (
    STARTERS,
    inspection_cancel,
    inspection_complete,
    inspection_start,
    item_answer,
)

SCOPE_PARAMETER = OpenApiParameter(
    "scope",
    str,
    enum=list(selectors.SCOPES),
    description="An inspector's list: the inspections taken part in (mine, by default) or all of the region.",
)


@extend_schema_view(
    list=extend_schema(
        summary="Your inspections, today's first, with their progress",
        parameters=[SCOPE_PARAMETER],
        responses={200: api.InspectionListSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="An inspection with its checklist, answers, findings and order",
        responses={200: api.InspectionDetailSerializer},
    ),
    create=extend_schema(
        summary="Start an inspection (an enterprise user: a self-inspection of its own enterprise)",
        request=api.InspectionStartSerializer,
        responses={201: api.InspectionDetailSerializer},
    ),
)
class InspectionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The inspections (检查/排查) of the user's scope."""

    lookup_value_regex = "[0-9]+"
    filter_backends = []
    error_statuses = (409,)

    def get_queryset(self) -> QuerySet[Inspection]:
        """The list page's inspections (inspection_list), with ?scope= checked: a bad value is a 400."""
        if getattr(self, "swagger_fake_view", False):  # the schema's generator has no user
            return Inspection.objects.none()
        query = api.InspectionListQuerySerializer(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        _chosen, inspections = selectors.inspection_list(
            self.request.user, scope=query.validated_data.get("scope")
        )
        return inspections.select_related("region")  # the row's region, in the same query

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "list":
            return api.InspectionListSerializer
        if self.action == "create":
            return api.InspectionStartSerializer
        return api.InspectionDetailSerializer

    def _pk(self) -> int:
        return int(self.kwargs["pk"])

    def detail_response(self, inspection_id: int, status_code: int = status.HTTP_200_OK) -> Response:
        """The inspection as its checklist page reads it (Inspection.DoesNotExist outside the scope: 404)."""
        checklist = selectors.inspection_checklist(self.request.user, inspection_id)
        serializer = api.InspectionDetailSerializer(checklist, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return self.detail_response(self._pk())

    def create(self, request: Request, *args, **kwargs) -> Response:
        """The role first (403 before the body is read), then the body (400), then inspection_start."""
        user: User = request.user
        if user.role not in STARTERS:
            raise ActionNotPermitted(_("Only inspectors and enterprises run inspections."))
        serializer = api.InspectionStartSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        inspection = inspection_start(actor=user, **serializer.service_kwargs())
        return self.detail_response(inspection.pk, status.HTTP_201_CREATED)

    def _to_work_on(self, request: Request) -> Inspection:
        """The inspection in the user's scope (else a 404), if the user may work on it now (else 403/409).

        The services check again under a lock; this answers before the body is read, as the pages do.
        """
        inspections = selectors.visible_inspections(request.user).prefetch_related("inspectors")
        inspection = inspections.get(pk=self._pk())
        refusal = selectors.work_refusal(inspection, request.user)
        if refusal is not None:
            raise refusal
        return inspection

    @extend_schema(
        summary="Answer a checklist item: pass, fail or not applicable (again to change it, until completed)",
        request=api.ItemAnswerSerializer,
        responses={201: api.ItemResultSerializer},
    )
    @action(detail=True, methods=["post"])
    def answers(self, request: Request, pk: str) -> Response:
        """A second answer changes the first (on the record); an item of another checklist is a 400."""
        inspection = self._to_work_on(request)
        serializer = api.ItemAnswerSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        result = item_answer(actor=request.user, inspection_id=inspection.pk, **serializer.service_kwargs())
        return Response(
            api.ItemResultSerializer(result, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Log a finding as a hazard (JSON, or multipart with photos); once per idempotency key",
        request=api.FindingCreateSerializer,
        responses={
            201: HazardDetailSerializer,
            200: HazardDetailSerializer,
        },
        description="201 with the hazard logged; 200 with the same hazard when its idempotency key was "
        "sent before (a retry after a lost answer).",
    )
    @action(detail=True, methods=["post"])
    def findings(self, request: Request, pk: str) -> Response:
        """A device that lost the answer sends the finding again with its key: the hazard it made, 200."""
        try:
            inspection = self._to_work_on(request)
        except InvalidTransition:
            # A device's retry may arrive after the inspection was completed: the finding it logged stands.
            resent = self._resent_finding(request)
            if resent is None:
                raise
            return self._hazard_response(resent.pk, status.HTTP_200_OK)
        serializer = api.FindingCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        hazard, created = finding_log(
            actor=request.user, inspection_id=inspection.pk, **serializer.service_kwargs()
        )
        return self._hazard_response(hazard.pk, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def _resent_finding(self, request: Request) -> Hazard | None:
        """The hazard this inspection logged under the body's idempotency key, if any."""
        key = api.IdempotencyKeySerializer(data=request.data)
        if not key.is_valid():
            return None
        return (
            Hazard.objects.visible_to(request.user)
            .filter(
                finding__inspection_id=self._pk(),
                finding__idempotency_key=key.validated_data["idempotency_key"],
            )
            .first()
        )

    def _hazard_response(self, hazard_id: int, status_code: int) -> Response:
        hazard = hazard_detail(self.request.user, hazard_id)
        return Response(
            HazardDetailSerializer(hazard, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(
        summary="Complete the inspection; an inspector's issues the rectification order of its open hazards",
        request=None,
        responses={200: api.InspectionDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        """Refused (400) while an item is unanswered or a failed item has no hazard."""
        inspection = self._to_work_on(request)
        inspection_complete(actor=request.user, inspection_id=inspection.pk)
        return self.detail_response(inspection.pk)

    @extend_schema(
        summary="Cancel an inspection started by mistake, with the reason (kept; it issues nothing)",
        request=api.InspectionCancelSerializer,
        responses={200: api.InspectionDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Refused (400) without a reason, or once it logged a hazard; a completed one is a 409."""
        inspection = self._to_work_on(request)
        serializer = api.InspectionCancelSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        inspection_cancel(actor=request.user, inspection_id=inspection.pk, **serializer.service_kwargs())
        return self.detail_response(inspection.pk)

    @extend_schema(
        summary="The rectification order the inspection issued (404 if it issued none)",
        responses={200: api.OrderSerializer},
    )
    @action(detail=True, methods=["get"])
    def order(self, request: Request, pk: str) -> Response:
        """What the printed order (责令限期整改指令书) shows, for a client that prints or files it."""
        order = selectors.inspection_order(request.user, self._pk())
        return Response(api.OrderSerializer(order, context=self.get_serializer_context()).data)
