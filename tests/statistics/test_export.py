"""The CSV export of a quarter's statistics: the user's scope, the figures, a bad choice."""

import csv
import io

import pytest
from django.urls import reverse

from hazards.models import QuarterlyStatistics
from hazards.services.statistics import quarterly_statistics_confirm, quarterly_statistics_generate
from tests.statistics.conftest import HEPING, QUARTER, XIGANG, YEAR

pytestmark = pytest.mark.django_db
PERIOD = {"year": YEAR, "quarter": QUARTER}


@pytest.fixture
def generated(liaoning, quarter, cast) -> None:
    quarterly_statistics_generate(year=YEAR, quarter=QUARTER)
    report = QuarterlyStatistics.objects.get(enterprise=liaoning.enterprises["heping"])
    quarterly_statistics_confirm(actor=cast.heping_staff, statistics_id=report.pk, principal_name="张三")


def rows_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def test_it_exports_the_rows_of_the_scope(client, cast, liaoning, generated):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("statistics_export_csv"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="quarterly-statistics-2025-Q3.csv"' in response["Content-Disposition"]
    header, *rows = rows_of(response)
    assert header[:3] == ["Year", "Quarter", "Region code"]
    assert header[-2:] == ["Confirmed at", "Principal person"]
    assert [row[2] for row in rows] == ["210102", "210103"]
    heping = rows[0]
    assert heping[4] == liaoning.enterprises["heping"].name
    assert [int(cell) for cell in heping[7:17]] == list(HEPING.values())
    assert heping[-1] == "张三" and heping[-2]
    assert rows[1][-2:] == ["", ""]


def test_a_dalian_supervisor_exports_only_dalian(client, cast, generated):
    client.force_login(cast.dalian_supervisor)
    _header, *rows = rows_of(client.get(reverse("statistics_export_csv"), PERIOD))
    assert [row[2] for row in rows] == ["210202", "210203"]
    assert [int(cell) for cell in rows[1][7:17]] == list(XIGANG.values())


def test_an_enterprise_exports_its_own_row(client, cast, liaoning, generated):
    client.force_login(cast.xigang_staff)
    _header, *rows = rows_of(client.get(reverse("statistics_export_csv"), PERIOD))
    assert [row[4] for row in rows] == [liaoning.enterprises["xigang"].name]


def test_a_bad_choice_is_refused_with_a_message(client, cast, generated):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("statistics_export_csv"), {"year": "x", "quarter": "9"})
    assert response.status_code == 302
    assert response.url == reverse("statistics")


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(reverse("statistics_export_csv"), PERIOD)
    assert response.status_code == 302
