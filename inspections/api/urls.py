"""The inspections API's routes, registered on the API's router."""

from inspections.api import views


def register(router) -> None:
    """Add the inspections' viewsets to the router: api:inspection-*, api:checklist-*, api:criterion-*."""
    router.register("inspections", views.InspectionViewSet, basename="inspection")
    router.register("checklists", views.ChecklistViewSet, basename="checklist")
    router.register("criteria", views.CriterionViewSet, basename="criterion")
