"""Every route of the hazards app's API, under /api/v1/, which the project includes as the "api" namespace."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from hazards.api.views import (
    account,
    criteria,
    dashboard,
    deductions,
    evidence,
    hazards,
    ledger,
    notices,
    rankings,
    register,
    statistics,
)

router = SimpleRouter()
router.register("hazards", hazards.HazardViewSet, basename="hazard")
router.register(
    r"hazards/(?P<hazard_pk>[0-9]+)/evidence", evidence.HazardEvidenceViewSet, basename="hazard-evidence"
)
router.register("enterprises", register.EnterpriseViewSet, basename="enterprise")
router.register("regions", register.RegionViewSet, basename="region")
router.register("sectors", register.SectorViewSet, basename="sector")
router.register("notices", notices.NoticeViewSet, basename="notice")
router.register("rankings", rankings.RankingRunViewSet, basename="ranking")
router.register("statistics", statistics.QuarterlyStatisticsViewSet, basename="statistics")
router.register("criteria", criteria.CriterionViewSet, basename="criterion")
router.register("ranking-deductions", deductions.RankingDeductionViewSet, basename="ranking-deduction")

urlpatterns = [
    path("auth/token/", account.TokenView.as_view(), name="token"),
    path("me/", account.MeView.as_view(), name="me"),
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("dashboard/<str:code>/", dashboard.RegionDashboardView.as_view(), name="dashboard-region"),
    path("exports/<str:task_id>/", ledger.ExportStatusView.as_view(), name="export-detail"),
    path("exports/<str:task_id>/download/", ledger.ExportDownloadView.as_view(), name="export-download"),
    *router.urls,
]
