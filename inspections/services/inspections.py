"""Running an inspection: starting it, answering its checklist, and completing it with the rectification order
it issues (what it finds is logged by inspections.services.findings)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.lib.calendar import local_today
from hazards.lib.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from hazards.models import Enterprise, EventKind, Hazard, HazardSource, HazardStatus, Role, User
from hazards.services.numbering import next_sequence
from hazards.services.workflow import record_event
from inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    Inspection,
    InspectionEvent,
    InspectionEventKind,
    InspectionKind,
    InspectionStatus,
    ItemAnswer,
    ItemResult,
    RectificationOrder,
)

# The source a finding is logged under, by the kind of inspection.
SOURCE_BY_KIND = {
    InspectionKind.SELF_INSPECTION: HazardSource.SELF_INSPECTION,
    InspectionKind.SPECIAL_CAMPAIGN: HazardSource.SPECIAL_CAMPAIGN,
}

# The roles that start (run) inspections: inspectors their visits, enterprises their self-inspections.
STARTERS = (Role.INSPECTOR, Role.ENTERPRISE)


def _check_kind(actor: User, kind: str) -> None:
    if kind not in InspectionKind.values:
        raise RuleViolation(_("Choose a kind of inspection."), field="kind")
    if actor.role == Role.ENTERPRISE and kind != InspectionKind.SELF_INSPECTION:
        raise RuleViolation(_("An enterprise runs self-inspections."), field="kind")
    if actor.role == Role.INSPECTOR and kind == InspectionKind.SELF_INSPECTION:
        raise RuleViolation(_("A self-inspection is run by the enterprise."), field="kind")
    if actor.role not in STARTERS:
        raise ActionNotPermitted(_("Only inspectors and enterprises run inspections."))


@transaction.atomic
def inspection_start(
    *,
    actor: User,
    enterprise_id: int,
    kind: str,
    checklist_id: int | None = None,
    date: datetime.date | None = None,
    co_inspector_ids: tuple[int, ...] = (),
    notes: str = "",
) -> Inspection:
    """Start an inspection of an enterprise in the actor's scope with the current version of a checklist.

    An inspector inspects (with other inspectors of the scope, if any); an enterprise user self-inspects.
    The checklist defaults to the one of the enterprise's sector.
    """
    _check_kind(actor, kind)
    enterprise = Enterprise.objects.visible_to(actor).get(pk=enterprise_id)
    date = date or local_today()
    if date > local_today():
        raise RuleViolation(_("An inspection is started on the day it is done."), field="date")
    templates = ChecklistTemplate.objects.all()
    template = (
        templates.filter(pk=checklist_id).first()
        if checklist_id is not None
        else templates.filter(sector=enterprise.sector_id).order_by("id").first()
    )
    version = template.current_version() if template else None
    if version is None:
        raise RuleViolation(_("Choose a checklist."), field="checklist")
    co_inspectors = list(
        User.objects.visible_to(actor).filter(pk__in=co_inspector_ids, role=Role.INSPECTOR, is_active=True)
    )
    if len(co_inspectors) != len(set(co_inspector_ids)):
        raise RuleViolation(_("Choose inspectors of your jurisdiction."), field="co_inspectors")
    inspection = Inspection.objects.create(
        enterprise=enterprise,
        region=enterprise.region,
        started_by=actor,
        date=date,
        kind=kind,
        checklist=version,
        notes=(notes or "").strip(),
    )
    inspection.inspectors.set([actor, *co_inspectors])
    return inspection


def locked_inspection(actor: User, inspection_id: int) -> Inspection:
    """The inspection, locked, if the actor takes part in it; Inspection.DoesNotExist outside the scope."""
    inspection = Inspection.objects.visible_to(actor).select_for_update(of=("self",)).get(pk=inspection_id)
    if not inspection.inspectors.filter(pk=actor.pk).exists():
        raise ActionNotPermitted(_("Only the inspection's own inspectors work on it."))
    if inspection.status == InspectionStatus.CANCELLED:
        raise InvalidTransition(_("This inspection is cancelled."))
    if inspection.status != InspectionStatus.IN_PROGRESS:
        raise InvalidTransition(_("This inspection is completed."))
    return inspection


def item_of(inspection: Inspection, item_id: int) -> ChecklistItem:
    item = inspection.checklist.items.filter(pk=item_id).first()
    if item is None:
        raise RuleViolation(_("This item is not on the inspection's checklist."), field="item")
    return item


@transaction.atomic
def item_answer(*, actor: User, inspection_id: int, item_id: int, answer: str, note: str = "") -> ItemResult:
    """Answer one checklist item: pass, fail or not applicable.

    An answered item may be answered again until the inspection is completed: the change (from, to, who,
    when) goes on the inspection's record. The same answer sent again (a device's retry) changes nothing.
    """
    inspection = locked_inspection(actor, inspection_id)
    item = item_of(inspection, item_id)
    if answer not in ItemAnswer.values:
        raise RuleViolation(_("Answer pass, fail or not applicable."), field="answer")
    note = (note or "").strip()
    result = inspection.results.filter(item=item).first()
    if result is None:
        return ItemResult.objects.create(
            inspection=inspection, item=item, answer=answer, note=note, answered_by=actor
        )
    if result.answer == answer and result.note == note:
        return result
    InspectionEvent.objects.create(
        inspection=inspection,
        kind=InspectionEventKind.ANSWER_CHANGED,
        actor=actor,
        data={"item": item.pk, "number": item.number, "from": result.answer, "to": answer},
    )
    result.answer, result.note, result.answered_by = answer, note, actor
    result.save(update_fields=["answer", "note", "answered_by"])
    return result


@transaction.atomic
def inspection_cancel(*, actor: User, inspection_id: int, reason: str) -> Inspection:
    """Cancel an inspection started by mistake, with the reason: it is kept, issues nothing, and can no
    longer be answered or completed. One that logged a hazard is completed instead (its hazards are real)."""
    inspection = locked_inspection(actor, inspection_id)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Give the reason for cancelling."), field="reason")
    if inspection.findings.exists():
        raise RuleViolation(
            _("This inspection logged hazards: complete it instead of cancelling it."), field="reason"
        )
    inspection.status = InspectionStatus.CANCELLED
    inspection.cancelled_at = timezone.now()
    inspection.cancel_reason = reason
    inspection.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    InspectionEvent.objects.create(
        inspection=inspection, kind=InspectionEventKind.CANCELLED, actor=actor, comment=reason
    )
    return inspection


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
