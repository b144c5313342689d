"""Running an inspection: starting it, answering its checklist, and logging what it finds."""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.lib.calendar import local_today
from hazards.lib.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from hazards.models import Enterprise, Hazard, HazardSource, HazardStatus, Role, User
from hazards.services.hazards import hazard_log
from inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    Inspection,
    InspectionKind,
    InspectionStatus,
    ItemAnswer,
    ItemResult,
)

REPEAT_WINDOW = datetime.timedelta(days=365)

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
    if inspection.status != InspectionStatus.IN_PROGRESS:
        raise InvalidTransition(_("This inspection is completed."))
    return inspection


def _item_of(inspection: Inspection, item_id: int) -> ChecklistItem:
    item = inspection.checklist.items.filter(pk=item_id).first()
    if item is None:
        raise RuleViolation(_("This item is not on the inspection's checklist."), field="item")
    return item


@transaction.atomic
def item_answer(*, actor: User, inspection_id: int, item_id: int, answer: str, note: str = "") -> ItemResult:
    """Answer one checklist item: pass, fail or not applicable. Each item is answered once."""
    inspection = locked_inspection(actor, inspection_id)
    item = _item_of(inspection, item_id)
    if answer not in ItemAnswer.values:
        raise RuleViolation(_("Answer pass, fail or not applicable."), field="answer")
    if inspection.results.filter(item=item).exists():
        raise RuleViolation(_("Item %(number)s is answered already.") % {"number": item.number}, field="item")
    return ItemResult.objects.create(
        inspection=inspection, item=item, answer=answer, note=(note or "").strip(), answered_by=actor
    )


def repeated_hazard(enterprise: Enterprise, item: ChecklistItem) -> Hazard | None:
    """The latest hazard closed at the enterprise for the same checklist item within a year, if any."""
    return (
        Hazard.objects.filter(
            enterprise=enterprise,
            finding__checklist_item__key=item.key,
            status=HazardStatus.CLOSED,
            closed_at__gte=timezone.now() - REPEAT_WINDOW,
        )
        .order_by("-closed_at")
        .first()
    )


def finding_log(
    *, actor: User, inspection_id: int, idempotency_key: uuid.UUID, item_id: int | None = None, **fields
) -> tuple[Hazard, bool]:
    """Log a finding of an inspection as a hazard, once per idempotency key; returns (hazard, created).

    A finding for a checklist item records the item as failed if it was not answered yet, and is refused
    for an item that passed. It is marked as a repeat of a hazard closed for the same item within a year.
    The same key sent again (a double tap, a retry after a lost connection) returns the hazard it made.
    """
    existing = _logged_under(actor, inspection_id, idempotency_key)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return _finding_log(actor, inspection_id, idempotency_key, item_id, fields), True
    except IntegrityError:
        # The same key, sent twice at once: the other request made the hazard first.
        existing = _logged_under(actor, inspection_id, idempotency_key)
        if existing is None:
            raise
        return existing, False


def _logged_under(actor: User, inspection_id: int, idempotency_key: uuid.UUID) -> Hazard | None:
    """The hazard this inspection logged under the key, if any. A key already used for another inspection, or
    for a hazard outside the user's scope, is refused rather than answered with that hazard."""
    existing = Finding.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    hazard = (
        Hazard.objects.visible_to(actor)
        .filter(pk=existing.hazard_id, finding__inspection_id=inspection_id)
        .first()
    )
    if hazard is None:
        raise RuleViolation(
            _("This finding's key was used for another finding already: open the form again."),
            field="idempotency_key",
        )
    return hazard


def _finding_log(actor, inspection_id, idempotency_key, item_id, fields) -> Hazard:
    inspection = locked_inspection(actor, inspection_id)
    item = _item_of(inspection, item_id) if item_id is not None else None
    if item is not None:
        result = inspection.results.filter(item=item).first()
        if result is None:
            ItemResult.objects.create(
                inspection=inspection, item=item, answer=ItemAnswer.FAIL, answered_by=actor
            )
        elif result.answer != ItemAnswer.FAIL:
            raise RuleViolation(
                _("Item %(number)s did not fail; a finding goes with a failed item.")
                % {"number": item.number},
                field="item",
            )

    def record_finding(hazard: Hazard) -> None:
        # Made with the hazard, before its photos: a key sent twice at once is refused here, by its index.
        Finding.objects.create(
            hazard=hazard, inspection=inspection, checklist_item=item, idempotency_key=idempotency_key
        )

    return hazard_log(
        actor=actor,
        enterprise_id=inspection.enterprise_id,
        source=SOURCE_BY_KIND.get(inspection.kind, HazardSource.GOVERNMENT_INSPECTION),
        repeat_of=repeated_hazard(inspection.enterprise, item) if item else None,
        attach=record_finding,
        **fields,
    )
