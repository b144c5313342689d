"""Every route of the inspections app's API, under /api/v1/ (the project's urls include it in the namespace
"api"): api:inspection-*, api:checklist-*."""

from rest_framework.routers import SimpleRouter

from inspections.api.views import checklists, inspections

router = SimpleRouter()
router.register("inspections", inspections.InspectionViewSet, basename="inspection")
router.register("checklists", checklists.ChecklistViewSet, basename="checklist")

urlpatterns = router.urls
