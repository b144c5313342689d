"""The ledger's CSV and XLSX exports: scope, filters, content, language, the row limit, query counts."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.hazards.helpers import EN

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
HEADERS = [
    "Number",
    "Enterprise",
    "Credit code",
    "Region",
    "Sector",
    "Level",
    "Status",
    "Source",
    "Description",
    "Location",
    "Measures",
    "Deadline",
    "Original deadline",
    "Found at",
    "Closed at",
    "Overdue",
    "Repeat",
    "Listed",
]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.content
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


@pytest.fixture
def spread(make_hazard, liaoning):
    """A hazard at each of three enterprises: 和平区 and 沈河区 (沈阳市), and 中山区 (大连市)."""
    return {
        key: make_hazard(enterprise=liaoning.enterprises[key], description=f"Leak at {key}")
        for key in ("heping", "shenhe", "zhongshan")
    }


def test_anonymous_visitors_are_sent_to_log_in(client):
    for name in ("hazard_export_csv", "hazard_export_xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("heping_staff", {"heping"}),
        ("shenhe_staff", {"shenhe"}),
        ("heping_inspector", {"heping"}),
        ("shenyang_supervisor", {"heping", "shenhe"}),
        ("dalian_supervisor", {"zhongshan"}),
    ],
)
def test_an_export_holds_only_the_users_scope(client, spread, cast, who, expected):
    client.force_login(getattr(cast, who))
    numbers = {spread[key].number for key in expected}
    assert {row[0] for row in csv_rows(client.get(reverse("hazard_export_csv"), **EN))[1:]} == numbers
    assert {row[0] for row in xlsx_rows(client.get(reverse("hazard_export_xlsx"), **EN))[1:]} == numbers


def test_an_export_applies_the_filters(client, spread, cast, make_hazard):
    major = make_hazard(major=True)
    client.force_login(cast.shenyang_supervisor)
    rows = csv_rows(client.get(reverse("hazard_export_csv"), {"region": "210103"}, **EN))
    assert [row[0] for row in rows[1:]] == [spread["shenhe"].number]
    rows = xlsx_rows(client.get(reverse("hazard_export_xlsx"), {"status": "open", "level": "major"}, **EN))
    assert [row[0] for row in rows[1:]] == [major.number]


def test_the_csv_holds_every_column_in_english(client, make_hazard, cast, liaoning):
    closed = make_hazard(closed=True, major=True)
    repeat = make_hazard(repeat_of=closed, overdue=True, listed=True)
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("hazard_export_csv"), {"ordering": "found_at"}, **EN)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="hazards-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    header, first, second = csv_rows(response)
    assert header == HEADERS
    enterprise = liaoning.enterprises["heping"]
    found_at = timezone.localtime(closed.found_at).replace(microsecond=0, tzinfo=None)
    closed_at = timezone.localtime(closed.closed_at).replace(microsecond=0, tzinfo=None)
    assert first == [
        closed.number,
        enterprise.name,
        enterprise.credit_code,
        "和平区",
        "Urban gas",
        "Major",
        "Closed",
        "Government inspection",
        closed.description,
        closed.location,
        closed.measures,
        closed.deadline.isoformat(),
        closed.original_deadline.isoformat(),
        str(found_at),
        str(closed_at),
        "No",
        "No",
        "No",
    ]
    assert second[0] == repeat.number
    assert second[5:7] == ["General", "To rectify"]
    assert second[14:] == ["", "Yes", "Yes", "Yes"]


def test_the_xlsx_has_english_or_chinese_headers_and_typed_cells(client, make_hazard, cast):
    hazard = make_hazard()
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("hazard_export_xlsx"), **EN)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"hazards-{timezone.localdate():%Y-%m-%d}.xlsx" in response["Content-Disposition"]
    header, row = xlsx_rows(response)
    assert list(header) == HEADERS
    assert row[0] == hazard.number and row[11].date() == hazard.deadline
    # The Chinese strings are translated later: for now only the shape of the header row.
    header, row = xlsx_rows(client.get(reverse("hazard_export_xlsx"), **ZH))
    assert len(header) == len(HEADERS) and all(header) and row[0] == hazard.number


@pytest.mark.parametrize("name", ["hazard_export_csv", "hazard_export_xlsx"])
@pytest.mark.parametrize("params", [{"found_to": "2026-13-45"}, {"region": "210200"}, {"sector": "nope"}])
def test_an_export_with_a_refused_filter_is_a_400_saying_why(client, spread, cast, name, params):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse(name), params, **EN)
    assert response.status_code == 400
    text = response.content.decode()
    assert "The filters are not valid." in text
    assert spread["zhongshan"].number not in text


@pytest.mark.parametrize("name", ["hazard_export_csv", "hazard_export_xlsx"])
def test_an_export_takes_as_many_queries_for_thirty_hazards_as_for_one(client, make_hazard, cast, name):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name), {"listed": "false"})
            assert response.status_code == 200
            b"".join(response.streaming_content)
        return len(captured)

    client.force_login(cast.shenyang_supervisor)
    make_hazard()
    few = queries()
    for _ in range(29):
        make_hazard()
    assert queries() == few
