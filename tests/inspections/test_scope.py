"""Scope on every inspection page and POST: outsiders get 404, visitors log in, POST-only URLs refuse GET."""

import pytest
from django.urls import reverse

from hazards.models import Hazard
from inspections.models import Inspection, ItemAnswer
from tests.inspections.conftest import OUTSIDERS, items_of
from tests.inspections.helpers import answer_url, finding_data, finding_url, snapshot


def get_urls(inspection: Inspection) -> list[str]:
    """Every page of an inspection (and of its enterprise) that answers GET."""
    item = items_of(inspection)[1]
    return [
        reverse("inspection_detail", args=[inspection.pk]),
        reverse("inspection_order", args=[inspection.pk]),
        finding_url(inspection),
        finding_url(inspection, item),
        f"{reverse('inspection_new')}?enterprise={inspection.enterprise_id}",
        reverse("enterprise_detail", args=[inspection.enterprise_id]),
    ]


def post_requests(inspection: Inspection) -> list[tuple[str, dict]]:
    """Every POST of an inspection's pages, with data the service would accept."""
    first, second, _third = items_of(inspection)
    return [
        (answer_url(inspection, first), {"answer": ItemAnswer.PASS}),
        (answer_url(inspection, second), {"answer": ItemAnswer.FAIL}),
        (finding_url(inspection), finding_data()),
        (finding_url(inspection, second), finding_data()),
        (reverse("inspection_complete", args=[inspection.pk]), {}),
        (f"{reverse('inspection_new')}?enterprise={inspection.enterprise_id}", {"kind": "routine"}),
    ]


def test_anonymous_visitors_are_sent_to_log_in_from_every_inspection_page(client, ordered_inspection, start):
    in_progress = start()
    before = snapshot(in_progress)
    urls = [reverse("inspection_list"), reverse("inspection_new"), *get_urls(ordered_inspection)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    for url, data in post_requests(in_progress):
        response = client.post(url, data)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    assert snapshot(in_progress) == before
    assert Inspection.objects.count() == 2


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_every_page_of_an_inspection_outside_the_scope_is_not_found(
    client, ordered_inspection, cast, outsider
):
    client.force_login(getattr(cast, outsider))
    for url in get_urls(ordered_inspection):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_every_post_on_an_inspection_outside_the_scope_is_not_found_and_changes_nothing(
    client, start, cast, outsider
):
    inspection = start()
    before = snapshot(inspection)
    client.force_login(getattr(cast, outsider))
    for url, data in post_requests(inspection):
        assert client.post(url, data).status_code == 404, url
    assert snapshot(inspection) == before
    assert Inspection.objects.count() == 1
    assert not Hazard.objects.exists()


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_a_json_finding_outside_the_scope_is_not_found_in_json(client, start, cast, outsider):
    inspection = start()
    client.force_login(getattr(cast, outsider))
    response = client.post(finding_url(inspection), finding_data(), HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found" and "detail" in response.json()
    assert not Hazard.objects.exists()


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_an_outsiders_list_does_not_show_the_inspection(client, ordered_inspection, cast, outsider):
    client.force_login(getattr(cast, outsider))
    for scope in ("mine", "all"):
        response = client.get(reverse("inspection_list"), {"scope": scope})
        assert response.status_code == 200
        assert ordered_inspection not in response.context["page"].object_list
        assert reverse("inspection_detail", args=[ordered_inspection.pk]) not in response.content.decode()


@pytest.mark.parametrize("outsider", ["shenhe_staff", "zhongshan_inspector"])
def test_an_outsider_does_not_find_the_enterprise_in_the_search(client, cast, enterprise, outsider):
    client.force_login(getattr(cast, outsider))
    for query in (enterprise.name, enterprise.credit_code):
        response = client.get(reverse("inspection_new"), {"q": query})
        assert response.status_code == 200
        assert enterprise not in response.context.get("results", [])
        assert f"?enterprise={enterprise.pk}" not in response.content.decode()


def test_the_post_only_urls_opened_with_get_answer_with_the_inspection_page(client, start, cast):
    inspection = start()
    client.force_login(cast.heping_inspector)
    page = reverse("inspection_detail", args=[inspection.pk])
    for url in (
        answer_url(inspection, items_of(inspection)[0]),
        reverse("inspection_complete", args=[inspection.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url == page, url
    assert client.get(page).status_code == 200
    inspection.refresh_from_db()
    assert not inspection.results.exists() and inspection.completed_at is None


def test_the_get_only_pages_refuse_post(client, ordered_inspection, cast):
    client.force_login(cast.heping_inspector)
    for url in (
        reverse("inspection_list"),
        reverse("inspection_detail", args=[ordered_inspection.pk]),
        reverse("inspection_order", args=[ordered_inspection.pk]),
        reverse("enterprise_detail", args=[ordered_inspection.enterprise_id]),
    ):
        assert client.post(url).status_code == 405, url


def test_a_supervisor_of_the_region_sees_the_inspection_but_may_not_work_on_it(client, start, cast):
    inspection = start()
    first = items_of(inspection)[0]
    before = snapshot(inspection)
    client.force_login(cast.shenyang_supervisor)
    page = client.get(reverse("inspection_detail", args=[inspection.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert answer_url(inspection, first) not in page.content.decode()
    response = client.post(answer_url(inspection, first), {"answer": "pass"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "Only the inspection&#x27;s own inspectors work on it." in response.content.decode()
    assert client.get(finding_url(inspection)).status_code == 403
    assert client.post(finding_url(inspection), finding_data()).status_code == 403
    assert client.post(reverse("inspection_complete", args=[inspection.pk])).status_code == 403
    assert client.get(reverse("inspection_new")).status_code == 403
    assert snapshot(inspection) == before


def test_the_enterprise_sees_its_inspection_but_answers_no_inspectors_checklist(client, start, cast):
    inspection = start()
    first = items_of(inspection)[0]
    client.force_login(cast.heping_staff)
    assert client.get(reverse("inspection_detail", args=[inspection.pk])).status_code == 200
    assert client.post(answer_url(inspection, first), {"answer": "pass"}).status_code == 403
    response = client.post(finding_url(inspection), finding_data(), HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"
    assert not Hazard.objects.exists()
