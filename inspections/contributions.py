"""What inspections adds to the pages, API and computations of hazards (from InspectionsConfig.ready())."""

from hazards.lib.contributions import (
    ENTERPRISE_ACTIONS,
    ENTERPRISE_COLUMN,
    DemoStep,
    EnterprisePart,
    HazardFields,
    register,
)
from inspections.api.serializers.inspections import hazard_finding_fields
from inspections.selectors.inspections import enterprise_inspections
from inspections.services.demo import inspections_seed
from inspections.services.rankings import INSPECTIONS_INDICATOR


def register_all() -> None:
    register(
        # An enterprise's page: "Start an inspection" by its name, its recent inspections beside its hazards.
        EnterprisePart(slot=ENTERPRISE_ACTIONS, template="inspections/_enterprise_actions.html"),
        EnterprisePart(
            slot=ENTERPRISE_COLUMN,
            template="inspections/_enterprise_inspections.html",
            context=enterprise_inspections,
        ),
        # A hazard's API detail: the inspection and checklist item it was found for, after its on-site review.
        HazardFields(
            after="reviewed_on_site_at", fields=hazard_finding_fields, select_related=("finding__inspection",)
        ),
        # The ranking's indicator of inspections by the authorities.
        INSPECTIONS_INDICATOR,
        # The demo's inspections, after its hazards (their repeats) and before the statistics that count them.
        DemoStep(noun="inspections", seed=inspections_seed),
    )
