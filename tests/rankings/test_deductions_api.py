"""The ranking deductions API: the accidents and deaths a supervisor entered for the regions of the scope,
and entering (or correcting) those of a quarter, as the deductions page does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hazards.models import RankingDeduction
from tests.api.helpers import by_role, error

pytestmark = pytest.mark.django_db
LIST = reverse("api:ranking-deduction-list")
BODY = {
    "region": "210102",
    "year": 2025,
    "quarter": 3,
    "accidents": 2,
    "deaths": 1,
    "veto": True,
    "reason": "一起燃气爆炸事故",
}


def entered(cast, liaoning, county: str, year: int = 2025, quarter: int = 3) -> RankingDeduction:
    """A deduction entered directly, by the supervisor of the county's city."""
    region = liaoning.counties[county]
    by = cast.shenyang_supervisor if region.code.startswith("2101") else cast.dalian_supervisor
    return RankingDeduction.objects.create(
        year=year, quarter=quarter, region=region, accidents=1, deaths=0, reason="事故", entered_by=by
    )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- Entering --------------------------------------------------------------------------------------------


def test_a_supervisor_enters_a_deduction_of_a_county_of_the_scope(api, cast, liaoning):
    response = api(cast.shenyang_supervisor).post(LIST, BODY)
    assert response.status_code == 200, response.content
    body = response.json()
    deduction = RankingDeduction.objects.get()
    assert body["id"] == deduction.pk and body["region"]["code"] == "210102"
    assert (body["year"], body["quarter"], body["accidents"], body["deaths"], body["veto"]) == (
        2025,
        3,
        2,
        1,
        True,
    )
    assert body["reason"] == "一起燃气爆炸事故" and body["entered_by"]["id"] == cast.shenyang_supervisor.pk
    assert deduction.entered_by == cast.shenyang_supervisor


def test_entering_it_again_corrects_it(api, cast, liaoning):
    client = api(cast.shenyang_supervisor)
    first = client.post(LIST, BODY).json()
    again = client.post(LIST, {**BODY, "accidents": 0, "deaths": 0, "veto": False, "reason": "更正"}).json()
    assert again["id"] == first["id"]
    assert (again["accidents"], again["deaths"], again["veto"], again["reason"]) == (0, 0, False, "更正")
    assert RankingDeduction.objects.count() == 1


def test_counts_and_veto_default_to_nothing(api, cast, liaoning):
    body = {key: BODY[key] for key in ("region", "year", "quarter", "reason")}
    response = api(cast.shenyang_supervisor).post(LIST, body)
    assert response.status_code == 200, response.content
    assert (response.json()["accidents"], response.json()["deaths"], response.json()["veto"]) == (0, 0, False)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"region": "210202"}, "region"),  # 中山区, outside the scope
        ({"region": "999999"}, "region"),
        ({"region": "2101021"}, "region"),
        ({"region": None}, "region"),
        ({"year": 1999}, "year"),
        ({"year": 10000}, "year"),
        ({"year": "2025年"}, "year"),
        ({"year": 2**70}, "year"),
        ({"year": 2099}, "quarter"),  # a quarter not begun
        ({"quarter": 5}, "quarter"),
        ({"quarter": "Q3"}, "quarter"),
        ({"accidents": -1}, "accidents"),
        ({"accidents": 10_001}, "accidents"),
        ({"deaths": "many"}, "deaths"),
        ({"veto": "maybe"}, "veto"),
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": None}, "reason"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, cast, liaoning, change, field):
    response = api(cast.shenyang_supervisor).post(LIST, {**BODY, **change})
    assert response.status_code == 400, response.content
    assert list(error(response)["fields"]) == [field]
    assert not RankingDeduction.objects.exists()


def test_a_province_is_not_ranked(api, liaoning, cast):
    response = api(cast.province_supervisor).post(LIST, {**BODY, "region": "210000"})
    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["region"]


def test_an_empty_or_malformed_body_is_a_400(api, cast, liaoning):
    client = api(cast.shenyang_supervisor)
    response = client.post(LIST, {})
    assert response.status_code == 400
    assert set(error(response)["fields"]) == {"region", "year", "quarter", "reason"}
    response = client.post(LIST, [BODY])
    assert response.status_code == 400 and error(response)["fields"]


@pytest.mark.parametrize("role", ["inspector", "enterprise", "administrator"])
def test_only_a_supervisor_reads_or_enters_deductions(api, cast, liaoning, role):
    client = api(by_role(cast, role))
    for response in (client.get(LIST), client.post(LIST, BODY)):
        assert response.status_code == 403
        assert error(response)["code"] == "not_permitted"
    assert not RankingDeduction.objects.exists()


def test_an_anonymous_client_is_asked_to_authenticate(api, liaoning):
    assert api(None).get(LIST).status_code == 401
    assert api(None).post(LIST, BODY).status_code == 401


# --- The list --------------------------------------------------------------------------------------------


def test_the_list_is_the_scopes_newest_quarter_first(api, cast, liaoning):
    older = entered(cast, liaoning, "heping", 2025, 2)
    shenhe, heping = entered(cast, liaoning, "shenhe"), entered(cast, liaoning, "heping")
    entered(cast, liaoning, "zhongshan")
    assert ids(api(cast.shenyang_supervisor).get(LIST)) == [heping.pk, shenhe.pk, older.pk]
    assert len(ids(api(cast.dalian_supervisor).get(LIST))) == 1


def test_the_list_filters_by_year_and_quarter(api, cast, liaoning):
    older = entered(cast, liaoning, "heping", 2024, 2)
    newer = entered(cast, liaoning, "heping", 2025, 2)
    third = entered(cast, liaoning, "heping", 2025, 3)
    client = api(cast.shenyang_supervisor)
    assert ids(client.get(LIST, {"year": 2025})) == [third.pk, newer.pk]
    assert ids(client.get(LIST, {"quarter": 2})) == [newer.pk, older.pk]
    assert ids(client.get(LIST, {"year": 2024, "quarter": 2})) == [older.pk]
    assert ids(client.get(LIST, {"year": "", "quarter": ""})) == [third.pk, newer.pk, older.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": "1"}, "year"),
        ({"quarter": "0"}, "quarter"),
        ({"page": "0"}, "page"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(api, cast, liaoning, query, field):
    response = api(cast.shenyang_supervisor).get(LIST, query)
    assert response.status_code == 400
    assert list(error(response)["fields"]) == [field]


def test_the_lists_query_count_does_not_grow_with_the_page(api, cast, liaoning):
    for year in (2022, 2023, 2024):
        for quarter in (1, 2, 3, 4):
            entered(cast, liaoning, "heping", year, quarter)
    client, counts = api(cast.shenyang_supervisor), []
    for page_size in (2, 20):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"page_size": page_size})
        assert len(ids(response)) == min(page_size, 12)
        counts.append(len(queries))
    assert counts[0] == counts[1]
