"""Cancelling an inspection started by mistake: with a reason, kept (not deleted), issuing nothing numbered,
and then closed to answers and completion, on the page and through the API; only its inspectors cancel it."""

import pytest
from django.urls import reverse

from hazards.lib.errors import ActionNotPermitted, InvalidTransition, RuleViolation
from inspections.models import Inspection, InspectionStatus, ItemAnswer, RectificationOrder
from inspections.services.inspections import inspection_cancel, inspection_complete, item_answer
from tests.inspections.conftest import items_of, log_finding
from tests.inspections.helpers import answer_url

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def api_url(name: str, inspection: Inspection) -> str:
    return reverse(f"api:inspection-{name}", args=[inspection.pk])


def test_a_cancelled_inspection_is_kept_with_its_reason_and_can_no_longer_be_worked_on(start, cast):
    inspection = start()
    first = items_of(inspection)[0]
    item_answer(actor=cast.heping_inspector, inspection_id=inspection.pk, item_id=first.pk, answer="pass")
    inspection_cancel(
        actor=cast.heping_inspector, inspection_id=inspection.pk, reason=" 企业选错了 Wrong one "
    )
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CANCELLED and inspection.cancelled_at is not None
    assert inspection.cancel_reason == "企业选错了 Wrong one"
    assert inspection.events.get().comment == "企业选错了 Wrong one"
    assert inspection.results.count() == 1
    with pytest.raises(InvalidTransition, match="cancelled"):
        item_answer(actor=cast.heping_inspector, inspection_id=inspection.pk, item_id=first.pk, answer="fail")
    with pytest.raises(InvalidTransition, match="cancelled"):
        inspection_complete(actor=cast.heping_inspector, inspection_id=inspection.pk)
    with pytest.raises(InvalidTransition):
        inspection_cancel(actor=cast.heping_inspector, inspection_id=inspection.pk, reason="again")
    assert not RectificationOrder.objects.exists()
    assert inspection.results.get().answer == ItemAnswer.PASS


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_needs_a_reason(start, cast, reason):
    inspection = start()
    with pytest.raises(RuleViolation, match="reason"):
        inspection_cancel(actor=cast.heping_inspector, inspection_id=inspection.pk, reason=reason)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS and not inspection.events.exists()


def test_an_inspection_that_logged_a_hazard_is_not_cancelled(start, cast):
    inspection = start()
    log_finding(inspection, cast.heping_inspector, items_of(inspection)[1])
    with pytest.raises(RuleViolation, match="complete it"):
        inspection_cancel(actor=cast.heping_inspector, inspection_id=inspection.pk, reason="mistake")
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS


def test_a_completed_inspection_is_not_cancelled(ordered_inspection, cast):
    with pytest.raises(InvalidTransition, match="completed"):
        inspection_cancel(actor=cast.heping_inspector, inspection_id=ordered_inspection.pk, reason="x")


def test_only_its_inspectors_cancel_it_and_outsiders_do_not_find_it(start, cast):
    inspection = start()
    with pytest.raises(ActionNotPermitted):
        inspection_cancel(actor=cast.co_inspector, inspection_id=inspection.pk, reason="x")
    with pytest.raises(Inspection.DoesNotExist):
        inspection_cancel(actor=cast.dalian_supervisor, inspection_id=inspection.pk, reason="x")
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS


def test_the_page_cancels_with_a_reason_and_then_shows_it_cancelled(client, start, cast):
    inspection = start()
    client.force_login(cast.heping_inspector)
    cancel = reverse("inspection_cancel", args=[inspection.pk])
    refused = client.post(cancel, {"reason": "  "}, **EN)
    assert refused.status_code == 400 and 'data-testid="cancel-error"' in refused.content.decode()
    assert client.post(cancel, {"reason": "选错企业"}).status_code == 302
    page = client.get(reverse("inspection_detail", args=[inspection.pk]), **EN).content.decode()
    assert 'data-testid="cancellation"' in page and "选错企业" in page
    assert 'data-testid="answer-form"' not in page and 'data-testid="complete"' not in page
    first = items_of(inspection)[0]
    assert client.post(answer_url(inspection, first), {"answer": "pass"}).status_code == 409
    assert client.post(reverse("inspection_complete", args=[inspection.pk])).status_code == 409
    assert not inspection.results.exists()


def test_outsiders_cannot_cancel_on_the_page(client, start, cast):
    inspection = start()
    client.force_login(cast.shenhe_staff)
    assert client.post(reverse("inspection_cancel", args=[inspection.pk]), {"reason": "x"}).status_code == 404
    client.force_login(cast.co_inspector)
    assert client.post(reverse("inspection_cancel", args=[inspection.pk]), {"reason": "x"}).status_code == 403
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS


def test_the_api_cancels_with_a_reason(api, start, cast):
    inspection = start()
    client = api(cast.heping_inspector)
    missing = client.post(api_url("cancel", inspection), {}, format="json")
    assert missing.status_code == 400 and "reason" in str(missing.json())
    blank = client.post(api_url("cancel", inspection), {"reason": " "}, format="json")
    assert blank.status_code == 400 and "reason" in str(blank.json())
    done = client.post(api_url("cancel", inspection), {"reason": "选错企业"}, format="json")
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "cancelled" and body["cancel_reason"] == "选错企业" and not body["can_work"]
    assert [event["kind"] for event in body["events"]] == ["cancelled"]
    first = items_of(inspection)[0]
    answer = client.post(api_url("answers", inspection), {"item": first.pk, "answer": "pass"}, format="json")
    assert answer.status_code == 409
    assert client.post(api_url("complete", inspection)).status_code == 409
    assert client.post(api_url("cancel", inspection), {"reason": "x"}, format="json").status_code == 409
    assert api(cast.shenhe_staff).post(api_url("cancel", inspection), {"reason": "x"}).status_code == 404
