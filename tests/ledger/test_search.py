"""The ledger's text search (?q=) on the page and the API: each searched field, the scope, bad input, the
tab counts and the result count that follow the filters."""

import pytest
from django.urls import reverse

from hazards.models import Enterprise
from tests.factories import EnterpriseFactory
from tests.hazards.helpers import EN

API = "/api/v1/hazards/"


@pytest.fixture
def found(make_hazard, liaoning):
    """Hazards of 沈阳市 that differ in what the search reads, and one of 大连市 that matches everything."""
    shenhe = liaoning.enterprises["shenhe"]
    return {
        "pipe": make_hazard(description="燃气管道锈蚀"),
        "extinguisher": make_hazard(description="灭火器过期 Extinguisher expired"),
        "shenhe": make_hazard(enterprise=shenhe, description="安全出口堵塞"),
        "closed": make_hazard(closed=True, description="配电箱未接地，灭火器缺失"),
        "dalian": make_hazard(of_another_region=True, description="燃气管道锈蚀 灭火器过期 配电箱未接地"),
    }


def page_numbers(client, **params) -> set[str]:
    response = client.get(reverse("hazard_list"), {"status": "all", **params}, **EN)
    assert response.status_code == 200
    assert not response.context["listing"].errors, response.context["listing"].errors
    return {hazard.number for hazard in response.context["page"].object_list}


def api_numbers(client, **params) -> set[str]:
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return {row["number"] for row in response.json()["results"]}


def numbers(found, *keys) -> set[str]:
    return {found[key].number for key in keys}


@pytest.fixture
def supervisor_page(client, cast):
    client.force_login(cast.shenyang_supervisor)
    return client


@pytest.mark.parametrize("interface", ["page", "api"])
def test_each_searched_field_finds_its_hazards(supervisor_page, api, cast, found, liaoning, interface):
    def search(text: str) -> set[str]:
        if interface == "page":
            return page_numbers(supervisor_page, q=text)
        return api_numbers(api(cast.shenyang_supervisor), q=text)

    shenhe = liaoning.enterprises["shenhe"]
    # The description, in Chinese and in English whatever the case.
    assert search("管道") == numbers(found, "pipe")
    assert search("EXTINGUISHER") == numbers(found, "extinguisher")
    # The number, whole or a part of it.
    assert search(found["closed"].number) == numbers(found, "closed")
    assert search(found["closed"].number[-5:].lower()) >= numbers(found, "closed")
    # The enterprise's name and its credit code, a part of it in lower case too.
    assert search("沈河区燃气") == numbers(found, "shenhe")
    assert search(shenhe.credit_code) == numbers(found, "shenhe")
    assert search(shenhe.credit_code[-8:].lower()) == numbers(found, "shenhe")
    # Nothing matching, and a blank search that keeps the whole scope.
    assert search("不存在的隐患") == set()
    assert search("   ") == numbers(found, "pipe", "extinguisher", "shenhe", "closed")


def test_a_search_never_finds_a_hazard_of_another_jurisdiction(supervisor_page, api, cast, found, liaoning):
    dalian = found["dalian"]
    for text in (dalian.number, dalian.enterprise.name, dalian.enterprise.credit_code, "配电箱未接地"):
        assert dalian.number not in page_numbers(supervisor_page, q=text)
        assert dalian.number not in api_numbers(api(cast.shenyang_supervisor), q=text)
    # Another enterprise's user does not find the 和平区 enterprise's hazards by its name.
    assert api_numbers(api(cast.heping_staff), q="沈河区燃气") == set()
    assert api_numbers(api(cast.heping_staff), q="管道") == numbers(found, "pipe")


def test_the_search_combines_with_the_other_filters_and_the_tab(supervisor_page, found):
    assert page_numbers(supervisor_page, q="管道", status="closed") == set()
    assert page_numbers(supervisor_page, q="灭火器", status="closed") == numbers(found, "closed")
    assert page_numbers(supervisor_page, q="燃气", region="210103") == numbers(found, "shenhe")


def test_a_search_too_long_is_a_form_error_and_a_400_naming_the_field(supervisor_page, api, cast, found):
    response = supervisor_page.get(reverse("hazard_list"), {"q": "燃" * 101}, **EN)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert any(error.startswith("Search:") for error in response.context["listing"].errors)
    answer = api(cast.shenyang_supervisor).get(API, {"q": "燃" * 101})
    assert answer.status_code == 400
    assert "q" in answer.json()["fields"]


def test_the_tabs_and_the_result_count_follow_the_filters(supervisor_page, found):
    response = supervisor_page.get(reverse("hazard_list"), {"status": "open", "q": "灭火器"}, **EN)
    tabs = {key: count for key, _label, count in response.context["listing"].filters}
    assert (tabs["all"], tabs["open"], tabs["to_do"], tabs["closed"], tabs["overdue"]) == (2, 1, 1, 1, 0)
    assert "1 hazard found" in response.content.decode()
    unfiltered = supervisor_page.get(reverse("hazard_list"), {"status": "all"}, **EN)
    tabs = {key: count for key, _label, count in unfiltered.context["listing"].filters}
    assert (tabs["all"], tabs["open"], tabs["closed"]) == (4, 3, 1)
    assert "4 hazards found" in unfiltered.content.decode()


def test_the_api_counts_a_search_by_its_rows(api, cast, found):
    answer = api(cast.shenyang_supervisor).get(API, {"q": "灭火器"})
    assert answer.json()["count"] == 2


def test_an_enterprise_matching_alone_brings_no_other_hazards(supervisor_page, liaoning, found):
    EnterpriseFactory(region=liaoning.counties["heping"], name="和平区管道维修公司")
    assert Enterprise.objects.filter(name__contains="管道").count() == 1
    assert page_numbers(supervisor_page, q="管道维修") == set()
