"""The whole workflow driven through the API alone, as a program would: tokens, then every move by the role
that makes it, from an inspection's finding to the hazard's verification."""

import datetime
import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from hazards.models import EventKind, HazardStatus
from tests.factories import PASSWORD, pdf_upload, photo_upload

pytestmark = pytest.mark.django_db


def logged_in(username: str) -> APIClient:
    """A client holding the token it asked for with the user's password."""
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.json()
    return response.json()


def test_a_major_hazard_goes_from_an_inspections_finding_to_its_verification(cast, evidence_root):
    inspector = logged_in(cast.shenyang_inspector.username)
    enterprise = logged_in(cast.heping_staff.username)
    supervisor = logged_in(cast.shenyang_supervisor.username)
    today = timezone.localdate()

    # The inspector finds the enterprise, starts an inspection and works through its checklist.
    me = ok(enterprise.get("/api/v1/me/"))
    company = ok(inspector.get(f"/api/v1/enterprises/{me['enterprise']['id']}/"))
    inspection = ok(
        inspector.post("/api/v1/inspections/", {"enterprise": company["id"], "kind": "routine"}), 201
    )
    items = inspection["items"]
    failed, passed = items[0], items[1:]
    for item in passed:
        ok(
            inspector.post(
                f"/api/v1/inspections/{inspection['id']}/answers/", {"item": item["id"], "answer": "pass"}
            ),
            201,
        )
    criterion = ok(inspector.get(f"/api/v1/criteria/?sector={company['sector']}"))["results"][0]
    finding = {
        "idempotency_key": str(uuid.uuid4()),
        "item": failed["id"],
        "level": "major",
        "criterion": criterion["id"],
        "description": "燃气调压站未设置可燃气体报警装置",
        "location": "调压站",
        "measures": "安装可燃气体报警装置并联动切断",
        "responsible_person": "赵六",
        "photos": [photo_upload()],
    }
    hazard = ok(
        inspector.post(f"/api/v1/inspections/{inspection['id']}/findings/", finding, format="multipart"), 201
    )
    # The phone lost the answer and sends the finding again: the same hazard, not a second one.
    finding["photos"] = [photo_upload()]
    again = ok(
        inspector.post(f"/api/v1/inspections/{inspection['id']}/findings/", finding, format="multipart")
    )
    assert again["id"] == hazard["id"]
    completed = ok(inspector.post(f"/api/v1/inspections/{inspection['id']}/complete/"))
    assert completed["status"] == "completed"
    order = ok(inspector.get(f"/api/v1/inspections/{inspection['id']}/order/"))
    assert [entry["id"] for entry in order["hazards"]] == [hazard["id"]]

    # The enterprise sees it among its hazards, files the plan, asks for more time.
    url = f"/api/v1/hazards/{hazard['id']}/"
    assert hazard["id"] in [
        row["id"] for row in ok(enterprise.get("/api/v1/hazards/?status=open"))["results"]
    ]
    ok(
        enterprise.post(
            f"{url}plan/",
            {
                "responsible_person": "赵六",
                "measures": "采购并安装报警装置",
                "funds_amount": "38000.00",
                "deadline": str(today + datetime.timedelta(days=60)),
                "emergency_plan": "停用调压站，现场值守",
            },
        )
    )
    later = datetime.date.fromisoformat(hazard["deadline"]) + datetime.timedelta(days=30)
    ok(enterprise.post(f"{url}extension/", {"requested_deadline": str(later), "reasons": "报警装置到货需时"}))
    decided = ok(inspector.post(f"{url}extension/decide/", {"decision": "approve", "comment": "同意"}))
    assert decided["deadline"] == str(later) and decided["original_deadline"] == hazard["deadline"]

    # The supervisor lists it for supervision; the enterprise rectifies, with evidence, and submits.
    listed = ok(supervisor.post(f"{url}listing/", {"authority": "沈阳市应急管理局"}))
    assert listed["listed"] is True
    for upload, stage in ((photo_upload(seed=7), "rectified"), (pdf_upload(), "assessment")):
        ok(enterprise.post(f"{url}evidence/", {"file": upload, "stage": stage}, format="multipart"), 201)
    assert ok(enterprise.post(f"{url}submit/", {"comment": "已整改"}))["status"] == HazardStatus.SUBMITTED

    # The inspector sends it back once, then verifies it after the on-site review: closed and delisted.
    assert (
        ok(inspector.post(f"{url}send-back/", {"reasons": "报警未联动切断"}))["status"] == HazardStatus.OPEN
    )
    ok(
        enterprise.post(
            f"{url}evidence/", {"file": photo_upload(seed=8), "stage": "rectified"}, format="multipart"
        ),
        201,
    )
    ok(enterprise.post(f"{url}submit/"))
    closed = ok(inspector.post(f"{url}verify/", {"reviewed_on_site_on": str(today), "comment": "复查合格"}))
    assert closed["status"] == HazardStatus.CLOSED and closed["listed"] is False
    assert closed["actions"] == []

    # Everyone of the scope reads the same timeline; the supervisor's ledger has it closed.
    timeline = [event["kind"] for event in ok(supervisor.get(url))["timeline"]]
    assert timeline == [
        EventKind.LOGGED,  # with its photo as found
        EventKind.ORDER_ISSUED,
        EventKind.PLAN_FILED,
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_APPROVED,
        EventKind.LISTED,
        EventKind.EVIDENCE_ADDED,
        EventKind.EVIDENCE_ADDED,
        EventKind.SUBMITTED,
        EventKind.SENT_BACK,
        EventKind.EVIDENCE_ADDED,
        EventKind.SUBMITTED,
        EventKind.VERIFIED,
        EventKind.DELISTED,
    ]
    ledger = ok(supervisor.get("/api/v1/hazards/?status=closed&listed=false"))
    assert [row["id"] for row in ledger["results"]] == [hazard["id"]]
    # A closed hazard takes no more evidence: the status refuses it.
    refused = enterprise.post(
        f"{url}evidence/", {"file": photo_upload(seed=9), "stage": "rectified"}, format="multipart"
    )
    assert refused.status_code == 409
