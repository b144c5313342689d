"""Completing an inspection, and the rectification order it issues."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.lib.calendar import local_today
from hazards.lib.errors import RuleViolation
from hazards.models import EventKind, Hazard, HazardStatus, User
from hazards.services.numbering import next_sequence
from hazards.services.workflow import record_event
from inspections.models import Inspection, InspectionStatus, ItemAnswer, RectificationOrder
from inspections.services.conduct import locked_inspection


@transaction.atomic
def inspection_complete(*, actor: User, inspection_id: int) -> Inspection:
    """Complete the inspection; an inspector's issues one numbered order listing its open hazards.

    Every item must be answered, and every failed item must have its hazard. Each hazard on the order gets
    the order on its timeline. A self-inspection issues no order: the enterprise does not order itself.
    """
    inspection = locked_inspection(actor, inspection_id)
    unanswered = inspection.checklist.items.exclude(results__inspection=inspection)
    if unanswered.exists():
        numbers = ", ".join(unanswered.values_list("number", flat=True))
        raise RuleViolation(_("Answer every item first; unanswered: %(numbers)s.") % {"numbers": numbers})
    failed_without_hazard = inspection.results.filter(answer=ItemAnswer.FAIL).exclude(
        item__findings__inspection=inspection
    )
    if failed_without_hazard.exists():
        numbers = ", ".join(failed_without_hazard.values_list("item__number", flat=True))
        raise RuleViolation(
            _("Log the hazard of every failed item first; without one: %(numbers)s.") % {"numbers": numbers}
        )
    now = timezone.now()
    inspection.status = InspectionStatus.COMPLETED
    inspection.completed_at = now
    inspection.save(update_fields=["status", "completed_at"])
    open_hazards = list(
        Hazard.objects.filter(finding__inspection=inspection, status=HazardStatus.OPEN).order_by(
            "deadline", "id"
        )
    )
    if open_hazards and not inspection.is_self_inspection:
        year = local_today().year
        sequence = next_sequence(RectificationOrder, inspection.region, year)
        number = f"ZG-{inspection.region.code}-{year}-{sequence:04d}"
        order = RectificationOrder.objects.create(
            inspection=inspection,
            region=inspection.region,
            number_year=year,
            number_sequence=sequence,
            number=number,
            issued_by=actor,
            issued_at=now,
        )
        order.hazards.set(open_hazards)
        for hazard in open_hazards:
            record_event(hazard, EventKind.ORDER_ISSUED, actor, order_id=order.pk, order_number=number)
    return inspection
