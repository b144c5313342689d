"""The ranking deductions API: the accidents and deaths a supervisor entered for the regions of the scope,
and entering (or correcting) those of a quarter, as the deductions page does.

Deductions are a supervisor's, as the page: any other role is answered 403 before anything is read. The list
starts from the page's selector (`deductions_of`); entering calls the page's service, whose refusals name
their field: a region outside the scope (or unknown), a province, a quarter not begun, a blank reason.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from hazards.api.filters import query_filters
from hazards.api.serializers.deductions import (
    DeductionEnterSerializer,
    DeductionFilterSerializer,
    RankingDeductionSerializer,
)
from hazards.models import Region, Role
from hazards.selectors.rankings import deductions_of
from hazards.services.rankings.deductions import ranking_deduction_enter


class IsSupervisor(BasePermission):
    """Supervisors only, as the deductions page."""

    message = gettext_lazy("Only a supervisor enters accidents and deaths.")
    code = "not_permitted"

    def has_permission(self, request: Request, view) -> bool:
        return request.user.role == Role.SUPERVISOR


@extend_schema_view(
    list=extend_schema(
        summary="The ranking deductions of your scope, newest quarter first",
        parameters=[DeductionFilterSerializer],
    ),
    create=extend_schema(
        summary="Enter (or correct) a region's accidents and deaths of a quarter",
        request=DeductionEnterSerializer,
        responses={200: RankingDeductionSerializer},
    ),
)
class RankingDeductionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Deductions of the regions' ranking scores (赛马扣分): accidents, deaths and a veto, by quarter."""

    permission_classes = [IsAuthenticated, IsSupervisor]
    serializer_class = RankingDeductionSerializer
    filter_backends = []  # the filters are read by query_filters, which refuses a bad value

    def get_queryset(self) -> QuerySet:
        deductions = deductions_of(self.request.user)
        if self.action == "list":
            deductions = deductions.filter(**query_filters(self.request, DeductionFilterSerializer))
        return deductions

    def create(self, request: Request, *args, **kwargs) -> Response:
        """One deduction per region and quarter: entering it again corrects it. Counts at the next run."""
        serializer = DeductionEnterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            deduction = ranking_deduction_enter(actor=request.user, **serializer.service_kwargs())
        except Region.DoesNotExist:
            message = _("Unknown region code, or a region outside your scope.")
            raise serializers.ValidationError({"region": [message]}) from None
        return Response(self.get_serializer(self.get_queryset().get(pk=deduction.pk)).data)
