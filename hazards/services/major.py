"""What a major hazard adds: the rectification plan, production suspension, listing for supervision."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.lib.calendar import local_today
from hazards.lib.errors import RuleViolation
from hazards.models import (
    EventKind,
    Hazard,
    HazardLevel,
    NoticeKind,
    ProductionSuspension,
    RectificationPlan,
    SupervisionListing,
    User,
)
from hazards.services.counts import counts_follow
from hazards.services.handovers import handover_notify
from hazards.services.hazards import criterion_for
from hazards.services.workflow import check, delist, locked_hazard, record_event, required_text


@transaction.atomic
def plan_file(
    *,
    actor: User,
    hazard_id: int,
    responsible_person: str,
    measures: str,
    funds_amount: Decimal,
    deadline: datetime.date,
    emergency_plan: str,
) -> RectificationPlan:
    """File or revise the plan of the five implementations (五落实); each version is on the timeline."""
    hazard = locked_hazard(actor, hazard_id)
    check("plan", hazard, actor)
    if funds_amount is None or funds_amount < 0:
        raise RuleViolation(_("The funds cannot be negative."), field="funds_amount")
    if deadline < local_today():
        raise RuleViolation(_("The plan's deadline cannot be in the past."), field="deadline")
    fields = {
        "responsible_person": required_text(responsible_person, "responsible_person"),
        "measures": required_text(measures, "measures"),
        "funds_amount": funds_amount,
        "deadline": deadline,
        "emergency_plan": required_text(emergency_plan, "emergency_plan"),
        "filed_by": actor,
    }
    plan, created = RectificationPlan.objects.update_or_create(hazard=hazard, defaults=fields)
    record_event(
        hazard,
        EventKind.PLAN_FILED,
        actor,
        revised=not created,
        responsible_person=plan.responsible_person,
        funds_amount=str(plan.funds_amount),
        deadline=plan.deadline.isoformat(),
    )
    handover_notify(hazard=hazard, kind=NoticeKind.PLAN_FILED)
    return plan


@transaction.atomic
def suspension_record(
    *, actor: User, hazard_id: int, scope: str, starts_on: datetime.date, ends_on: datetime.date | None = None
) -> ProductionSuspension:
    """Record that production or use is suspended (scope, from, to) while the major hazard is rectified."""
    hazard = locked_hazard(actor, hazard_id)
    check("suspension", hazard, actor)
    if ends_on is not None and ends_on < starts_on:
        raise RuleViolation(_("The suspension cannot end before it starts."), field="ends_on")
    suspension = ProductionSuspension.objects.create(
        hazard=hazard,
        scope=required_text(scope, "scope"),
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=actor,
    )
    record_event(
        hazard,
        EventKind.SUSPENSION_RECORDED,
        actor,
        comment=suspension.scope,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat() if ends_on else None,
    )
    return suspension


@transaction.atomic
def hazard_list_for_supervision(*, actor: User, hazard_id: int, authority: str) -> SupervisionListing:
    """A supervisor lists a major hazard for supervision (挂牌督办) by a named authority until it closes."""
    hazard = locked_hazard(actor, hazard_id)
    check("listing", hazard, actor)
    listing = SupervisionListing.objects.create(
        hazard=hazard,
        authority=required_text(authority, "authority"),
        listed_by=actor,
        listed_at=timezone.now(),
    )
    record_event(hazard, EventKind.LISTED, actor, comment=listing.authority)
    return listing


@transaction.atomic
def hazard_reclassify(
    *, actor: User, hazard_id: int, level: str, reason: str, criterion_id: int | None = None
) -> Hazard:
    """An inspector changes a hazard's level, with the reason; on the timeline, and in the ranking's flags.

    A hazard made major needs its criterion (of a standard of its sector in force today); one made general
    loses its criterion and its listing for supervision.
    """
    hazard = locked_hazard(actor, hazard_id)
    check("reclassify", hazard, actor)
    if level not in HazardLevel.values:
        raise RuleViolation(_("Choose general or major."), field="level")
    if level == hazard.level:
        raise RuleViolation(_("The hazard is of this level already."), field="level")
    criterion = criterion_for(level, criterion_id, sector_id=hazard.sector_id, on=local_today())
    reason = required_text(reason, "reason", _("Say why the level changes."))
    from_level = hazard.level
    with counts_follow(hazard):
        hazard.level, hazard.criterion = level, criterion
        hazard.save(update_fields=["level", "criterion", "updated_at"])
    record_event(hazard, EventKind.RECLASSIFIED, actor, comment=reason, from_level=from_level, to_level=level)
    if level == HazardLevel.GENERAL:
        delist(hazard, actor, timezone.now())
    return hazard
