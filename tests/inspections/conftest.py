"""Fixtures of the inspection pages' tests: a checklist, and inspections by the cast of the Liaoning map.

The checklist is the tests' own (three items, the first pointing to a criterion of the urban gas sector), so
the tests do not depend on the checklists a data migration seeds.
"""

import datetime
import uuid

import pytest
from django.utils import timezone

from hazards.models import Clause, Enterprise, Hazard, HazardLevel, Standard, User
from inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Inspection,
    InspectionKind,
    ItemAnswer,
)
from inspections.services.findings import finding_log
from inspections.services.inspections import inspection_complete, inspection_start, item_answer
from tests.factories import (
    HazardFactory,
    found_in_inspection,
    major_criterion,
    sector,
)

# The outsiders of an inspection at 和平区燃气有限公司: each must get 404.
OUTSIDERS = ["shenhe_staff", "zhongshan_inspector", "dalian_supervisor"]


@pytest.fixture
def enterprise(liaoning) -> Enterprise:
    return liaoning.enterprises["heping"]


@pytest.fixture
def clause(db) -> Clause:
    """A criterion in force for urban gas: the catalogue's, or one of the tests' own when it has none."""
    found = major_criterion("urban-gas")
    if found is not None:
        return found
    standard = Standard.objects.create(
        number="TEST-GAS-1", title="Urban gas test standard", scope="national", effective_from="2020-01-01"
    )
    standard.sectors.set([sector("urban-gas")])
    return Clause.objects.create(
        standard=standard, number="1", text="无燃气经营许可证", summary_en="No licence"
    )


@pytest.fixture
def checklist(clause) -> ChecklistTemplate:
    """A urban gas checklist of the tests: three items, the first pointing to a criterion."""
    template = ChecklistTemplate.objects.create(
        sector=sector("urban-gas"), name="测试燃气检查表 Test checklist"
    )
    version = ChecklistVersion.objects.create(template=template, number=1)
    for position, (number, text, item_clause) in enumerate(
        [
            ("1", "是否取得燃气经营许可证 Licence held", clause),
            ("2", "调压箱是否完好 Regulator cabinet sound", None),
            ("3", "钢瓶是否在检验有效期内 Cylinders inspected", None),
        ]
    ):
        ChecklistItem.objects.create(
            version=version, number=number, text=text, clause=item_clause, position=position
        )
    return template


def items_of(inspection: Inspection) -> list[ChecklistItem]:
    return list(inspection.checklist.items.all())


@pytest.fixture
def start(cast, enterprise, checklist):
    """Start an inspection with the tests' checklist; by default the 和平区 inspector's, at 和平区燃气."""

    def make(
        actor: User | None = None,
        kind: str = InspectionKind.ROUTINE,
        enterprise_id: int | None = None,
        **kwargs,
    ) -> Inspection:
        actor = actor or cast.heping_inspector
        return inspection_start(
            actor=actor,
            enterprise_id=enterprise_id or actor.enterprise_id or enterprise.pk,
            kind=kind,
            checklist_id=checklist.pk,
            **kwargs,
        )

    return make


@pytest.fixture
def closed_hazard(cast, enterprise):
    """A hazard closed at the enterprise for a checklist item (by its key) some days ago, found in an
    inspection of its own (or the one given)."""

    def make(item: ChecklistItem, days_ago: int, inspection: Inspection | None = None) -> Hazard:
        closed_at = timezone.now() - datetime.timedelta(days=days_ago)
        hazard = HazardFactory(
            enterprise=enterprise,
            found_by=cast.heping_inspector,
            closed=True,
            closed_at=closed_at,
            found_at=closed_at - datetime.timedelta(days=10),
            level=HazardLevel.GENERAL,
        )
        found_in_inspection(hazard, item, inspection=inspection)
        return hazard

    return make


def log_finding(inspection: Inspection, actor: User, item: ChecklistItem | None = None, **fields) -> Hazard:
    """A general finding logged through the service, as the page would."""
    fields = {
        "description": "燃气报警器失效 Gas alarm out of order",
        "location": "锅炉房 Boiler room",
        "level": HazardLevel.GENERAL,
        "measures": "更换报警器 Replace the alarm",
        "responsible_person": "赵六",
        **fields,
    }
    hazard, _created = finding_log(
        actor=actor,
        inspection_id=inspection.pk,
        idempotency_key=uuid.uuid4(),
        item_id=item.pk if item else None,
        **fields,
    )
    return hazard


@pytest.fixture
def ordered_inspection(start, cast) -> Inspection:
    """A completed inspection of 和平区燃气有限公司 whose failed item 2 is on its rectification order."""
    inspection = start()
    first, second, third = items_of(inspection)
    item_answer(
        actor=cast.heping_inspector, inspection_id=inspection.pk, item_id=first.pk, answer=ItemAnswer.PASS
    )
    log_finding(inspection, cast.heping_inspector, second)
    item_answer(
        actor=cast.heping_inspector,
        inspection_id=inspection.pk,
        item_id=third.pk,
        answer=ItemAnswer.NOT_APPLICABLE,
    )
    return inspection_complete(actor=cast.heping_inspector, inspection_id=inspection.pk)
