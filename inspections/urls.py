from django.urls import path

from inspections.views import checklist_pages, finding_pages, inspection_pages

urlpatterns = [
    path("inspections/", inspection_pages.inspection_list, name="inspection_list"),
    path("inspections/new/", inspection_pages.inspection_new, name="inspection_new"),
    path("inspections/<int:inspection_id>/", checklist_pages.inspection_detail, name="inspection_detail"),
    path(
        "inspections/<int:inspection_id>/items/<int:item_id>/answer/",
        checklist_pages.inspection_item_answer,
        name="inspection_item_answer",
    ),
    path(
        "inspections/<int:inspection_id>/findings/new/",
        finding_pages.finding_new,
        name="finding_new",
    ),
    path(
        "inspections/<int:inspection_id>/complete/",
        checklist_pages.inspection_complete,
        name="inspection_complete",
    ),
    path("inspections/<int:inspection_id>/order/", checklist_pages.inspection_order, name="inspection_order"),
]
