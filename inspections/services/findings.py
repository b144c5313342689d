"""Logging what an inspection finds: a hazard with its finding (the inspection, the checklist item, the key
sent by the device), marked as a repeat of one closed at the enterprise for the same item within a year."""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.lib.errors import RuleViolation
from hazards.models import Enterprise, Hazard, HazardSource, HazardStatus, User
from hazards.services.hazards import hazard_log
from inspections.models import ChecklistItem, Finding, ItemAnswer, ItemResult
from inspections.services.inspections import SOURCE_BY_KIND, item_of, locked_inspection

REPEAT_WINDOW = datetime.timedelta(days=365)


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
    item = item_of(inspection, item_id) if item_id is not None else None
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
