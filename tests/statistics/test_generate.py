"""Generating the quarterly statistics: the hand-counted quarter, reruns, and confirmed reports left alone."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hazards.lib.calendar import previous_quarter, quarter_bounds
from hazards.lib.errors import RuleViolation
from hazards.models import QuarterlyStatistics
from hazards.models.statistics import COUNT_FIELDS
from hazards.services.statistics import quarterly_statistics_confirm, quarterly_statistics_generate
from tests.statistics.conftest import HEPING, QUARTER, XIGANG, YEAR, ZERO, at

pytestmark = pytest.mark.django_db


def figures(enterprise) -> dict:
    row = QuarterlyStatistics.objects.get(enterprise=enterprise, year=YEAR, quarter=QUARTER)
    return {name: getattr(row, name) for name in COUNT_FIELDS}


def test_it_counts_the_hand_made_quarter(liaoning, quarter):
    assert quarterly_statistics_generate(year=YEAR, quarter=QUARTER) == 4
    assert figures(liaoning.enterprises["heping"]) == HEPING
    assert figures(liaoning.enterprises["xigang"]) == XIGANG
    assert figures(liaoning.enterprises["shenhe"]) == ZERO
    assert figures(liaoning.enterprises["zhongshan"]) == ZERO


def test_it_copies_the_region_and_sector_of_the_enterprise(liaoning, quarter):
    quarterly_statistics_generate(year=YEAR, quarter=QUARTER)
    heping = liaoning.enterprises["heping"]
    row = QuarterlyStatistics.objects.get(enterprise=heping)
    assert (row.region, row.sector) == (heping.region, heping.sector)
    assert row.found == 4 and row.rectified == 2
    assert row.generated_at is not None and not row.is_confirmed


def test_it_counts_nothing_in_the_neighbouring_quarters_that_belongs_to_this_one(liaoning, quarter):
    quarterly_statistics_generate(year=YEAR, quarter=4)
    heping = QuarterlyStatistics.objects.get(enterprise=liaoning.enterprises["heping"], quarter=4)
    # Q4: f found and still open; d rectified (closed Oct 2).
    assert heping.found_general == 1
    assert heping.rectified_general == 1
    assert heping.unrectified == 1
    assert heping.overdue == 4  # a, f, g and h: still open at the year's end, their deadlines past


def test_a_rerun_gives_the_same_rows(liaoning, quarter):
    quarterly_statistics_generate(year=YEAR, quarter=QUARTER)
    first = {
        row.enterprise_id: (row.pk, figures(row.enterprise)) for row in QuarterlyStatistics.objects.all()
    }
    assert quarterly_statistics_generate(year=YEAR, quarter=QUARTER) == 4
    again = {
        row.enterprise_id: (row.pk, figures(row.enterprise)) for row in QuarterlyStatistics.objects.all()
    }
    assert again == first
    assert QuarterlyStatistics.objects.count() == 4


def test_a_rerun_picks_up_what_changed(liaoning, quarter, make):
    quarterly_statistics_generate(year=YEAR, quarter=QUARTER)
    make("xigang", at(2025, 9, 1), datetime.date(2025, 9, 2))
    quarterly_statistics_generate(year=YEAR, quarter=QUARTER)
    assert figures(liaoning.enterprises["xigang"]) == {
        **XIGANG,
        "found_general": 2,
        "found_government": 2,
        "unrectified": 2,
        "overdue": 1,
    }


def test_a_confirmed_report_is_not_overwritten(liaoning, quarter, make, cast):
    quarterly_statistics_generate(year=YEAR, quarter=QUARTER)
    row = QuarterlyStatistics.objects.get(enterprise=liaoning.enterprises["heping"])
    quarterly_statistics_confirm(actor=cast.heping_staff, statistics_id=row.pk, principal_name="张三")
    confirmed = QuarterlyStatistics.objects.get(pk=row.pk)
    make("heping", at(2025, 9, 1), datetime.date(2025, 9, 2))
    make("xigang", at(2025, 9, 1), datetime.date(2025, 9, 2))

    assert quarterly_statistics_generate(year=YEAR, quarter=QUARTER) == 3

    after = QuarterlyStatistics.objects.get(pk=row.pk)
    assert figures(after.enterprise) == HEPING
    assert (after.generated_at, after.confirmed_at, after.principal_name) == (
        confirmed.generated_at,
        confirmed.confirmed_at,
        "张三",
    )
    assert figures(liaoning.enterprises["xigang"])["found_general"] == 2


def test_the_number_of_queries_does_not_grow_with_the_enterprises(liaoning, quarter):
    with CaptureQueriesContext(connection) as few:
        quarterly_statistics_generate(year=YEAR, quarter=QUARTER)
    from tests.factories import EnterpriseFactory

    for _ in range(5):
        EnterpriseFactory(region=liaoning.counties["shenhe"])
    with CaptureQueriesContext(connection) as more:
        quarterly_statistics_generate(year=YEAR, quarter=QUARTER)
    assert len(more) == len(few)


@pytest.mark.parametrize("quarter_number", [0, 5])
def test_a_quarter_out_of_range_is_refused(db, quarter_number):
    with pytest.raises(RuleViolation):
        quarterly_statistics_generate(year=YEAR, quarter=quarter_number)


def test_the_bounds_are_midnights_in_the_portal_time_zone():
    start, end = quarter_bounds(2025, 3)
    assert start == at(2025, 7, 1, 0, 0) and end == at(2025, 10, 1, 0, 0)
    assert start.astimezone(datetime.UTC).isoformat() == "2025-06-30T16:00:00+00:00"
    assert quarter_bounds(2025, 4)[1] == at(2026, 1, 1, 0, 0)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 1, 1), (2025, 4)),
        (datetime.date(2026, 3, 31), (2025, 4)),
        (datetime.date(2026, 4, 1), (2026, 1)),
        (datetime.date(2026, 7, 15), (2026, 2)),
        (datetime.date(2026, 10, 1), (2026, 3)),
        (datetime.date(2026, 12, 31), (2026, 3)),
    ],
)
def test_previous_quarter_is_the_last_that_ended(today, expected):
    assert previous_quarter(today) == expected
