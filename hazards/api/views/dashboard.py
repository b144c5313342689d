"""The dashboard API: the figures of the dashboard page, of the user's region or of a region under it.

For region users and administrators, as the page (`can_view_dashboard`): any other role is answered 403
before any region is looked up. A region outside the user's scope, or a malformed code, is a 404.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hazards.api.serializers.dashboard import DashboardSerializer
from hazards.selectors.dashboard import can_view_dashboard, dashboard, dashboard_region


class CanViewDashboard(BasePermission):
    """Region users and administrators, as the dashboard page; an enterprise has no dashboard."""

    message = gettext_lazy("There is no dashboard for your role.")
    code = "not_permitted"

    def has_permission(self, request: Request, view) -> bool:
        return can_view_dashboard(request.user)


class DashboardView(APIView):
    """The dashboard (of a region by its code, or of the user's own region)."""

    permission_classes = [IsAuthenticated, CanViewDashboard]

    @extend_schema(
        summary="The dashboard of your region (an administrator: of the one province, or of every region)",
        responses={200: DashboardSerializer},
        operation_id="dashboard_retrieve",
    )
    def get(self, request: Request) -> Response:
        return self.dashboard_response(request, None)

    def dashboard_response(self, request: Request, code: str | None) -> Response:
        # Region.DoesNotExist (outside the scope, or a malformed code) is a 404.
        region = dashboard_region(request.user, code)
        figures = dashboard(request.user, region)
        return Response(DashboardSerializer(figures, context={"request": request}).data)


class RegionDashboardView(DashboardView):
    @extend_schema(
        summary="The dashboard of a region of your scope, by its code",
        responses={200: DashboardSerializer},
        operation_id="dashboard_region_retrieve",
    )
    def get(self, request: Request, code: str) -> Response:
        return self.dashboard_response(request, code)
