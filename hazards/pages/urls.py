"""Every page route of the hazards app; the project's urls include it at the site's root."""

from django.urls import path

from hazards.pages import (
    account,
    audit,
    dashboard,
    evidence,
    hazards,
    home,
    ledger,
    notices,
    rankings,
    register,
    statistics,
    workflow,
)
from hazards.pages.forms.workflow import url_name
from hazards.services.workflow import ACTIONS

urlpatterns = [
    path("", home.home, name="home"),
    path("dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("dashboard/<str:code>/", dashboard.dashboard_page, name="dashboard_region"),
    # The ledger and its exports.
    path("hazards/", ledger.hazard_list, name="hazard_list"),
    path("hazards/new/", hazards.hazard_new, name="hazard_new"),
    path("hazards/export.csv", ledger.hazard_export_csv, name="hazard_export_csv"),
    path("hazards/export.xlsx", ledger.hazard_export_xlsx, name="hazard_export_xlsx"),
    path("hazards/exports/<str:task_id>/", ledger.hazard_export_status, name="hazard_export_status"),
    path(
        "hazards/exports/<str:task_id>/status.json",
        ledger.hazard_export_status_json,
        name="hazard_export_status_json",
    ),
    path(
        "hazards/exports/<str:task_id>/download/",
        ledger.hazard_export_download,
        name="hazard_export_download",
    ),
    # A hazard, its order, and one route per workflow action of the table (POST only).
    path("hazards/<int:hazard_id>/", hazards.hazard_detail, name="hazard_detail"),
    path("hazards/<int:hazard_id>/order/", hazards.hazard_order, name="hazard_order"),
    *(
        path(
            f"hazards/<int:hazard_id>/{action.route}",
            workflow.hazard_action,
            {"action": key},
            name=url_name(key),
        )
        for key, action in ACTIONS.items()
        if action.route
    ),
    # Its evidence.
    path("hazards/<int:hazard_id>/evidence/", evidence.evidence_upload, name="evidence_upload"),
    path(
        "hazards/<int:hazard_id>/evidence/<int:evidence_id>/",
        evidence.evidence_download,
        name="evidence_download",
    ),
    path(
        "hazards/<int:hazard_id>/evidence/<int:evidence_id>/thumbnail/",
        evidence.evidence_thumbnail,
        name="evidence_thumbnail",
    ),
    path(
        "hazards/<int:hazard_id>/evidence/<int:evidence_id>/duplicates/<int:other_id>/thumbnail/",
        evidence.evidence_duplicate_thumbnail,
        name="evidence_duplicate_thumbnail",
    ),
    path("enterprises/<int:enterprise_id>/", register.enterprise_detail, name="enterprise_detail"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("notices/<int:notice_id>/read/", notices.notice_read, name="notice_read"),
    path("notices/<int:notice_id>/acknowledge/", notices.notice_acknowledge, name="notice_acknowledge"),
    path("rankings/", rankings.ranking_list, name="ranking_list"),
    path("rankings/deductions/", rankings.ranking_deductions, name="ranking_deductions"),
    path("rankings/<int:run_id>/", rankings.ranking_detail, name="ranking_detail"),
    path("rankings/<int:run_id>/publish/", rankings.ranking_publish_view, name="ranking_publish"),
    path("rankings/<int:run_id>/export.xlsx", rankings.ranking_export_xlsx, name="ranking_export_xlsx"),
    path("rankings/<int:run_id>/bulletin/", rankings.ranking_bulletin, name="ranking_bulletin"),
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("statistics/export.csv", statistics.statistics_export_csv, name="statistics_export_csv"),
    path("statistics/<int:statistics_id>/confirm/", statistics.statistics_confirm, name="statistics_confirm"),
    # The password reset, before Django's own account routes that the project includes after these; its email
    # links to PORTAL_URL.
    path("accounts/password_reset/", account.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
