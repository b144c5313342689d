"""The inspections API: starting one, answering its checklist, logging findings (once per key), completing it
and its order; the scope (404), who may work on it (403) and when (409); bad input (400 naming the field);
and the reference data (checklists, criteria).
"""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hazards.models import Clause, EvidenceStage, Hazard, HazardLevel, HazardSource, Standard, User
from inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Inspection,
    InspectionKind,
    InspectionStatus,
    ItemAnswer,
    ItemResult,
    RectificationOrder,
)
from inspections.services.findings import finding_log
from inspections.services.inspections import inspection_complete, inspection_start, item_answer
from tests.api.helpers import by_role, error
from tests.factories import photo_upload, sector

pytestmark = pytest.mark.django_db

FINDING = {
    "level": "general",
    "description": "燃气报警器失效 Gas alarm out of order",
    "location": "锅炉房 Boiler room",
    "measures": "更换报警器 Replace the alarm",
    "responsible_person": "赵六",
}


def url(name: str, inspection: Inspection | None = None) -> str:
    return reverse(f"api:inspection-{name}", args=[inspection.pk] if inspection else [])


@pytest.fixture
def gas_standard(db) -> Standard:
    """A urban gas determination standard of the tests' own, in force."""
    standard = Standard.objects.create(
        number="TEST-GAS-1", title="Urban gas test standard", scope="national", effective_from="2020-01-01"
    )
    standard.sectors.set([sector("urban-gas")])
    return standard


@pytest.fixture
def clause(gas_standard) -> Clause:
    return Clause.objects.create(
        standard=gas_standard, number="1", text="无燃气经营许可证", summary_en="No licence"
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


@pytest.fixture
def co_worker(cast) -> User:
    """A second inspector of 沈阳市, in the scope of every inspection there, but on none of them."""
    return cast.another("shenyang_inspector", first_name="孙同事")


@pytest.fixture
def start(cast, liaoning, checklist):
    """An inspection at 和平区燃气有限公司 (inside the scope of the API's roles) or at `enterprise=`."""

    def make(actor: User | None = None, enterprise=None, kind: str = InspectionKind.ROUTINE) -> Inspection:
        return inspection_start(
            actor=actor or cast.shenyang_inspector,
            enterprise_id=(enterprise or liaoning.enterprises["heping"]).pk,
            kind=kind,
            checklist_id=checklist.pk,
        )

    return make


def items_of(inspection: Inspection) -> list[ChecklistItem]:
    return list(inspection.checklist.items.order_by("position"))


def log_finding(inspection: Inspection, actor: User, item: ChecklistItem | None = None) -> Hazard:
    hazard, _created = finding_log(
        actor=actor,
        inspection_id=inspection.pk,
        idempotency_key=uuid.uuid4(),
        item_id=item.pk if item else None,
        **FINDING,
    )
    return hazard


@pytest.fixture
def completed(start, cast) -> Inspection:
    """A completed inspection of 和平区燃气有限公司: item 2 failed with its hazard, which its order lists."""
    inspection = start()
    first, second, third = items_of(inspection)
    item_answer(
        actor=cast.shenyang_inspector, inspection_id=inspection.pk, item_id=first.pk, answer=ItemAnswer.PASS
    )
    log_finding(inspection, cast.shenyang_inspector, second)
    item_answer(
        actor=cast.shenyang_inspector,
        inspection_id=inspection.pk,
        item_id=third.pk,
        answer=ItemAnswer.NOT_APPLICABLE,
    )
    return inspection_complete(actor=cast.shenyang_inspector, inspection_id=inspection.pk)


def snapshot(inspection: Inspection) -> tuple:
    """What a refused request must leave as it was: status, answers and hazards of the inspection."""
    inspection.refresh_from_db()
    answers = sorted(ItemResult.objects.filter(inspection=inspection).values_list("item_id", "answer"))
    return inspection.status, answers, Hazard.objects.filter(finding__inspection=inspection).count()


# --- An inspector's inspection, from start to order ------------------------------------------------------


def test_an_inspector_starts_an_inspection_of_an_enterprise_of_the_region(
    api, cast, liaoning, checklist, co_worker
):
    enterprise = liaoning.enterprises["heping"]
    response = api(cast.shenyang_inspector).post(
        url("list"),
        {
            "enterprise": enterprise.pk,
            "kind": "unannounced",
            "checklist": checklist.pk,
            "co_inspectors": [co_worker.pk],
            "notes": "夜查 Night visit",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    inspection = Inspection.objects.get(pk=body["id"])
    assert (inspection.enterprise, inspection.kind, inspection.started_by) == (
        enterprise,
        InspectionKind.UNANNOUNCED,
        cast.shenyang_inspector,
    )
    assert set(inspection.inspectors.all()) == {cast.shenyang_inspector, co_worker}
    assert body["status"] == "in_progress"
    assert body["can_work"] is True
    assert body["date"] == timezone.localdate().isoformat()
    assert body["checklist"] == {"id": checklist.pk, "name": checklist.name, "version": 1}
    assert [(item["number"], item["answer"]) for item in body["items"]] == [
        ("1", None),
        ("2", None),
        ("3", None),
    ]
    assert body["items"][0]["criterion"]["id"] == checklist.versions.get().items.get(number="1").clause_id
    assert {user["id"] for user in body["inspectors"]} == {cast.shenyang_inspector.pk, co_worker.pk}


def test_an_inspection_started_without_a_checklist_runs_the_one_of_the_enterprises_sector(
    api, cast, liaoning, checklist
):
    response = api(cast.shenyang_inspector).post(
        url("list"), {"enterprise": liaoning.enterprises["heping"].pk, "kind": "routine"}
    )
    assert response.status_code == 201, response.json()
    expected = ChecklistTemplate.objects.filter(sector=sector("urban-gas")).order_by("id").first()
    assert response.json()["checklist"]["id"] == expected.pk


def test_an_inspector_answers_items_and_the_detail_shows_the_answers(api, cast, start):
    inspection = start()
    first, second, _third = items_of(inspection)
    client = api(cast.shenyang_inspector)
    response = client.post(
        url("answers", inspection), {"item": first.pk, "answer": "pass", "note": "证照齐全"}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["answer"] == "pass"
    response = client.post(url("answers", inspection), {"item": second.pk, "answer": "not_applicable"})
    assert response.status_code == 201, response.json()
    assert sorted(inspection.results.values_list("item__number", "answer", "answered_by")) == [
        ("1", "pass", cast.shenyang_inspector.pk),
        ("2", "not_applicable", cast.shenyang_inspector.pk),
    ]
    detail = client.get(url("detail", inspection)).json()
    assert [(item["answer"], item["note"]) for item in detail["items"]] == [
        ("pass", "证照齐全"),
        ("not_applicable", ""),
        (None, ""),
    ]
    assert detail["answered_count"] == 2


def test_a_second_answer_changes_the_first_on_the_record(api, cast, start):
    inspection = start()
    first = items_of(inspection)[0]
    client = api(cast.shenyang_inspector)
    assert client.post(url("answers", inspection), {"item": first.pk, "answer": "pass"}).status_code == 201
    response = client.post(url("answers", inspection), {"item": first.pk, "answer": "fail"})
    assert response.status_code == 201 and response.json()["answer"] == "fail"
    assert inspection.results.get().answer == ItemAnswer.FAIL
    events = client.get(url("detail", inspection)).json()["events"]
    assert [(e["kind"], e["data"]["from"], e["data"]["to"]) for e in events] == [
        ("answer_changed", "pass", "fail")
    ]


def test_a_major_finding_with_a_photo_is_logged_for_its_item(api, cast, start, evidence_root):
    inspection = start()
    licence = items_of(inspection)[0]
    key = uuid.uuid4()
    response = api(cast.shenyang_inspector).post(
        url("findings", inspection),
        {
            **FINDING,
            "level": "major",
            "criterion": licence.clause_id,
            "item": licence.pk,
            "idempotency_key": str(key),
            "photos": [photo_upload()],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    hazard = Hazard.objects.get(pk=body["id"])
    finding = hazard.finding
    assert (finding.inspection, finding.checklist_item, finding.idempotency_key) == (inspection, licence, key)
    assert (hazard.level, hazard.criterion_id, hazard.source) == (
        HazardLevel.MAJOR,
        licence.clause_id,
        HazardSource.GOVERNMENT_INSPECTION,
    )
    assert list(hazard.evidence.values_list("stage", flat=True)) == [EvidenceStage.FOUND]
    assert body["level"] == "major" and body["criterion"]["id"] == licence.clause_id
    assert [item["kind"] for item in body["evidence"]] == ["photo"]
    # The item without an answer is recorded as failed, and the checklist shows the hazard at it.
    assert inspection.results.get(item=licence).answer == ItemAnswer.FAIL
    detail = api(cast.shenyang_inspector).get(url("detail", inspection)).json()
    assert [hazard["id"] for hazard in detail["items"][0]["hazards"]] == [hazard.pk]
    assert [finding["id"] for finding in detail["findings"]] == [hazard.pk]


def test_the_same_idempotency_key_again_returns_the_same_hazard(api, cast, start):
    inspection = start()
    client = api(cast.shenyang_inspector)
    body = {**FINDING, "idempotency_key": str(uuid.uuid4())}
    first = client.post(url("findings", inspection), body)
    assert first.status_code == 201, first.json()
    again = client.post(url("findings", inspection), body)
    assert again.status_code == 200, again.json()
    assert again.json()["id"] == first.json()["id"]
    assert Hazard.objects.filter(finding__inspection=inspection).count() == 1


def test_a_finding_resent_after_the_inspection_was_completed_returns_the_hazard_it_made(api, cast, start):
    inspection = start()
    first, second, third = items_of(inspection)
    client = api(cast.shenyang_inspector)
    body = {**FINDING, "item": second.pk, "idempotency_key": str(uuid.uuid4())}
    made = client.post(url("findings", inspection), body)
    assert made.status_code == 201, made.json()
    for item in (first, third):
        client.post(url("answers", inspection), {"item": item.pk, "answer": "pass"})
    assert client.post(url("complete", inspection)).status_code == 200
    again = client.post(url("findings", inspection), body)
    assert again.status_code == 200, again.json()
    assert again.json()["id"] == made.json()["id"]
    assert Hazard.objects.filter(finding__inspection=inspection).count() == 1


def test_completing_the_inspection_issues_an_order_that_lists_its_open_hazards(api, cast, start):
    inspection = start()
    first, second, third = items_of(inspection)
    client = api(cast.shenyang_inspector)
    assert client.post(url("answers", inspection), {"item": first.pk, "answer": "pass"}).status_code == 201
    found = client.post(
        url("findings", inspection), {**FINDING, "item": second.pk, "idempotency_key": str(uuid.uuid4())}
    )
    fixed = client.post(
        url("findings", inspection),
        {
            **FINDING,
            "item": third.pk,
            "idempotency_key": str(uuid.uuid4()),
            "fixed_on_spot": "true",
            "after_photos": [photo_upload(seed=3)],
        },
        format="multipart",
    )
    assert (found.status_code, fixed.status_code) == (201, 201), (found.json(), fixed.json())
    assert fixed.json()["status"] == "closed"

    response = client.post(url("complete", inspection))
    assert response.status_code == 200, response.json()
    body = response.json()
    order = RectificationOrder.objects.get(inspection=inspection)
    assert body["status"] == "completed" and body["can_work"] is False
    assert body["order"]["number"] == order.number
    response = client.get(url("order", inspection))
    assert response.status_code == 200, response.json()
    order_body = response.json()
    assert order_body["number"] == order.number
    assert order_body["issued_by"]["id"] == cast.shenyang_inspector.pk
    assert [hazard["id"] for hazard in order_body["hazards"]] == [found.json()["id"]]  # not the closed one


def test_an_inspection_is_not_completed_while_an_item_is_unanswered(api, cast, start):
    inspection = start()
    response = api(cast.shenyang_inspector).post(url("complete", inspection))
    assert response.status_code == 400
    assert error(response)["code"] == "rule_violation"
    assert snapshot(inspection)[0] == InspectionStatus.IN_PROGRESS


def test_an_inspection_that_issued_no_order_answers_404_for_its_order(api, cast, start):
    response = api(cast.shenyang_inspector).get(url("order", start()))
    assert response.status_code == 404
    assert error(response)["code"] == "not_found"


# --- An enterprise's self-inspection --------------------------------------------------------------------


def test_an_enterprise_self_inspects_its_own_enterprise_whatever_it_sends(api, cast, liaoning, checklist):
    client = api(cast.heping_staff)
    response = client.post(
        url("list"),
        {"enterprise": liaoning.enterprises["zhongshan"].pk, "kind": "routine", "checklist": checklist.pk},
    )
    assert response.status_code == 201, response.json()
    inspection = Inspection.objects.get(pk=response.json()["id"])
    assert (inspection.enterprise, inspection.kind) == (
        liaoning.enterprises["heping"],
        InspectionKind.SELF_INSPECTION,
    )
    assert list(inspection.inspectors.all()) == [cast.heping_staff]

    first, second, third = items_of(inspection)
    for item, answer in ((first, "pass"), (third, "not_applicable")):
        assert client.post(url("answers", inspection), {"item": item.pk, "answer": answer}).status_code == 201
    found = client.post(
        url("findings", inspection), {**FINDING, "item": second.pk, "idempotency_key": str(uuid.uuid4())}
    )
    assert found.status_code == 201, found.json()
    assert Hazard.objects.get(pk=found.json()["id"]).source == HazardSource.SELF_INSPECTION

    completed = client.post(url("complete", inspection))
    assert completed.status_code == 200, completed.json()
    assert completed.json()["order"] is None  # the enterprise does not order itself
    assert client.get(url("order", inspection)).status_code == 404


# --- Scope, roles and status ----------------------------------------------------------------------------


def test_the_list_holds_an_inspectors_own_inspections_or_all_of_the_region(api, cast, start, co_worker):
    mine = start()
    theirs = start(actor=co_worker)
    client = api(cast.shenyang_inspector)
    assert [row["id"] for row in client.get(url("list")).json()["results"]] == [mine.pk]
    assert [row["id"] for row in client.get(url("list") + "?scope=mine").json()["results"]] == [mine.pk]
    rows = client.get(url("list") + "?scope=all").json()["results"]
    assert {row["id"] for row in rows} == {mine.pk, theirs.pk}
    row = next(row for row in rows if row["id"] == mine.pk)
    assert (row["item_count"], row["answered_count"], row["finding_count"], row["order"]) == (3, 0, 0, None)


def test_an_inspector_of_dalian_gets_404_on_a_shenyang_inspection(api, cast, start):
    inspection = start()
    item = items_of(inspection)[0]
    before = snapshot(inspection)
    client = api(cast.dalian_inspector)
    assert client.get(url("list") + "?scope=all").json()["results"] == []
    requests = [
        client.get(url("detail", inspection)),
        client.get(url("order", inspection)),
        client.post(url("answers", inspection), {"item": item.pk, "answer": "pass"}),
        client.post(url("findings", inspection), {**FINDING, "idempotency_key": str(uuid.uuid4())}),
        client.post(url("complete", inspection)),
    ]
    assert [response.status_code for response in requests] == [404] * 5
    assert all(error(response)["code"] == "not_found" for response in requests)
    assert snapshot(inspection) == before


def test_a_co_worker_who_is_not_on_the_inspection_gets_403(api, cast, start, co_worker):
    inspection = start()
    item = items_of(inspection)[0]
    before = snapshot(inspection)
    client = api(co_worker)
    assert client.get(url("detail", inspection)).json()["can_work"] is False
    requests = [
        client.post(url("answers", inspection), {"item": item.pk, "answer": "pass"}),
        client.post(url("findings", inspection), {**FINDING, "idempotency_key": str(uuid.uuid4())}),
        client.post(url("complete", inspection)),
        client.post(url("answers", inspection), {}),  # refused before the body is read
    ]
    assert [response.status_code for response in requests] == [403] * 4
    assert all(error(response)["code"] == "not_permitted" for response in requests)
    assert snapshot(inspection) == before


def test_a_completed_inspection_answers_409(api, cast, completed):
    first = items_of(completed)[0]
    before = snapshot(completed)
    client = api(cast.shenyang_inspector)
    requests = [
        client.post(url("answers", completed), {"item": first.pk, "answer": "fail"}),
        client.post(url("findings", completed), {**FINDING, "idempotency_key": str(uuid.uuid4())}),
        client.post(url("complete", completed)),
        client.post(url("findings", completed), {}),  # refused before the body is read
    ]
    assert [response.status_code for response in requests] == [409] * 4
    assert all(error(response)["code"] == "invalid_transition" for response in requests)
    assert snapshot(completed) == before


@pytest.mark.parametrize("role", ["supervisor", "administrator"])
def test_a_supervisor_or_administrator_cannot_start_an_inspection(api, cast, liaoning, checklist, role):
    client = api(by_role(cast, role))
    valid = {"enterprise": liaoning.enterprises["heping"].pk, "kind": "routine", "checklist": checklist.pk}
    for body in (valid, {}):  # the role is refused before the body is read
        response = client.post(url("list"), body)
        assert response.status_code == 403
        assert error(response)["code"] == "not_permitted"
    assert not Inspection.objects.exists()


def test_an_anonymous_client_is_asked_to_authenticate(api, start):
    inspection = start()
    for response in (api(None).get(url("list")), api(None).post(url("complete", inspection))):
        assert response.status_code == 401
    assert snapshot(inspection)[0] == InspectionStatus.IN_PROGRESS


# --- Bad input ------------------------------------------------------------------------------------------


@pytest.fixture
def other_item(db) -> ChecklistItem:
    """An item of another checklist: no inspection of the tests' checklist may answer it."""
    template = ChecklistTemplate.objects.create(sector=sector("coal-mine"), name="Other test checklist")
    version = ChecklistVersion.objects.create(template=template, number=1)
    return ChecklistItem.objects.create(version=version, number="1", text="Other item")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"item": "OTHER", "answer": "pass"}, "item"),  # not on the checklist
        ({"item": 2**63, "answer": "pass"}, "item"),
        ({"item": 0, "answer": "pass"}, "item"),
        ({"item": "one", "answer": "pass"}, "item"),
        ({"answer": "pass"}, "item"),
        ({"item": "FIRST", "answer": "maybe"}, "answer"),
        ({"item": "FIRST"}, "answer"),
        ({"item": "FIRST", "answer": ["pass"]}, "answer"),
        ({"item": "FIRST", "answer": "pass", "note": None}, "note"),
    ],
)
def test_a_bad_answer_is_a_400_naming_the_field(api, cast, start, other_item, body, field):
    inspection = start()
    placeholders = {"OTHER": other_item.pk, "FIRST": items_of(inspection)[0].pk}
    if body.get("item") in placeholders:
        body = {**body, "item": placeholders[body["item"]]}
    response = api(cast.shenyang_inspector).post(url("answers", inspection), body, format="json")
    assert response.status_code == 400, response.json()
    assert list(error(response)["fields"]) == [field]
    assert not inspection.results.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"idempotency_key": None}, "idempotency_key"),
        ({"idempotency_key": "not-a-uuid"}, "idempotency_key"),
        ({"idempotency_key": 12}, "idempotency_key"),
        ({"item": 2**62}, "item"),  # not on the checklist
        ({"item": -1}, "item"),
        ({"level": "grave"}, "level"),
        ({"level": "major"}, "criterion"),  # a major hazard needs its criterion
        ({"criterion": 2**63}, "criterion"),
        ({"description": ""}, "description"),
        ({"location": "x" * 201}, "location"),
        ({"responsible_person": "x" * 65}, "responsible_person"),
        ({"deadline": "2020-01-01"}, "deadline"),
        ({"deadline": "tomorrow"}, "deadline"),
        ({"photos": ["not a file"]}, "photos.0"),
    ],
)
def test_a_bad_finding_is_a_400_naming_the_field(api, cast, start, changes, field):
    inspection = start()
    body = {**FINDING, "idempotency_key": str(uuid.uuid4()), **changes}
    body = {name: value for name, value in body.items() if value is not None}
    response = api(cast.shenyang_inspector).post(url("findings", inspection), body, format="json")
    assert response.status_code == 400, response.json()
    assert list(error(response)["fields"]) == [field]
    assert not Hazard.objects.exists()


def test_a_photo_that_is_not_an_image_is_a_400_on_photos(api, cast, start, evidence_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    inspection = start()
    fake = SimpleUploadedFile("photo.jpg", b"#!/bin/sh\necho hello\n", content_type="image/jpeg")
    response = api(cast.shenyang_inspector).post(
        url("findings", inspection),
        {**FINDING, "idempotency_key": str(uuid.uuid4()), "photos": [fake]},
        format="multipart",
    )
    assert response.status_code == 400, response.json()
    assert list(error(response)["fields"]) == ["photos"]
    assert not Hazard.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"enterprise": "DALIAN"}, "enterprise"),  # outside the inspector's scope
        ({"enterprise": None}, "enterprise"),
        ({"enterprise": 2**63}, "enterprise"),
        ({"enterprise": 1.5}, "enterprise"),
        ({"enterprise": True}, "enterprise"),
        ({"kind": None}, "kind"),
        ({"kind": "self_inspection"}, "kind"),  # the enterprise's own
        ({"kind": "raid"}, "kind"),
        ({"checklist": 2**62}, "checklist"),
        ({"checklist": "gas"}, "checklist"),
        ({"date": "2026-02-30"}, "date"),
        ({"date": "FUTURE"}, "date"),
        ({"co_inspectors": ["DALIAN_INSPECTOR"]}, "co_inspectors"),  # outside the scope
        ({"co_inspectors": [0]}, "co_inspectors.0"),
        ({"co_inspectors": 7}, "co_inspectors"),
        ({"co_inspectors": list(range(1, 30))}, "co_inspectors"),
        ({"notes": ["a"]}, "notes"),
    ],
)
def test_a_bad_start_is_a_400_naming_the_field(api, cast, liaoning, checklist, changes, field):
    placeholders = {
        "DALIAN": liaoning.enterprises["zhongshan"].pk,
        "DALIAN_INSPECTOR": cast.dalian_inspector.pk,
        "FUTURE": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
    }

    def resolve(value):
        if isinstance(value, list):
            return [resolve(item) for item in value]
        return placeholders.get(value, value) if isinstance(value, str) else value

    body = {"enterprise": liaoning.enterprises["heping"].pk, "kind": "routine", "checklist": checklist.pk}
    body.update({name: resolve(value) for name, value in changes.items()})
    body = {name: value for name, value in body.items() if value is not None}
    response = api(cast.shenyang_inspector).post(url("list"), body, format="json")
    assert response.status_code == 400, response.json()
    assert list(error(response)["fields"]) == [field]
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/inspections/", "scope=everything", "scope"),
        ("/api/v1/inspections/", "page_size=0", "page_size"),
        ("/api/v1/criteria/", "sector=no-such-sector", "sector"),
        ("/api/v1/criteria/", "sector=" + "x" * 500, "sector"),
        ("/api/v1/criteria/", "in_force=perhaps", "in_force"),
    ],
)
def test_a_bad_query_parameter_is_a_400_naming_it(api, cast, path, query, field):
    response = api(cast.shenyang_inspector).get(f"{path}?{query}")
    assert response.status_code == 400, response.json()
    assert list(error(response)["fields"]) == [field]


@pytest.mark.parametrize("path", ["inspections", "checklists", "criteria"])
def test_an_id_beyond_the_database_range_is_a_404(api, cast, path):
    response = api(cast.admin).get(f"/api/v1/{path}/{2**70}/")
    assert response.status_code == 404
    assert error(response)["code"] == "not_found"


# --- Query counts ---------------------------------------------------------------------------------------


def test_the_list_is_read_in_the_same_number_of_queries_for_page_size_2_and_20(api, cast, start, completed):
    for _ in range(5):
        inspection = start()
        log_finding(inspection, cast.shenyang_inspector, items_of(inspection)[1])
    client = api(cast.shenyang_inspector)

    def queries(page_size: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{url('list')}?page_size={page_size}")
        assert response.status_code == 200, response.json()
        return len(response.json()["results"]), len(captured)

    (two, small), (all_six, large) = queries(2), queries(20)
    assert (two, all_six) == (2, 6)
    assert small == large


def test_the_detail_is_read_in_the_same_number_of_queries_however_many_findings(api, cast, start):
    inspection = start()
    client = api(cast.shenyang_inspector)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("detail", inspection)).status_code == 200
        return len(captured)

    log_finding(inspection, cast.shenyang_inspector, items_of(inspection)[1])
    one = queries()
    for item in items_of(inspection)[2:]:
        log_finding(inspection, cast.shenyang_inspector, item)
    log_finding(inspection, cast.shenyang_inspector)
    assert queries() == one


# --- Reference data -------------------------------------------------------------------------------------


def test_checklists_show_their_sector_and_current_version_with_its_items(api, cast, checklist):
    ChecklistVersion.objects.create(template=checklist, number=2)
    current = ChecklistVersion.objects.get(template=checklist, number=2)
    ChecklistItem.objects.create(version=current, number="1", text="新版条目 New item", position=0)
    client = api(cast.heping_staff)
    rows = client.get("/api/v1/checklists/?page_size=100").json()["results"]
    assert {"id": checklist.pk, "name": checklist.name, "sector": "urban-gas", "version": 2} in rows
    response = client.get(f"/api/v1/checklists/{checklist.pk}/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["version"] == 2
    assert body["items"] == [
        {"id": current.items.get().pk, "number": "1", "text": "新版条目 New item", "criterion": None}
    ]


@pytest.fixture
def criteria(gas_standard, clause) -> dict[str, Clause]:
    """A urban gas clause in force, one of a urban gas standard no longer in force, and a coal mine clause."""
    expired = Standard.objects.create(
        number="TEST-GAS-OLD",
        title="Withdrawn urban gas test standard",
        scope="national",
        effective_from="2010-01-01",
        effective_to="2019-12-31",
    )
    expired.sectors.set([sector("urban-gas")])
    coal = Standard.objects.create(
        number="TEST-COAL-1", title="Coal test standard", scope="national", effective_from="2020-01-01"
    )
    coal.sectors.set([sector("coal-mine")])
    return {
        "gas": clause,
        "expired": Clause.objects.create(standard=expired, number="9", text="旧条款 Old clause"),
        "coal": Clause.objects.create(standard=coal, number="1", text="超能力生产 Beyond capacity"),
    }


def test_criteria_are_filtered_by_sector_and_in_force(api, cast, criteria):
    client = api(cast.shenyang_supervisor)

    def ids(query: str) -> set[int]:
        """Every id the list gives under the query, page after page."""
        found: set[int] = set()
        next_url = f"/api/v1/criteria/?page_size=100&{query}"
        while next_url:
            response = client.get(next_url)
            assert response.status_code == 200, response.json()
            found |= {row["id"] for row in response.json()["results"]}
            next_url = response.json()["next"]
        return found

    gas, expired, coal = criteria["gas"].pk, criteria["expired"].pk, criteria["coal"].pk
    assert {gas, coal} <= ids("")
    assert expired not in ids("")
    in_force_gas = ids("sector=urban-gas")
    assert gas in in_force_gas and not {coal, expired} & in_force_gas
    assert (
        Clause.objects.filter(pk__in=in_force_gas).exclude(standard__sectors__code="urban-gas").count() == 0
    )
    assert ids("sector=urban-gas&in_force=false") == {expired}
    assert coal in ids("sector=coal-mine") and gas not in ids("sector=coal-mine")


def test_a_criterion_shows_its_standard_and_clause(api, cast, criteria):
    response = api(cast.heping_staff).get(f"/api/v1/criteria/{criteria['gas'].pk}/")
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "id": criteria["gas"].pk,
        "standard": {"number": "TEST-GAS-1", "title": "Urban gas test standard"},
        "number": "1",
        "text": "无燃气经营许可证",
        "summary_en": "No licence",
    }
