from django.urls import path

from hazards import evidence_views

urlpatterns = [
    path("hazards/<int:hazard_id>/evidence/", evidence_views.evidence_upload, name="evidence_upload"),
    path(
        "hazards/<int:hazard_id>/evidence/<int:evidence_id>/",
        evidence_views.evidence_download,
        name="evidence_download",
    ),
    path(
        "hazards/<int:hazard_id>/evidence/<int:evidence_id>/thumbnail/",
        evidence_views.evidence_thumbnail,
        name="evidence_thumbnail",
    ),
    path(
        "hazards/<int:hazard_id>/evidence/<int:evidence_id>/duplicates/<int:other_id>/thumbnail/",
        evidence_views.evidence_duplicate_thumbnail,
        name="evidence_duplicate_thumbnail",
    ),
]
