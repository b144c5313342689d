"""The API's addresses: /api/v1/ (the endpoints), /api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from hazards.api.errors import api_not_found
from hazards.api.views import (
    account,
    dashboard,
    deductions,
    evidence,
    exports,
    hazards,
    notices,
    rankings,
    register,
    statistics,
)
from inspections.api import urls as inspection_routes

router = SimpleRouter()
router.register("hazards", hazards.HazardViewSet, basename="hazard")
router.register(
    r"hazards/(?P<hazard_pk>[0-9]+)/evidence", evidence.HazardEvidenceViewSet, basename="hazard-evidence"
)
for module in (register, notices, rankings, statistics, deductions, inspection_routes):
    module.register(router)

v1 = [
    path("auth/token/", account.TokenView.as_view(), name="token"),
    path("me/", account.MeView.as_view(), name="me"),
    *dashboard.urlpatterns,
    *exports.urlpatterns,
    *router.urls,
]

urlpatterns = [
    path("v1/", include((v1, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    re_path(r"^", api_not_found),
]
