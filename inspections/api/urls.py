"""Every route of the inspections app's API, under /api/v1/ (the project's urls include it in the namespace
"api"): api:inspection-*, api:checklist-*, api:criterion-*."""

from rest_framework.routers import SimpleRouter

from inspections.api import views

router = SimpleRouter()
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("checklists", views.ChecklistViewSet, basename="checklist")
router.register("criteria", views.CriterionViewSet, basename="criterion")

urlpatterns = router.urls
