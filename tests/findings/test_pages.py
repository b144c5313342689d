"""Logging findings: the form and its errors in place, the JSON answers of the offline sender, and repeats."""

import datetime
import uuid

from django.urls import reverse
from django.utils import timezone, translation

from hazards.models import Clause, EvidenceStage, Hazard, HazardLevel, HazardSource, HazardStatus, Standard
from hazards.pages.forms.hazards import CriterionField
from inspections.models import ItemAnswer, ItemResult
from inspections.services.inspections import item_answer
from tests.factories import major_criterion, photo_upload, sector
from tests.inspections.conftest import items_of
from tests.inspections.helpers import EN, JSON, finding_data, finding_url, snapshot


def field_html(text: str, name: str) -> str:
    """The HTML of one field of the form, up to the next field."""
    start = text.index(f' id="field-{name}"')
    following = text.find(' id="field-', start + 1)
    return text[start : following if following != -1 else len(text)]


# --- The form -------------------------------------------------------------------------------------------


def test_an_inspector_logs_a_major_finding_with_a_photo_for_the_failed_item(
    client, start, cast, clause, evidence_root
):
    inspection = start()
    first = items_of(inspection)[0]
    client.force_login(cast.heping_inspector)
    data = finding_data(level="major", criterion=clause.pk, description=first.text)
    response = client.post(
        finding_url(inspection, first), {**data, "photos": [photo_upload("leak.jpg")]}, **EN
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('inspection_detail', args=[inspection.pk])}#item-{first.pk}"
    hazard = Hazard.objects.get()
    assert hazard.finding.inspection == inspection and hazard.finding.checklist_item == first
    assert hazard.criterion == clause and hazard.level == HazardLevel.MAJOR
    assert hazard.source == HazardSource.GOVERNMENT_INSPECTION and hazard.found_by == cast.heping_inspector
    assert hazard.finding.idempotency_key == uuid.UUID(data["idempotency_key"])
    assert hazard.deadline == timezone.localdate() + datetime.timedelta(days=90)  # the major default
    assert hazard.evidence.get().stage == EvidenceStage.FOUND
    # Logged straight from the item: it is recorded as failed.
    assert ItemResult.objects.get(inspection=inspection, item=first).answer == ItemAnswer.FAIL

    text = client.get(response.url, **EN).content.decode()
    assert f"Hazard {hazard.number} is logged." in text
    row = text[text.index(f'id="item-{first.pk}"') :]
    row = row[: row.index("</li>")]
    assert f'href="{reverse("hazard_detail", args=[hazard.pk])}"' in row and hazard.number in row
    assert 'data-testid="log-finding"' not in row
    assert hazard.number in text[text.index('id="findings"') :]


def test_a_finding_without_an_item_is_logged_on_the_inspection(client, start, cast):
    inspection = start()
    client.force_login(cast.heping_inspector)
    response = client.post(finding_url(inspection), finding_data(description="Exit blocked"))
    assert response.status_code == 302 and response.url.endswith("#findings")
    hazard = Hazard.objects.get()
    assert hazard.finding.inspection == inspection and hazard.finding.checklist_item is None
    assert not ItemResult.objects.exists()


def test_the_same_key_posted_twice_logs_one_hazard(client, start, cast):
    inspection = start()
    second = items_of(inspection)[1]
    client.force_login(cast.heping_inspector)
    data = finding_data()
    first_response = client.post(finding_url(inspection, second), data)
    again = client.post(finding_url(inspection, second), data, **EN)
    assert first_response.status_code == again.status_code == 302
    hazard = Hazard.objects.get()
    text = client.get(again.url, **EN).content.decode()
    assert f"Hazard {hazard.number} was already logged." in text


def test_a_key_already_used_by_another_inspection_asks_to_reload_the_form(client, start, cast):
    first, second = start(), start()
    client.force_login(cast.heping_inspector)
    data = finding_data()
    assert client.post(finding_url(first), data).status_code == 302
    again = client.post(finding_url(second), data, **EN)
    assert again.status_code == 400
    assert "This form is out of date: reload it and fill it in again." in again.content.decode()
    assert again.context["form"].errors["idempotency_key"]
    as_json = client.post(finding_url(second), data, **JSON)
    assert as_json.status_code == 400 and set(as_json.json()["errors"]) == {"idempotency_key"}
    assert Hazard.objects.get().finding.inspection == first


def test_the_criteria_offered_are_those_in_force_for_the_enterprises_sector(client, start, cast, clause):
    inspection = start()
    coal = major_criterion("coal-mine")
    client.force_login(cast.heping_inspector)
    text = client.get(finding_url(inspection), **EN).content.decode()
    criterion = field_html(text, "criterion")
    assert f'<option value="{clause.pk}"' in criterion
    assert f'<option value="{coal.pk}"' not in criterion


def test_a_criterion_of_another_sector_is_refused_in_place(client, start, cast):
    inspection = start()
    before = snapshot(inspection)
    client.force_login(cast.heping_inspector)
    data = finding_data(level="major", criterion=major_criterion("coal-mine").pk)
    response = client.post(finding_url(inspection), data, **EN)
    assert response.status_code == 400
    text = response.content.decode()
    assert "This criterion belongs to the standard of another sector." in field_html(text, "criterion")
    assert "Gas alarm out of order" in text  # what was typed is kept
    assert data["idempotency_key"] in text  # and the key, so a resend is still the same finding
    assert snapshot(inspection) == before


def test_a_criterion_of_a_standard_no_longer_in_force_is_refused_in_place(client, start, cast):
    inspection = start()
    expired = Standard.objects.create(
        number="TEST-GAS-OLD",
        title="Superseded urban gas standard",
        scope="national",
        effective_from=datetime.date(2015, 1, 1),
        effective_to=datetime.date(2020, 12, 31),
    )
    expired.sectors.set([sector("urban-gas")])
    old_clause = Clause.objects.create(standard=expired, number="9", text="旧条款")
    client.force_login(cast.heping_inspector)
    response = client.post(
        finding_url(inspection), finding_data(level="major", criterion=old_clause.pk), **EN
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choose a criterion of a standard in force." in field_html(text, "criterion")
    assert f'<option value="{old_clause.pk}"' not in field_html(text, "criterion")
    assert not Hazard.objects.exists()


def test_a_major_finding_without_a_criterion_and_a_blank_description_are_refused_in_place(
    client, start, cast
):
    inspection = start()
    client.force_login(cast.heping_inspector)
    response = client.post(finding_url(inspection), finding_data(level="major"), **EN)
    assert response.status_code == 400
    assert "A major hazard needs the criterion it matches." in field_html(
        response.content.decode(), "criterion"
    )
    response = client.post(finding_url(inspection), finding_data(description="  "), **EN)
    assert response.status_code == 400
    assert "This field is required." in field_html(response.content.decode(), "description")
    assert not Hazard.objects.exists()


def test_a_finding_for_an_item_that_passed_is_refused(client, start, cast):
    inspection = start()
    first = items_of(inspection)[0]
    item_answer(actor=cast.heping_inspector, inspection_id=inspection.pk, item_id=first.pk, answer="pass")
    before = snapshot(inspection)
    client.force_login(cast.heping_inspector)
    response = client.post(finding_url(inspection, first), finding_data(), **EN)
    assert response.status_code == 400
    assert "Item 1 did not fail; a finding goes with a failed item." in response.content.decode()
    assert snapshot(inspection) == before


def test_a_form_without_its_key_is_refused(client, start, cast):
    inspection = start()
    client.force_login(cast.heping_inspector)
    response = client.post(finding_url(inspection), finding_data(idempotency_key=""), **EN)
    assert response.status_code == 400
    assert "This form is out of date: reload it and fill it in again." in response.content.decode()
    assert not Hazard.objects.exists()


def test_a_general_finding_fixed_on_the_spot_needs_its_after_photo(client, start, cast):
    inspection = start()
    client.force_login(cast.heping_inspector)
    response = client.post(finding_url(inspection), finding_data(fixed_on_spot="on"), **EN)
    assert response.status_code == 400
    assert "A hazard fixed on the spot needs a photo after the fix." in field_html(
        response.content.decode(), "after_photos"
    )
    assert not Hazard.objects.exists()


# --- JSON for the offline sender ------------------------------------------------------------------------


def test_a_finding_sent_as_json_is_created_once_per_key(client, start, cast, evidence_root):
    inspection = start()
    second = items_of(inspection)[1]
    client.force_login(cast.heping_inspector)
    data = finding_data()
    response = client.post(finding_url(inspection, second), {**data, "photos": [photo_upload()]}, **JSON)
    assert response.status_code == 201
    hazard = Hazard.objects.get()
    assert response.json() == {"hazard_id": hazard.pk, "number": hazard.number, "created": True}
    assert hazard.finding.checklist_item == second and hazard.evidence.count() == 1
    again = client.post(finding_url(inspection, second), {**data, "photos": [photo_upload()]}, **JSON)
    assert again.status_code == 200
    assert again.json() == {"hazard_id": hazard.pk, "number": hazard.number, "created": False}
    assert Hazard.objects.count() == 1 and hazard.evidence.count() == 1


def test_a_resend_after_the_inspection_is_completed_still_answers_with_its_hazard(client, start, cast):
    inspection = start()
    first, second, third = items_of(inspection)
    client.force_login(cast.heping_inspector)
    data = finding_data()
    assert client.post(finding_url(inspection, second), data, **JSON).status_code == 201
    for item in (first, third):
        item_answer(actor=cast.heping_inspector, inspection_id=inspection.pk, item_id=item.pk, answer="pass")
    assert client.post(reverse("inspection_complete", args=[inspection.pk])).status_code == 302
    again = client.post(finding_url(inspection, second), data, **JSON)
    assert again.status_code == 200 and again.json()["created"] is False
    assert Hazard.objects.count() == 1


def test_json_errors_name_their_fields(client, start, cast):
    inspection = start()
    client.force_login(cast.heping_inspector)
    response = client.post(
        finding_url(inspection), finding_data(level="major", idempotency_key="not-a-uuid"), **JSON
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"idempotency_key"}
    response = client.post(finding_url(inspection), finding_data(level="major"), **JSON)
    assert response.status_code == 400
    assert response.json() == {"errors": {"criterion": ["A major hazard needs the criterion it matches."]}}
    response = client.post(finding_url(inspection), finding_data(location=""), **JSON)
    assert response.json() == {"errors": {"location": ["This field is required."]}}
    assert not Hazard.objects.exists()


def test_a_browser_form_is_answered_in_html(client, start, cast):
    inspection = start()
    client.force_login(cast.heping_inspector)
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.post(finding_url(inspection), finding_data(), HTTP_ACCEPT=accept)
    assert response.status_code == 302


def test_json_refusals_carry_detail_and_code(client, start, cast):
    inspection = start()
    client.force_login(cast.shenyang_supervisor)
    response = client.post(finding_url(inspection), finding_data(), **JSON)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only the inspection's own inspectors work on it.",
        "code": "not_permitted",
    }
    client.force_login(cast.heping_inspector)
    response = client.post(reverse("finding_new", args=[10**8]), finding_data(), **JSON)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not Hazard.objects.exists()


# --- Repeats --------------------------------------------------------------------------------------------


def test_a_finding_for_an_item_whose_hazard_closed_within_the_year_is_a_repeat(
    client, start, cast, closed_hazard
):
    inspection = start()
    second = items_of(inspection)[1]
    earlier = closed_hazard(second, days_ago=200)
    client.force_login(cast.heping_inspector)
    assert client.post(finding_url(inspection, second), finding_data()).status_code == 302
    hazard = Hazard.objects.get(finding__inspection=inspection)
    assert hazard.repeat_of == earlier
    text = client.get(reverse("inspection_detail", args=[inspection.pk]), **EN).content.decode()
    row = text[text.index(f'id="item-{second.pk}"') :]
    assert 'data-testid="repeat"' in row[: row.index("</li>")]
    assert f"Repeat of {earlier.number}" in text

    page = client.get(reverse("enterprise_detail", args=[inspection.enterprise_id]), **EN)
    assert page.context["overview"].counts["repeats"] == 1
    assert '<div class="fs-3" data-testid="count-repeats">1</div>' in page.content.decode()


def test_a_hazard_closed_more_than_a_year_ago_makes_no_repeat(client, start, cast, closed_hazard):
    inspection = start()
    second = items_of(inspection)[1]
    closed_hazard(second, days_ago=400)
    client.force_login(cast.heping_inspector)
    assert client.post(finding_url(inspection, second), finding_data()).status_code == 302
    assert Hazard.objects.get(finding__inspection=inspection).repeat_of is None
    text = client.get(reverse("inspection_detail", args=[inspection.pk]), **EN).content.decode()
    assert 'data-testid="repeat"' not in text
    page = client.get(reverse("enterprise_detail", args=[inspection.enterprise_id]), **EN)
    assert page.context["overview"].counts["repeats"] == 0


def test_an_open_hazard_for_the_same_item_makes_no_repeat(client, start, cast, closed_hazard):
    inspection = start()
    second = items_of(inspection)[1]
    earlier = closed_hazard(second, days_ago=30)
    Hazard.objects.filter(pk=earlier.pk).update(status=HazardStatus.OPEN, closed_at=None)
    client.force_login(cast.heping_inspector)
    client.post(finding_url(inspection, second), finding_data())
    assert Hazard.objects.get(finding__inspection=inspection).repeat_of is None


def test_a_criterion_is_offered_in_the_standards_chinese_and_in_english_only_to_english_readers(clause):
    field = CriterionField(queryset=Clause.objects.filter(pk=clause.pk))
    with translation.override("zh-hans"):
        chinese = field.label_from_instance(clause)
    with translation.override("en"):
        english = field.label_from_instance(clause)
    assert clause.text[:80] in chinese and clause.summary_en not in chinese
    assert clause.summary_en[:80] in english
