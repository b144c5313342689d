"""Covert inspections (暗查暗访): the inspected enterprise sees one, answers and findings included, only
once it is completed, in every place it can reach an inspection; the inspectors see it all along."""

import pytest
from django.urls import reverse

from inspections.models import Inspection, InspectionKind, ItemAnswer
from inspections.services.inspections import inspection_complete, item_answer
from tests.inspections.conftest import items_of, log_finding

pytestmark = pytest.mark.django_db


def api_url(name: str, inspection: Inspection | None = None) -> str:
    return reverse(f"api:inspection-{name}", args=[inspection.pk] if inspection else [])


@pytest.fixture
def covert(start, cast) -> Inspection:
    """A covert inspection of 和平区燃气 under way: item 1 passed, item 2 failed with its finding logged."""
    inspection = start(kind=InspectionKind.UNANNOUNCED)
    first, second, _third = items_of(inspection)
    item_answer(
        actor=cast.heping_inspector, inspection_id=inspection.pk, item_id=first.pk, answer=ItemAnswer.PASS
    )
    log_finding(inspection, cast.heping_inspector, second)
    return inspection


def finish(inspection: Inspection, cast) -> None:
    third = items_of(inspection)[2]
    item_answer(
        actor=cast.heping_inspector,
        inspection_id=inspection.pk,
        item_id=third.pk,
        answer=ItemAnswer.NOT_APPLICABLE,
    )
    inspection_complete(actor=cast.heping_inspector, inspection_id=inspection.pk)


def page_ids(client) -> set[int]:
    return {inspection.pk for inspection in client.get(reverse("inspection_list")).context["page"]}


def test_the_enterprise_does_not_see_a_running_covert_inspection_on_any_page(client, cast, covert, start):
    routine = start()
    client.force_login(cast.heping_staff)
    assert page_ids(client) == {routine.pk}
    assert client.get(reverse("inspection_detail", args=[covert.pk])).status_code == 404
    second = items_of(covert)[1]
    assert client.get(reverse("finding_new", args=[covert.pk]) + f"?item={second.pk}").status_code == 404
    enterprise_page = client.get(reverse("enterprise_detail", args=[covert.enterprise_id]))
    assert enterprise_page.status_code == 200
    assert reverse("inspection_detail", args=[covert.pk]) not in enterprise_page.content.decode()
    assert reverse("inspection_detail", args=[routine.pk]) in enterprise_page.content.decode()


def test_the_enterprise_sees_a_covert_inspection_once_it_is_completed(client, cast, covert):
    finish(covert, cast)
    client.force_login(cast.heping_staff)
    assert page_ids(client) == {covert.pk}
    assert client.get(reverse("inspection_detail", args=[covert.pk])).status_code == 200
    assert client.get(reverse("inspection_order", args=[covert.pk])).status_code == 200
    enterprise_page = client.get(reverse("enterprise_detail", args=[covert.enterprise_id]))
    assert reverse("inspection_detail", args=[covert.pk]) in enterprise_page.content.decode()


def test_the_inspectors_and_supervisors_see_a_running_covert_inspection(client, cast, covert):
    for user in (cast.heping_inspector, cast.shenyang_supervisor):
        client.force_login(user)
        assert covert.pk in {
            row.pk for row in client.get(reverse("inspection_list") + "?scope=all").context["page"]
        }
        assert client.get(reverse("inspection_detail", args=[covert.pk])).status_code == 200


def test_the_api_hides_a_running_covert_inspection_and_its_answers_from_the_enterprise(api, cast, covert):
    client = api(cast.heping_staff)
    assert covert.pk not in {row["id"] for row in client.get(api_url("list")).json()["results"]}
    assert client.get(api_url("detail", covert)).status_code == 404
    first = items_of(covert)[0]
    answered = client.post(api_url("answers", covert), {"item": first.pk, "answer": "fail"}, format="json")
    assert answered.status_code == 404
    assert client.get(api_url("order", covert)).status_code == 404


def test_the_api_shows_the_enterprise_a_covert_inspection_once_completed(api, cast, covert):
    finish(covert, cast)
    client = api(cast.heping_staff)
    assert covert.pk in {row["id"] for row in client.get(api_url("list")).json()["results"]}
    detail = client.get(api_url("detail", covert))
    assert detail.status_code == 200
    assert len([row for row in detail.json()["items"] if row["answer"]]) == 3


def test_the_api_shows_a_running_covert_inspection_to_its_inspector(api, cast, covert):
    client = api(cast.heping_inspector)
    assert client.get(api_url("detail", covert)).status_code == 200
    assert covert.pk in {row["id"] for row in client.get(api_url("list")).json()["results"]}


def test_a_hazard_does_not_name_its_running_covert_inspection_to_the_enterprise(api, cast, covert):
    hazard = covert.findings.get().hazard
    hazard_url = reverse("api:hazard-detail", args=[hazard.pk])
    assert api(cast.heping_staff).get(hazard_url).json()["inspection"] is None
    assert api(cast.heping_inspector).get(hazard_url).json()["inspection"] == covert.pk
    finish(covert, cast)
    assert api(cast.heping_staff).get(hazard_url).json()["inspection"] == covert.pk
