from django.contrib import admin
from django.urls import include, path

from hazards import views
from hazards.views import (
    audit_pages,
    dashboard_page,
    enterprise_pages,
    hazard_detail,
    hazard_exports,
    hazard_pages,
    notice_pages,
    ranking_pages,
    statistics_pages,
)
from hazards.views.account_pages import PasswordResetConfirmView, PasswordResetView

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", dashboard_page.dashboard_page, name="dashboard"),
    path("dashboard/<str:code>/", dashboard_page.dashboard_page, name="dashboard_region"),
    path("hazards/", hazard_pages.hazard_list, name="hazard_list"),
    path("hazards/new/", hazard_pages.hazard_new, name="hazard_new"),
    path("hazards/export.csv", hazard_exports.hazard_export_csv, name="hazard_export_csv"),
    path("hazards/export.xlsx", hazard_exports.hazard_export_xlsx, name="hazard_export_xlsx"),
    path("hazards/exports/<str:task_id>/", hazard_exports.hazard_export_status, name="hazard_export_status"),
    path(
        "hazards/exports/<str:task_id>/status.json",
        hazard_exports.hazard_export_status_json,
        name="hazard_export_status_json",
    ),
    path(
        "hazards/exports/<str:task_id>/download/",
        hazard_exports.hazard_export_download,
        name="hazard_export_download",
    ),
    path("hazards/<int:hazard_id>/", hazard_detail.hazard_detail, name="hazard_detail"),
    path("hazards/<int:hazard_id>/order/", hazard_pages.hazard_order, name="hazard_order"),
    path("", include("hazards.urls")),
    path("", include("hazards.evidence_urls")),
    path("enterprises/<int:enterprise_id>/", enterprise_pages.enterprise_detail, name="enterprise_detail"),
    path("notices/", notice_pages.notice_list, name="notice_list"),
    path("notices/<int:notice_id>/read/", notice_pages.notice_read, name="notice_read"),
    path("notices/<int:notice_id>/acknowledge/", notice_pages.notice_acknowledge, name="notice_acknowledge"),
    path("rankings/", ranking_pages.ranking_list, name="ranking_list"),
    path("rankings/deductions/", ranking_pages.ranking_deductions, name="ranking_deductions"),
    path("rankings/<int:run_id>/", ranking_pages.ranking_detail, name="ranking_detail"),
    path("rankings/<int:run_id>/publish/", ranking_pages.ranking_publish_view, name="ranking_publish"),
    path("rankings/<int:run_id>/export.xlsx", ranking_pages.ranking_export_xlsx, name="ranking_export_xlsx"),
    path("rankings/<int:run_id>/bulletin/", ranking_pages.ranking_bulletin, name="ranking_bulletin"),
    path("statistics/", statistics_pages.statistics_page, name="statistics"),
    path("audit/", audit_pages.audit_list, name="audit_list"),
    path("statistics/export.csv", statistics_pages.statistics_export_csv, name="statistics_export_csv"),
    path(
        "statistics/<int:statistics_id>/confirm/",
        statistics_pages.statistics_confirm,
        name="statistics_confirm",
    ),
    path("", include("inspections.urls")),
    # Django's login, logout, password change and reset; the reset's email links to PORTAL_URL.
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("safety_portal.api_urls")),
    path("admin/", admin.site.urls),
]
