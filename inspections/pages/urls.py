from django.urls import path

from inspections.pages import findings, inspections

urlpatterns = [
    path("inspections/", inspections.inspection_list, name="inspection_list"),
    path("inspections/new/", inspections.inspection_new, name="inspection_new"),
    path("inspections/<int:inspection_id>/", inspections.inspection_detail, name="inspection_detail"),
    path(
        "inspections/<int:inspection_id>/items/<int:item_id>/answer/",
        inspections.inspection_item_answer,
        name="inspection_item_answer",
    ),
    path(
        "inspections/<int:inspection_id>/findings/new/",
        findings.finding_new,
        name="finding_new",
    ),
    path(
        "inspections/<int:inspection_id>/complete/",
        inspections.inspection_complete,
        name="inspection_complete",
    ),
    path(
        "inspections/<int:inspection_id>/cancel/",
        inspections.inspection_cancel,
        name="inspection_cancel",
    ),
    path("inspections/<int:inspection_id>/order/", inspections.inspection_order, name="inspection_order"),
]
