"""The checklist page: answering items, the finding form a failure leads to, and completing the inspection."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hazards.models import EventKind, Hazard, HazardEvent, HazardStatus
from inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    InspectionStatus,
    ItemAnswer,
    ItemResult,
    RectificationOrder,
)
from inspections.services.inspections import item_answer
from tests.factories import photo_upload, sector
from tests.inspections.conftest import items_of, log_finding
from tests.inspections.helpers import EN, answer_url, finding_data, finding_url, snapshot


def answer_all(inspection, actor, *answers) -> None:
    for item, answer in zip(items_of(inspection), answers, strict=True):
        item_answer(actor=actor, inspection_id=inspection.pk, item_id=item.pk, answer=answer)


# --- The page ---------------------------------------------------------------------------------------------


def test_the_checklist_shows_the_items_in_order_each_with_three_answer_buttons(client, start, cast):
    inspection = start()
    client.force_login(cast.heping_inspector)
    response = client.get(reverse("inspection_detail", args=[inspection.pk]), **EN)
    assert response.status_code == 200
    text = response.content.decode()
    items = items_of(inspection)
    positions = [text.index(f'id="item-{item.pk}"') for item in items]
    assert positions == sorted(positions)
    for item in items:
        form = text[text.index(f'action="{answer_url(inspection, item)}"') :]
        form = form[: form.index("</form>")]
        for value in ("pass", "fail", "not_applicable"):
            assert f'name="answer" value="{value}"' in form
    assert "Major-hazard criterion" in text[positions[0] : positions[1]]
    assert "0 of 3 items answered" in text
    assert 'id="pending-findings"' in text and "/static/js/offline-findings.js" in text
    assert f'action="{reverse("inspection_complete", args=[inspection.pk])}"' in text
    assert f'href="{finding_url(inspection)}"' in text  # a finding without an item
    assert f'href="{reverse("enterprise_detail", args=[inspection.enterprise_id])}"' in text


def test_answering_pass_goes_back_to_the_checklist_at_the_next_item(client, start, cast):
    inspection = start()
    first, second, third = items_of(inspection)
    client.force_login(cast.heping_inspector)
    response = client.post(answer_url(inspection, first), {"answer": "pass"})
    assert response.status_code == 302
    assert response.url == f"{reverse('inspection_detail', args=[inspection.pk])}#item-{second.pk}"
    response = client.post(answer_url(inspection, third), {"answer": "not_applicable"})
    assert response.url.endswith(f"#item-{second.pk}")  # the one left unanswered
    response = client.post(answer_url(inspection, second), {"answer": "pass"})
    assert response.url.endswith("#complete")
    results = dict(ItemResult.objects.filter(inspection=inspection).values_list("item_id", "answer"))
    assert results == {first.pk: "pass", second.pk: "pass", third.pk: "not_applicable"}
    text = client.get(reverse("inspection_detail", args=[inspection.pk]), **EN).content.decode()
    # An answered item offers to change its answer until the inspection is completed.
    assert "3 of 3 items answered" in text and text.count("Change the answer:") == 3


def test_answering_an_item_again_changes_its_answer_and_the_page_shows_the_record(client, start, cast):
    inspection = start()
    first = items_of(inspection)[0]
    client.force_login(cast.heping_inspector)
    client.post(answer_url(inspection, first), {"answer": "fail"})
    response = client.post(answer_url(inspection, first), {"answer": "pass"}, **EN)
    assert response.status_code == 302
    assert inspection.results.get().answer == "pass"
    page = client.get(reverse("inspection_detail", args=[inspection.pk]), **EN).content.decode()
    record = page[page.index('data-testid="record"') :]
    assert "Answer changed" in record and "item 1: fail → pass" in record


def test_an_unknown_answer_is_refused_at_the_item(client, start, cast):
    inspection = start()
    first = items_of(inspection)[0]
    client.force_login(cast.heping_inspector)
    response = client.post(answer_url(inspection, first), {"answer": "maybe"}, **EN)
    assert response.status_code == 400
    assert "Answer pass, fail or not applicable." in response.content.decode()
    assert not ItemResult.objects.exists()


def test_an_item_of_another_checklist_is_refused_above_the_list(client, start, cast):
    inspection = start()
    other = ChecklistTemplate.objects.create(sector=sector("coal-mine"), name="Another test checklist")
    stranger = ChecklistItem.objects.create(
        version=ChecklistVersion.objects.create(template=other, number=1), number="1", text="Elsewhere"
    )
    client.force_login(cast.heping_inspector)
    response = client.post(answer_url(inspection, stranger), {"answer": "pass"}, **EN)
    assert response.status_code == 400
    text = response.content.decode()
    assert (
        "This item is not on the inspection&#x27;s checklist."
        in text[: text.index('data-testid="checklist"')]
    )
    assert not ItemResult.objects.exists()


# --- A failed item and its finding form ---------------------------------------------------------------


def test_failing_an_item_with_a_criterion_opens_the_finding_form_prefilled_as_major(
    client, start, cast, clause
):
    inspection = start()
    first = items_of(inspection)[0]
    client.force_login(cast.heping_inspector)
    response = client.post(answer_url(inspection, first), {"answer": "fail"})
    assert response.status_code == 302 and response.url == finding_url(inspection, first)
    assert ItemResult.objects.get().answer == ItemAnswer.FAIL
    response = client.get(response.url, **EN)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["description"] == first.text
    assert form.initial["level"] == "major" and form.initial["criterion"] == clause.pk
    text = response.content.decode()
    assert re.search(rf'<option value="{clause.pk}" selected>', text)
    assert '<option value="major" selected>' in text


def test_failing_an_item_without_a_criterion_opens_a_general_finding(client, start, cast):
    inspection = start()
    second = items_of(inspection)[1]
    client.force_login(cast.heping_inspector)
    response = client.get(client.post(answer_url(inspection, second), {"answer": "fail"}).url, **EN)
    form = response.context["form"]
    assert form.initial["description"] == second.text
    assert "level" not in form.initial and "criterion" not in form.initial
    assert '<option value="general" selected>' in response.content.decode()


def test_the_finding_form_is_ready_for_the_offline_sender_and_the_camera(client, start, cast):
    inspection = start()
    item = items_of(inspection)[1]
    client.force_login(cast.heping_inspector)
    url = finding_url(inspection, item)
    texts = [client.get(url, **EN).content.decode() for _ in range(2)]
    keys = [re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', text).group(1) for text in texts]
    assert keys[0] != keys[1]  # a fresh key each time the form is shown
    text = texts[0]
    form_tag = text[text.index('<form id="finding-form"') :]
    form_tag = form_tag[: form_tag.index(">")]
    assert f'action="{url}"' in form_tag and f'data-json-url="{url}"' in form_tag
    assert 'enctype="multipart/form-data"' in form_tag
    assert 'id="pending-findings"' in text and "/static/js/offline-findings.js" in text
    assert 'accept="image/*"' in text and 'capture="environment"' in text
    assert 'name="fixed_on_spot"' in text and 'name="after_photos"' in text


def test_the_finding_form_of_an_item_not_on_the_checklist_is_not_found(client, start, cast):
    inspection = start()
    client.force_login(cast.heping_inspector)
    assert client.get(f"{finding_url(inspection)}?item={10**8}").status_code == 404
    assert client.get(f"{finding_url(inspection)}?item=x").status_code == 404


# --- Completing -----------------------------------------------------------------------------------------


def test_completing_with_a_failed_item_without_its_hazard_is_refused_and_changes_nothing(client, start, cast):
    inspection = start()
    answer_all(inspection, cast.heping_inspector, ItemAnswer.PASS, ItemAnswer.FAIL, ItemAnswer.PASS)
    before = snapshot(inspection)
    client.force_login(cast.heping_inspector)
    response = client.post(reverse("inspection_complete", args=[inspection.pk]), **EN)
    assert response.status_code == 400
    text = response.content.decode()
    complete = text[text.index('id="complete"') :]
    assert "Log the hazard of every failed item first; without one: 2." in complete
    second = items_of(inspection)[1]
    row = text[text.index(f'id="item-{second.pk}"') :]
    assert f'href="{finding_url(inspection, second)}"' in row[: row.index("</li>")]
    assert snapshot(inspection) == before
    assert not RectificationOrder.objects.exists()


def test_completing_with_unanswered_items_names_them(client, start, cast):
    inspection = start()
    client.force_login(cast.heping_inspector)
    response = client.post(reverse("inspection_complete", args=[inspection.pk]), **EN)
    assert response.status_code == 400
    assert "Answer every item first; unanswered: 1, 2, 3." in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS


def test_completing_issues_one_order_with_the_open_hazards(client, start, cast, evidence_root):
    inspection = start(co_inspector_ids=(cast.co_inspector.pk,))
    first, second, third = items_of(inspection)
    client.force_login(cast.heping_inspector)
    client.post(answer_url(inspection, first), {"answer": "pass"})
    open_one = log_finding(inspection, cast.heping_inspector, second)
    open_two = log_finding(inspection, cast.co_inspector, description="Exit blocked")  # no item
    # Fixed on the spot: closed at once, so not on the order.
    response = client.post(
        finding_url(inspection, third),
        finding_data(fixed_on_spot="on", after_photos=[photo_upload("after.jpg", seed=3)]),
    )
    assert response.status_code == 302
    fixed = Hazard.objects.get(finding__inspection=inspection, finding__checklist_item=third)
    assert fixed.status == HazardStatus.CLOSED

    response = client.post(reverse("inspection_complete", args=[inspection.pk]), **EN)
    assert response.status_code == 302
    assert response.url == reverse("inspection_detail", args=[inspection.pk])
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.COMPLETED and inspection.completed_at
    order = RectificationOrder.objects.get()
    assert order.inspection == inspection and order.issued_by == cast.heping_inspector
    assert set(order.hazards.all()) == {open_one, open_two}
    assert re.fullmatch(r"ZG-210102-\d{4}-0001", order.number)
    for hazard in (open_one, open_two):
        event = HazardEvent.objects.get(hazard=hazard, kind=EventKind.ORDER_ISSUED)
        assert event.actor == cast.heping_inspector
    assert not HazardEvent.objects.filter(hazard=fixed, kind=EventKind.ORDER_ISSUED).exists()

    text = client.get(response.url, **EN).content.decode()
    assert f"The inspection is completed; rectification order {order.number} is issued." in text
    assert f'href="{reverse("inspection_order", args=[inspection.pk])}"' in text
    # Nothing to answer or complete any more.
    assert "answer-buttons" not in text and 'id="complete"' not in text


def test_the_order_is_printable_with_number_enterprise_code_authority_and_hazards(
    client, ordered_inspection, cast
):
    order = RectificationOrder.objects.get()
    hazard = order.hazards.get()
    client.force_login(cast.heping_staff)  # the enterprise may read the order it was given
    response = client.get(reverse("inspection_order", args=[ordered_inspection.pk]), **EN)
    assert response.status_code == 200
    text = response.content.decode()
    enterprise = ordered_inspection.enterprise
    for expected in (
        order.number,
        enterprise.name,
        enterprise.credit_code,
        "和平区 Emergency Management Bureau",
        hazard.number,
        hazard.description,
        hazard.location,
        hazard.measures,
        f"{hazard.deadline:%Y-%m-%d}",
        "General",
        "data-print",
        'class="d-flex flex-wrap gap-2 mb-3 no-print"',
    ):
        assert expected in text, expected


def test_there_is_no_order_page_without_an_order(client, start, cast):
    in_progress = start()
    client.force_login(cast.heping_inspector)
    assert client.get(reverse("inspection_order", args=[in_progress.pk])).status_code == 404
    answer_all(
        in_progress, cast.heping_inspector, ItemAnswer.PASS, ItemAnswer.PASS, ItemAnswer.NOT_APPLICABLE
    )
    assert client.post(reverse("inspection_complete", args=[in_progress.pk])).status_code == 302
    assert not RectificationOrder.objects.exists()
    assert client.get(reverse("inspection_order", args=[in_progress.pk])).status_code == 404
    text = client.get(reverse("inspection_detail", args=[in_progress.pk]), **EN).content.decode()
    assert "No open hazards: no rectification order was issued." in text


def test_completing_twice_is_a_conflict_and_issues_no_second_order(client, ordered_inspection, cast):
    client.force_login(cast.heping_inspector)
    response = client.post(reverse("inspection_complete", args=[ordered_inspection.pk]), **EN)
    assert response.status_code == 409
    assert "This inspection is completed." in response.content.decode()
    assert RectificationOrder.objects.count() == 1


def test_nothing_is_answered_or_logged_on_a_completed_inspection(client, ordered_inspection, cast):
    before = snapshot(ordered_inspection)
    first = items_of(ordered_inspection)[0]
    client.force_login(cast.heping_inspector)
    response = client.post(answer_url(ordered_inspection, first), {"answer": "fail"}, **EN)
    assert response.status_code == 409 and "This inspection is completed." in response.content.decode()
    assert client.get(finding_url(ordered_inspection)).status_code == 409
    assert client.post(finding_url(ordered_inspection), finding_data()).status_code == 409
    response = client.post(
        finding_url(ordered_inspection), finding_data(), HTTP_ACCEPT="application/json", **EN
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "This inspection is completed.", "code": "invalid_transition"}
    assert snapshot(ordered_inspection) == before


# --- Query counts ---------------------------------------------------------------------------------------


def test_the_checklist_page_takes_as_many_queries_for_thirty_items_as_for_three(
    client, start, cast, checklist, django_assert_max_num_queries
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("inspection_detail", args=[inspection.pk])).status_code == 200
        return len(captured)

    inspection = start()
    first, second, _third = items_of(inspection)
    client.force_login(cast.heping_inspector)
    item_answer(actor=cast.heping_inspector, inspection_id=inspection.pk, item_id=first.pk, answer="pass")
    log_finding(inspection, cast.heping_inspector, second)
    few = queries()
    version = inspection.checklist
    for number in range(4, 31):
        item = ChecklistItem.objects.create(
            version=version, number=str(number), text=f"Check {number}", position=number
        )
        if number % 3 == 0:
            log_finding(inspection, cast.heping_inspector, item)
        elif number % 3 == 1:
            item_answer(
                actor=cast.heping_inspector, inspection_id=inspection.pk, item_id=item.pk, answer="pass"
            )
    assert queries() == few
    with django_assert_max_num_queries(10):  # one of them the record (the events), however long
        client.get(reverse("inspection_detail", args=[inspection.pk]))
