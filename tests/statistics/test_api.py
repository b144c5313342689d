"""The quarterly statistics API: the reports of a scope for a quarter, one report, the enterprise's
confirmation and the CSV, as the statistics page has them.

The reports are generated for every Liaoning enterprise (tests/conftest.py) for 2025 Q3 and for the last
quarter that ended, the list's default.
"""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hazards.lib.calendar import local_today, previous_quarter
from hazards.models import QuarterlyStatistics
from hazards.services.statistics import quarterly_statistics_generate
from tests.api.helpers import by_role, error

pytestmark = pytest.mark.django_db
LIST = reverse("api:statistics-list")
EXPORT = reverse("api:statistics-export")
YEAR, QUARTER = 2025, 3
PERIOD = {"year": YEAR, "quarter": QUARTER}


@pytest.fixture
def reports(liaoning) -> dict[str, QuarterlyStatistics]:
    """The 2025 Q3 report of each enterprise by county, and the reports of the last quarter that ended."""
    quarterly_statistics_generate(year=YEAR, quarter=QUARTER)
    last = previous_quarter(local_today())
    quarterly_statistics_generate(year=last[0], quarter=last[1])
    return {
        key: QuarterlyStatistics.objects.get(enterprise=company, year=YEAR, quarter=QUARTER)
        for key, company in liaoning.enterprises.items()
    }


def detail(report: QuarterlyStatistics, name: str = "detail") -> str:
    return reverse(f"api:statistics-{name}", args=[report.pk])


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["region"]["code"] for row in response.json()["results"]]


def rows_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


# --- The list, as the page shows it for each role --------------------------------------------------------


def test_each_user_lists_the_reports_of_the_scope(api, cast, reports):
    assert codes(api(cast.shenyang_supervisor).get(LIST, PERIOD)) == ["210102", "210103"]
    assert codes(api(cast.shenyang_inspector).get(LIST, PERIOD)) == ["210102", "210103"]
    assert codes(api(cast.dalian_supervisor).get(LIST, PERIOD)) == ["210202", "210203"]
    assert codes(api(cast.heping_staff).get(LIST, PERIOD)) == ["210102"]  # its own report only
    assert codes(api(cast.admin).get(LIST, PERIOD)) == ["210102", "210103", "210202", "210203"]


def test_a_report_has_the_pages_figures(api, cast, reports):
    row = api(cast.heping_staff).get(LIST, PERIOD).json()["results"][0]
    report = reports["heping"]
    assert (row["id"], row["year"], row["quarter"]) == (report.pk, YEAR, QUARTER)
    assert row["enterprise"]["name"] == "和平区燃气有限公司"
    assert row["sector"]["code"] == report.sector.code
    assert row["found"] == report.found and row["unrectified"] == report.unrectified
    assert row["confirmed_at"] is None and row["confirmed_by"] is None and row["principal_name"] == ""


def test_the_quarter_defaults_to_the_last_that_ended_as_on_the_page(api, cast, reports):
    last = previous_quarter(local_today())
    rows = api(cast.shenyang_supervisor).get(LIST).json()["results"]
    assert {(row["year"], row["quarter"]) for row in rows} == {last}
    rows = api(cast.shenyang_supervisor).get(LIST, {"quarter": QUARTER, "year": ""}).json()["results"]
    assert {(row["year"], row["quarter"]) for row in rows} <= {(last[0], QUARTER)}


def bad_periods() -> list[tuple[dict, str]]:
    last = previous_quarter(local_today())
    not_ended = (last[0] + 1, 1) if last[1] == 4 else (last[0], last[1] + 1)
    return [
        ({"year": "1999"}, "year"),
        ({"year": "abc"}, "year"),
        ({"year": "9" * 30}, "year"),
        ({"year": str(last[0] + 1), "quarter": "1"}, "year"),
        ({"quarter": "5"}, "quarter"),
        ({"quarter": "Q3"}, "quarter"),
        ({"year": str(not_ended[0]), "quarter": str(not_ended[1])}, "quarter"),
    ]


@pytest.mark.parametrize(("query", "field"), bad_periods())
@pytest.mark.parametrize("address", [LIST, EXPORT])
def test_a_bad_quarter_is_a_400_naming_the_field(api, cast, reports, query, field, address):
    response = api(cast.shenyang_supervisor).get(address, query)
    assert response.status_code == 400
    assert list(error(response)["fields"]) == [field]


def test_a_bad_page_size_is_a_400(api, cast, reports):
    response = api(cast.shenyang_supervisor).get(LIST, {**PERIOD, "page_size": "101"})
    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["page_size"]


def test_the_lists_query_count_does_not_grow_with_the_page(api, cast, reports):
    client, counts = api(cast.admin), []
    for page_size in (1, 20):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {**PERIOD, "page_size": page_size})
        assert len(codes(response)) == min(page_size, 4)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- One report ------------------------------------------------------------------------------------------


def test_a_report_outside_the_scope_is_a_404(api, cast, reports):
    for user in (cast.shenyang_supervisor, cast.heping_staff, cast.shenyang_inspector):
        response = api(user).get(detail(reports["zhongshan"]))
        assert response.status_code == 404
        assert error(response)["code"] == "not_found"
    assert api(cast.heping_staff).get(detail(reports["shenhe"])).status_code == 404  # another enterprise's
    assert api(cast.heping_staff).get(detail(reports["heping"])).json()["id"] == reports["heping"].pk
    assert api(cast.admin).get(detail(reports["zhongshan"])).status_code == 200


def test_an_id_beyond_any_row_is_a_404(api, cast, reports):
    client, big = api(cast.admin), "9" * 30
    for response in (client.get(f"{LIST}{big}/"), client.post(f"{LIST}{big}/confirm/")):
        assert response.status_code == 404
        assert error(response)["code"] == "not_found"


# --- Confirming ------------------------------------------------------------------------------------------


def test_the_enterprise_confirms_its_report_once(api, cast, reports):
    report, client = reports["heping"], api(cast.heping_staff)
    response = client.post(detail(report, "confirm"), {"principal_name": "  张安全 "})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["principal_name"] == "张安全" and body["confirmed_at"] is not None
    assert body["confirmed_by"]["id"] == cast.heping_staff.pk
    again = client.post(detail(report, "confirm"), {"principal_name": "李四"})
    assert again.status_code == 400
    assert error(again)["code"] == "rule_violation"
    report.refresh_from_db()
    assert report.principal_name == "张安全"


@pytest.mark.parametrize(
    "body", [{}, {"principal_name": ""}, {"principal_name": "   "}, {"principal_name": "名" * 65}]
)
def test_a_missing_or_overlong_name_is_a_400_naming_it(api, cast, reports, body):
    response = api(cast.heping_staff).post(detail(reports["heping"], "confirm"), body)
    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["principal_name"]
    reports["heping"].refresh_from_db()
    assert reports["heping"].confirmed_at is None


def test_a_body_that_is_not_an_object_is_a_400(api, cast, reports):
    response = api(cast.heping_staff).post(detail(reports["heping"], "confirm"), ["张安全"])
    assert response.status_code == 400
    assert error(response)["fields"]


@pytest.mark.parametrize("role", ["inspector", "supervisor", "administrator"])
def test_only_the_enterprise_itself_confirms(api, cast, reports, role):
    response = api(by_role(cast, role)).post(detail(reports["heping"], "confirm"), {"principal_name": "王"})
    assert response.status_code == 403
    assert error(response)["code"] == "not_permitted"
    reports["heping"].refresh_from_db()
    assert reports["heping"].confirmed_at is None


def test_another_enterprise_cannot_confirm_the_report(api, cast, reports):
    response = api(cast.zhongshan_staff).post(detail(reports["heping"], "confirm"), {"principal_name": "王"})
    assert response.status_code == 404
    response = api(cast.heping_staff).post(detail(reports["shenhe"], "confirm"), {"principal_name": "王"})
    assert response.status_code == 404


# --- The CSV ---------------------------------------------------------------------------------------------


def test_the_export_is_the_pages_csv(api, client, cast, reports):
    response = api(cast.shenyang_supervisor).get(EXPORT, PERIOD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="quarterly-statistics-2025-Q3.csv"' in response["Content-Disposition"]
    header, *rows = rows_of(response)
    assert header[:3] == ["Year", "Quarter", "Region code"]
    assert [row[2] for row in rows] == ["210102", "210103"]
    client.force_login(cast.shenyang_supervisor)
    page = client.get(reverse("statistics_export_csv"), PERIOD, HTTP_ACCEPT_LANGUAGE="en")
    assert rows_of(page) == [header, *rows]


def test_the_export_keeps_the_scope_and_answers_a_client_that_asks_for_csv(api, cast, reports):
    response = api(cast.heping_staff).get(EXPORT, PERIOD, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    _header, *rows = rows_of(response)
    assert [row[4] for row in rows] == ["和平区燃气有限公司"]


def test_an_anonymous_client_is_asked_to_authenticate(api, reports):
    client = api(None)
    assert client.get(LIST).status_code == 401
    assert client.get(EXPORT).status_code == 401
    assert client.get(detail(reports["heping"])).status_code == 401
    assert client.post(detail(reports["heping"], "confirm"), {"principal_name": "王"}).status_code == 401
