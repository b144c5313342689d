"""The hand-made quarter of the ranking tests: 2025 Q3, [Jul 1, Oct 1) Shanghai time."""

import datetime

import pytest

from hazards.models import (
    EventKind,
    HazardEvent,
    HazardSource,
    HazardStatus,
    RiskColour,
)
from inspections.models import ChecklistVersion, Inspection, InspectionKind, InspectionStatus
from tests.factories import HazardFactory
from tests.statistics.conftest import at

YEAR, QUARTER = 2025, 3
GOV, SELF = HazardSource.GOVERNMENT_INSPECTION, HazardSource.SELF_INSPECTION
OPEN, VOID = HazardStatus.OPEN, HazardStatus.VOID


@pytest.fixture
def quarter(liaoning, cast):
    """和平区 (沈阳) works well, 中山区 (大连) lets its hazards run over; counted as each comment says."""
    found_by = cast.shenyang_inspector
    dalian_supervisor = cast.dalian_supervisor
    heping, zhongshan = liaoning.enterprises["heping"], liaoning.enterprises["zhongshan"]

    def make(enterprise, found_at, deadline, **fields):
        return HazardFactory(
            enterprise=enterprise,
            found_by=found_by,
            found_at=found_at,
            original_deadline=deadline,
            deadline=deadline,
            **fields,
        )

    d = datetime.date
    made = {
        # 和平区: found 3 (2 by the department, 1 self-found); due 3, rectified 2, 1 on time; overdue 0.
        "h1": make(heping, at(2025, 7, 3), d(2025, 8, 1), source=GOV, closed=True,
                   submitted_at=at(2025, 7, 20), closed_at=at(2025, 7, 25)),  # on time
        "h2": make(heping, at(2025, 7, 5), d(2025, 7, 10), source=SELF, closed=True,
                   submitted_at=at(2025, 7, 15), closed_at=at(2025, 7, 16)),  # late
        "h3": make(heping, at(2025, 8, 1), d(2025, 12, 1), source=GOV),  # due, open, not yet overdue
        # 中山区: found 2 (department); due 3 (one from before); rectified 0; overdue 2; a major one open.
        "z1": make(zhongshan, at(2025, 5, 1), d(2025, 6, 1), source=GOV),  # due, overdue at the end
        "z2": make(zhongshan, at(2025, 7, 8), d(2025, 8, 8), source=GOV, major=True, listed=True,
                   listing__listed_by=dalian_supervisor, listing__listed_at=at(2025, 7, 9)),  # open, overdue
        "z3": make(zhongshan, at(2025, 9, 1), d(2025, 12, 1), source=GOV),  # found, due, open
        "z4": make(zhongshan, at(2025, 7, 9), d(2025, 8, 9), source=GOV, void=True),  # voided: in no count
        "old": make(zhongshan, at(2025, 3, 1), d(2025, 4, 1), source=GOV, closed=True,
                    closed_at=at(2025, 4, 2)),  # closed before: not due
    }  # fmt: skip
    made["again"] = make(  # found again after h1 was closed in the quarter: a repeat, flagged
        heping, at(2025, 8, 20), d(2025, 12, 1), source=GOV, repeat_of=made["h1"]
    )
    HazardEvent.objects.create(
        hazard=made["z4"], kind=EventKind.VOIDED, actor=dalian_supervisor, from_status=OPEN,
        to_status=VOID,
    )  # fmt: skip
    HazardEvent.objects.filter(hazard=made["z4"]).update(created_at=at(2025, 7, 12))
    checklist = ChecklistVersion.objects.filter(template__sector=heping.sector).first()
    liaoning.enterprises["heping"].risk_colour = RiskColour.RED
    liaoning.enterprises["heping"].save()
    for enterprise, completed in (
        (heping, at(2025, 8, 2)),
        (zhongshan, at(2025, 8, 3)),
        (heping, at(2025, 10, 2)),
    ):
        inspection = Inspection.objects.create(
            enterprise=enterprise, region=enterprise.region, started_by=found_by, date=completed.date(),
            kind=InspectionKind.ROUTINE, checklist=checklist,
        )  # fmt: skip
        Inspection.objects.filter(pk=inspection.pk).update(
            status=InspectionStatus.COMPLETED, completed_at=completed
        )
    return made
