"""The hazards app's page routes: one per workflow action on a hazard (POST only), from the action table."""

from django.urls import path

from hazards.services.workflow import ACTIONS
from hazards.views import hazard_actions
from hazards.views.action_table import url_name

urlpatterns = [
    path(
        f"hazards/<int:hazard_id>/{action.route}",
        hazard_actions.hazard_action,
        {"action": key},
        name=url_name(key),
    )
    for key, action in ACTIONS.items()
    if action.route
]
