"""Demo inspections: completed ones with findings and orders in several sectors, and one under way today."""

import datetime
import uuid

from hazards.lib.calendar import local_today
from hazards.models import Enterprise, HazardLevel, User
from hazards.services.demo_hazards import demo_photo
from inspections.models import ChecklistTemplate, Inspection, InspectionKind, ItemAnswer
from inspections.services.findings import finding_log
from inspections.services.inspections import inspection_complete, inspection_start, item_answer

# How many demo inspections are completed (one per enterprise of a different sector), before today's.
COMPLETED = 5


def _run(inspector: User, enterprise: Enterprise, *, seed: int, complete: bool) -> Inspection:
    """Inspect: fail the second item and the first one pointing to a criterion, pass the rest."""
    inspection = inspection_start(
        actor=inspector,
        enterprise_id=enterprise.pk,
        kind=InspectionKind.ROUTINE,
        date=local_today() - datetime.timedelta(days=seed if complete else 0),
    )
    items = list(inspection.checklist.items.all())
    major_item = next((entry for entry in items if entry.clause_id), None)
    failing = [items[1], *([major_item] if major_item and major_item != items[1] else [])]
    for index, entry in enumerate(failing):
        is_major = entry.clause_id is not None
        finding_log(
            actor=inspector,
            inspection_id=inspection.pk,
            idempotency_key=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-finding-{inspection.pk}-{entry.pk}"),
            item_id=entry.pk,
            description=entry.text.rstrip("？?") + "（不符合）",
            location="现场",
            level=HazardLevel.MAJOR if is_major else HazardLevel.GENERAL,
            criterion_id=entry.clause_id if is_major else None,
            measures="按检查表要求整改",
            responsible_person=enterprise.principal_name,
            photos=[demo_photo(1000 + seed * 10 + index, "现场照片.jpg")],
        )
    if complete:
        for entry in items:
            if entry not in failing:
                answer = ItemAnswer.NOT_APPLICABLE if entry.number.endswith("0") else ItemAnswer.PASS
                item_answer(actor=inspector, inspection_id=inspection.pk, item_id=entry.pk, answer=answer)
        inspection_complete(actor=inspector, inspection_id=inspection.pk)
    return inspection


def inspections_seed(*, inspector: User, enterprises: list[Enterprise]) -> int:
    """Completed inspections of enterprises of different sectors, and one in progress today. Idempotent."""
    if Inspection.objects.filter(started_by=inspector).exists():
        return 0
    with_checklist = set(ChecklistTemplate.objects.values_list("sector_id", flat=True))
    chosen, sectors = [], set()
    for enterprise in enterprises:
        if enterprise.sector_id in with_checklist and enterprise.sector_id not in sectors:
            sectors.add(enterprise.sector_id)
            chosen.append(enterprise)
    for seed, enterprise in enumerate(chosen[:COMPLETED], start=1):
        _run(inspector, enterprise, seed=seed, complete=True)
    if len(chosen) > COMPLETED:
        _run(inspector, chosen[COMPLETED], seed=COMPLETED + 1, complete=False)
    return min(len(chosen), COMPLETED + 1)
