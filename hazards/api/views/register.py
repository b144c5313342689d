"""The register API: enterprises (administrators write), regions and sectors (reference data, read only).

Every read starts from the user's scope, so an enterprise or region outside it is a 404 as if it did not
exist; a write is checked in the order the hazards' endpoints use: the object (404), then the role (403),
then the body (400 naming the field).
"""

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from hazards.api.serializers.briefs import SectorSerializer
from hazards.api.serializers.register import EnterpriseSerializer, RegionSerializer
from hazards.models import Enterprise, EnterpriseStatus, Region, RegionLevel, RiskColour, Sector

REGION_CODE_VALIDATOR = RegexValidator(r"^[0-9]{6}\Z", _("A region code has six digits."))


class AdministratorsWrite(BasePermission):
    """Everyone signed in reads the register; only an administrator changes it (the admin's job in DESIGN.md).

    A change to one enterprise is judged on the object, after the scope's 404, so that a user learns nothing
    of an enterprise outside the scope by trying to change it.
    """

    message = _("Only administrators change the register.")

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS or view.detail:
            return True
        return request.user.sees_everything

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in SAFE_METHODS or request.user.sees_everything


class EnterpriseFilter(django_filters.FilterSet):
    """The register's filters over enterprises already scoped by visible_to(user)."""

    region = django_filters.ModelChoiceFilter(
        label="Region",
        help_text="A region's code: the enterprises of the region and of everything under it.",
        queryset=Region.objects.none(),
        to_field_name="code",
        method="filter_region",
        error_messages={"invalid_choice": _("Unknown region code, or a region outside your scope.")},
    )
    sector = django_filters.ModelChoiceFilter(
        label="Sector",
        help_text="A sector's code.",
        queryset=Sector.objects.all(),
        to_field_name="code",
        error_messages={"invalid_choice": _("Unknown sector.")},
    )
    risk_colour = django_filters.ChoiceFilter(label="Risk colour", choices=RiskColour.choices)
    status = django_filters.ChoiceFilter(label="Status", choices=EnterpriseStatus.choices)
    q = django_filters.CharFilter(
        label="Search",
        help_text="Part of the name or of the credit code.",
        method="filter_q",
        max_length=200,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The region accepted, like the rows listed, is one of the user's scope.
        if self.request is not None:
            self.filters["region"].queryset = Region.objects.visible_to(self.request.user)

    def filter_region(self, queryset, name: str, value: Region):
        return queryset.filter(region__code__startswith=value.code_prefix)

    def filter_q(self, queryset, name: str, value: str):
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value))


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label="Level", choices=RegionLevel.choices)
    # A code only narrows the user's regions: an unknown parent, or one outside the scope, lists nothing.
    parent = django_filters.CharFilter(
        label="Parent",
        help_text="The parent region's six-digit code: its direct children.",
        field_name="parent__code",
        validators=[REGION_CODE_VALIDATOR],
    )


@extend_schema_view(
    list=extend_schema(summary="The enterprises of your scope, with the register's filters"),
    retrieve=extend_schema(summary="An enterprise of your scope"),
    create=extend_schema(summary="Register an enterprise (administrators)"),
    update=extend_schema(summary="Change an enterprise: every field (administrators)"),
    partial_update=extend_schema(summary="Change some of an enterprise's fields (administrators)"),
)
class EnterpriseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The enterprises (生产经营单位) of the user's scope. No deletion: hazards keep their enterprise."""

    serializer_class = EnterpriseSerializer
    permission_classes = [IsAuthenticated, AdministratorsWrite]
    filter_backends = [DjangoFilterBackend]
    filterset_class = EnterpriseFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        # The region and sector of each row in the same query, whatever the page size.
        return (
            Enterprise.objects.visible_to(self.request.user)
            .select_related("region", "sector")
            .order_by("name", "id")
        )


@extend_schema_view(
    list=extend_schema(summary="The regions of your scope"),
    retrieve=extend_schema(summary="A region of your scope, by its six-digit code"),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative divisions (行政区划): a region user's region and what is under it, an enterprise
    user's county, all of them for an administrator."""

    serializer_class = RegionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RegionFilter
    lookup_field = "code"
    lookup_value_regex = "[0-9]{6}"

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user).select_related("parent").order_by("code")


@extend_schema_view(
    list=extend_schema(summary="The sectors under supervision"),
    retrieve=extend_schema(summary="A sector, by its code"),
)
class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    """The sectors (行业领域): reference data that every signed-in user reads, whatever the scope."""

    serializer_class = SectorSerializer
    filter_backends = []
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    queryset = Sector.objects.order_by("code")
