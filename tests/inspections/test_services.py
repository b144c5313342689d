"""Running an inspection: start, answers, findings (once per key, repeats), completion and its order."""

import datetime
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from hazards.lib.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from hazards.models import (
    Clause,
    Enterprise,
    EventKind,
    Hazard,
    HazardLevel,
    HazardSource,
    HazardStatus,
    Standard,
)
from inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Inspection,
    InspectionKind,
    InspectionStatus,
    ItemAnswer,
    RectificationOrder,
)
from inspections.services.findings import finding_log
from inspections.services.inspections import inspection_complete, inspection_start, item_answer
from tests.factories import (
    HazardFactory,
    found_in_inspection,
    major_criterion,
    photo_upload,
)

FINDING = {
    "description": "调压箱锈蚀",
    "location": "厂区东门调压箱",
    "level": HazardLevel.GENERAL,
    "measures": "除锈并做防腐处理",
    "responsible_person": "孙八",
}


@pytest.fixture
def checklist(db) -> ChecklistVersion:
    """An urban-gas checklist of three items; the third points to a criterion of the urban-gas standard."""
    template = ChecklistTemplate.objects.create(sector_id=_sector_id("urban-gas"), name="测试燃气检查表")
    version = ChecklistVersion.objects.create(template=template, number=1)
    for position, (number, text) in enumerate(
        [("1", "调压设施完好"), ("2", "报警器有效"), ("3", "重大隐患项")]
    ):
        ChecklistItem.objects.create(
            version=version,
            number=number,
            text=text,
            position=position,
            clause=major_criterion() if number == "3" else None,
        )
    return version


def _sector_id(code: str) -> int:
    from hazards.models import Sector

    return Sector.objects.get(code=code).pk


@pytest.fixture
def visit(liaoning, cast, checklist) -> Inspection:
    return inspection_start(
        actor=cast.heping_inspector,
        enterprise_id=liaoning.enterprises["heping"].pk,
        kind=InspectionKind.ROUTINE,
        checklist_id=checklist.template_id,
    )


def item(visit: Inspection, number: str) -> ChecklistItem:
    return visit.checklist.items.get(number=number)


def find(actor, visit, number=None, key=None, **changes) -> tuple[Hazard, bool]:
    return finding_log(
        actor=actor,
        inspection_id=visit.pk,
        idempotency_key=key or uuid.uuid4(),
        item_id=item(visit, number).pk if number else None,
        **(FINDING | changes),
    )


# --- Starting --------------------------------------------------------------------------------------------


def test_an_inspector_starts_with_the_current_checklist_of_the_sector_and_colleagues(
    liaoning, cast, checklist
):
    newer = ChecklistVersion.objects.create(template=checklist.template, number=2)
    started = inspection_start(
        actor=cast.heping_inspector,
        enterprise_id=liaoning.enterprises["heping"].pk,
        kind=InspectionKind.UNANNOUNCED,
        checklist_id=checklist.template_id,
        co_inspector_ids=(cast.co_inspector.pk,),
    )
    assert started.checklist == newer and started.status == InspectionStatus.IN_PROGRESS
    by_default = inspection_start(
        actor=cast.heping_inspector,
        enterprise_id=liaoning.enterprises["heping"].pk,
        kind=InspectionKind.ROUTINE,
    )
    assert by_default.checklist.template.sector == liaoning.enterprises["heping"].sector
    assert set(started.inspectors.all()) == {cast.heping_inspector, cast.co_inspector}
    assert (started.region, started.date) == (liaoning.counties["heping"], timezone.localdate())


@pytest.mark.parametrize(
    ("who", "changes", "error"),
    [
        ("heping_staff", {"kind": InspectionKind.ROUTINE}, RuleViolation),
        ("heping_inspector", {"kind": InspectionKind.SELF_INSPECTION}, RuleViolation),
        ("heping_inspector", {"kind": "picnic"}, RuleViolation),
        ("shenyang_supervisor", {"kind": InspectionKind.ROUTINE}, ActionNotPermitted),
        ("heping_inspector", {"date": timezone.localdate() + datetime.timedelta(days=1)}, RuleViolation),
        ("heping_inspector", {"co_inspector_ids": "dalian_inspector"}, RuleViolation),
        ("dalian_inspector", {}, Enterprise.DoesNotExist),
    ],
)
def test_a_bad_start_is_refused_and_nothing_is_made(liaoning, cast, checklist, who, changes, error):
    if "co_inspector_ids" in changes:
        changes = {"co_inspector_ids": (getattr(cast, changes["co_inspector_ids"]).pk,)}
    fields = {"enterprise_id": liaoning.enterprises["heping"].pk, "kind": InspectionKind.ROUTINE} | changes
    with pytest.raises(error):
        inspection_start(actor=getattr(cast, who), **fields)
    assert not Inspection.objects.exists()


# --- Answering -------------------------------------------------------------------------------------------


def test_an_answer_is_changed_on_the_record_and_the_same_answer_again_changes_nothing(visit, cast):
    first = item(visit, "1").pk
    item_answer(actor=cast.heping_inspector, inspection_id=visit.pk, item_id=first, answer="pass")
    item_answer(actor=cast.heping_inspector, inspection_id=visit.pk, item_id=first, answer="pass")
    assert not visit.events.exists()
    item_answer(actor=cast.heping_inspector, inspection_id=visit.pk, item_id=first, answer="fail")
    assert visit.results.get().answer == ItemAnswer.FAIL
    event = visit.events.get()
    assert (event.kind, event.actor, event.data["from"], event.data["to"]) == (
        "answer_changed",
        cast.heping_inspector,
        "pass",
        "fail",
    )


def test_an_item_of_another_checklist_or_a_bad_answer_is_refused(visit, cast, checklist):
    other = ChecklistItem.objects.create(
        version=ChecklistVersion.objects.create(template=checklist.template, number=9), number="1", text="x"
    )
    with pytest.raises(RuleViolation):
        item_answer(actor=cast.heping_inspector, inspection_id=visit.pk, item_id=other.pk, answer="pass")
    with pytest.raises(RuleViolation):
        item_answer(
            actor=cast.heping_inspector, inspection_id=visit.pk, item_id=item(visit, "1").pk, answer="maybe"
        )
    assert not visit.results.exists()


def test_only_the_inspections_own_inspectors_work_on_it(visit, cast):
    with pytest.raises(ActionNotPermitted):
        item_answer(
            actor=cast.co_inspector, inspection_id=visit.pk, item_id=item(visit, "1").pk, answer="pass"
        )
    with pytest.raises(Inspection.DoesNotExist):
        item_answer(
            actor=cast.dalian_inspector, inspection_id=visit.pk, item_id=item(visit, "1").pk, answer="pass"
        )


# --- Findings --------------------------------------------------------------------------------------------


def test_a_finding_for_an_item_fails_it_and_links_the_hazard(visit, cast, evidence_root):
    hazard, created = find(
        cast.heping_inspector,
        visit,
        "3",
        level=HazardLevel.MAJOR,
        criterion_id=item(visit, "3").clause_id,
        photos=[photo_upload()],
    )
    assert created and hazard.status == HazardStatus.OPEN
    assert (hazard.finding.inspection, hazard.finding.checklist_item, hazard.criterion) == (
        visit,
        item(visit, "3"),
        item(visit, "3").clause,
    )
    assert hazard.source == HazardSource.GOVERNMENT_INSPECTION and hazard.evidence.count() == 1
    assert visit.results.get(item=item(visit, "3")).answer == ItemAnswer.FAIL


def test_a_finding_for_a_passed_item_is_refused(visit, cast):
    item_answer(
        actor=cast.heping_inspector, inspection_id=visit.pk, item_id=item(visit, "1").pk, answer="pass"
    )
    with pytest.raises(RuleViolation, match="did not fail"):
        find(cast.heping_inspector, visit, "1")
    assert not Hazard.objects.exists()


def test_the_same_finding_sent_twice_makes_one_hazard(visit, cast):
    key = uuid.uuid4()
    first, created = find(cast.heping_inspector, visit, "2", key=key)
    again, created_again = find(cast.heping_inspector, visit, "2", key=key)
    assert (created, created_again) == (True, False)
    assert again == first and Hazard.objects.count() == 1


def test_a_key_used_by_another_inspection_is_refused_not_answered_with_its_hazard(visit, cast, liaoning):
    key = uuid.uuid4()
    first, _created = find(cast.heping_inspector, visit, "2", key=key)
    other_visit = inspection_start(
        actor=cast.heping_inspector,
        enterprise_id=liaoning.enterprises["heping"].pk,
        kind=InspectionKind.ROUTINE,
    )
    with pytest.raises(RuleViolation, match="used for another finding") as refused:
        find(cast.heping_inspector, other_visit, key=key)
    assert refused.value.field == "idempotency_key"
    assert list(Hazard.objects.filter(finding__idempotency_key=key)) == [first]


def test_a_key_of_a_hazard_outside_the_scope_is_refused_without_a_crash(visit, cast, liaoning):
    key = uuid.uuid4()
    find(cast.heping_inspector, visit, "2", key=key)
    far_visit = inspection_start(
        actor=cast.dalian_inspector,
        enterprise_id=liaoning.enterprises["zhongshan"].pk,
        kind=InspectionKind.ROUTINE,
    )
    with pytest.raises(RuleViolation, match="used for another finding"):
        find(cast.dalian_inspector, far_visit, key=key)
    assert Hazard.objects.filter(finding__idempotency_key=key).count() == 1


def test_the_same_finding_sent_twice_at_once_makes_one_hazard(reference_data, liaoning, cast):
    heping = liaoning.enterprises["heping"]
    template = ChecklistTemplate.objects.create(sector=heping.sector, name="并发检查表")
    version = ChecklistVersion.objects.create(template=template, number=1)
    ChecklistItem.objects.create(version=version, number="1", text="报警器有效")
    user = cast.heping_inspector
    visit = inspection_start(actor=user, enterprise_id=heping.pk, kind=InspectionKind.ROUTINE)
    key, barrier, outcomes = uuid.uuid4(), threading.Barrier(2), []

    def send():
        try:
            barrier.wait(timeout=10)
            outcomes.append(find(user, visit, key=key)[1])
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [False, True]
    assert Hazard.objects.filter(finding__idempotency_key=key).count() == 1


def test_a_finding_repeats_a_hazard_closed_for_the_same_item_within_a_year(visit, cast, liaoning, checklist):
    # The item of an older version of the checklist, with the same key.
    older = ChecklistVersion.objects.create(template=checklist.template, number=0)
    old_item = ChecklistItem.objects.create(
        version=older, number="2", text="报警器有效", key=item(visit, "2").key
    )
    closed = HazardFactory(
        enterprise=liaoning.enterprises["heping"],
        found_by=cast.heping_inspector,
        closed=True,
        closed_at=timezone.now() - datetime.timedelta(days=200),
    )
    found_in_inspection(closed, old_item)
    older_one = HazardFactory(
        enterprise=liaoning.enterprises["heping"],
        found_by=cast.heping_inspector,
        closed=True,
        closed_at=timezone.now() - datetime.timedelta(days=400),
    )
    found_in_inspection(older_one, old_item)
    hazard, _ = find(cast.heping_inspector, visit, "2")
    assert hazard.repeat_of == closed and hazard.is_repeat


def test_no_repeat_after_a_year_or_at_another_enterprise(visit, cast, liaoning):
    long_ago = HazardFactory(
        enterprise=liaoning.enterprises["heping"],
        found_by=cast.heping_inspector,
        closed=True,
        closed_at=timezone.now() - datetime.timedelta(days=366),
    )
    found_in_inspection(long_ago, item(visit, "2"))
    elsewhere = HazardFactory(
        enterprise=liaoning.enterprises["shenhe"],
        found_by=cast.heping_inspector,
        closed=True,
    )
    found_in_inspection(elsewhere, item(visit, "2"))
    hazard, _ = find(cast.heping_inspector, visit, "2")
    assert hazard.repeat_of is None


def test_a_criterion_of_another_sector_or_an_expired_standard_is_refused(visit, cast):
    coal = Clause.objects.in_force().filter(standard__sectors__code="coal-mine").first()
    with pytest.raises(RuleViolation) as caught:
        find(cast.heping_inspector, visit, "3", level=HazardLevel.MAJOR, criterion_id=coal.pk)
    assert caught.value.field == "criterion"
    clause = item(visit, "3").clause
    Standard.objects.filter(pk=clause.standard_id).update(
        effective_to=timezone.localdate() - datetime.timedelta(1)
    )
    with pytest.raises(RuleViolation) as caught:
        find(cast.heping_inspector, visit, "3", level=HazardLevel.MAJOR, criterion_id=clause.pk)
    assert caught.value.field == "criterion"
    assert not Hazard.objects.exists() and not visit.results.exists()


# --- Completing ------------------------------------------------------------------------------------------


def answer_all(visit, cast, **answers):
    for entry in visit.checklist.items.all():
        if not visit.results.filter(item=entry).exists():
            answer = answers.get(entry.number, "pass")
            item_answer(actor=cast.heping_inspector, inspection_id=visit.pk, item_id=entry.pk, answer=answer)


def test_completing_issues_one_numbered_order_of_the_open_hazards(visit, cast, evidence_root):
    open_one, _ = find(cast.heping_inspector, visit, "2")
    fixed, _ = find(cast.heping_inspector, visit, fixed_on_spot=True, after_photos=[photo_upload()])
    answer_all(visit, cast)
    inspection_complete(actor=cast.heping_inspector, inspection_id=visit.pk)
    visit.refresh_from_db()
    order = RectificationOrder.objects.get()
    assert visit.status == InspectionStatus.COMPLETED and visit.order == order
    assert order.number == f"ZG-210102-{timezone.localdate().year}-0001"
    assert list(order.hazards.all()) == [open_one]
    assert open_one.events.filter(kind=EventKind.ORDER_ISSUED, data__order_number=order.number).exists()
    assert not fixed.events.filter(kind=EventKind.ORDER_ISSUED).exists()
    with pytest.raises(InvalidTransition):
        inspection_complete(actor=cast.heping_inspector, inspection_id=visit.pk)
    assert RectificationOrder.objects.count() == 1


def test_an_inspection_with_a_failed_item_without_hazard_or_unanswered_items_cannot_complete(visit, cast):
    with pytest.raises(RuleViolation, match="unanswered"):
        inspection_complete(actor=cast.heping_inspector, inspection_id=visit.pk)
    answer_all(visit, cast, **{"1": "fail"})
    with pytest.raises(RuleViolation, match="1"):
        inspection_complete(actor=cast.heping_inspector, inspection_id=visit.pk)
    visit.refresh_from_db()
    assert visit.status == InspectionStatus.IN_PROGRESS and not RectificationOrder.objects.exists()


def test_a_self_inspection_logs_self_found_hazards_and_issues_no_order(liaoning, cast, checklist):
    own = inspection_start(
        actor=cast.heping_staff,
        enterprise_id=liaoning.enterprises["heping"].pk,
        kind=InspectionKind.SELF_INSPECTION,
        checklist_id=checklist.template_id,
    )
    hazard, _ = find(cast.heping_staff, own, "1")
    assert hazard.source == HazardSource.SELF_INSPECTION and hazard.found_by == cast.heping_staff
    for entry in own.checklist.items.exclude(number="1"):
        item_answer(actor=cast.heping_staff, inspection_id=own.pk, item_id=entry.pk, answer="pass")
    inspection_complete(actor=cast.heping_staff, inspection_id=own.pk)
    assert not RectificationOrder.objects.exists()


def test_a_new_checklist_version_keeps_the_items_and_their_keys_and_leaves_the_old_one(visit, checklist):
    from inspections.services.checklists import checklist_new_version

    assert checklist.is_frozen  # the visit uses it
    copy = checklist_new_version(version=checklist)
    assert copy.number == 2 and not copy.is_frozen
    assert list(copy.items.values_list("number", "key", "clause")) == list(
        checklist.items.values_list("number", "key", "clause")
    )
    copy.items.filter(number="1").update(text="调压设施完好且有检修记录")
    assert item(visit, "1").text == "调压设施完好"
