"""The glossary's rules: overdue, listed and on time say the same of a hazard in SQL and in memory, and the
portal's calendar gives today and the quarters in its own time zone."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Q
from django.utils import timezone

from hazards.lib.calendar import (
    local_midnight,
    local_today,
    months_back,
    previous_quarter,
    quarter_before,
    quarter_bounds,
    quarter_label,
    quarter_of,
    quarter_start,
)
from hazards.models import ActiveHazardCount, Hazard, HazardStatus
from hazards.models.hazards import listed_q, on_time_q, overdue_q
from tests.factories import HazardFactory, SupervisionListingFactory, in_status

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = datetime.timedelta(days=1)


def ids(condition: Q) -> set[int]:
    return set(Hazard.objects.filter(condition).values_list("pk", flat=True))


@pytest.fixture
def make(liaoning, cast):
    def make(**fields) -> Hazard:
        return HazardFactory(
            enterprise=liaoning.enterprises["heping"], found_by=cast.heping_inspector, **fields
        )

    return make


def test_overdue_is_open_with_the_deadline_over_before_today(make):
    today = local_today()
    hazards = {
        (status, offset): make(**in_status(status), deadline=today + offset * DAY)
        for status in HazardStatus.values
        for offset in (-3, -1, 0, 1)
    }
    overdue = {
        hazard.pk
        for (status, offset), hazard in hazards.items()
        if status == HazardStatus.OPEN and offset < 0
    }
    assert ids(overdue_q(today)) == overdue
    assert set(Hazard.objects.overdue().values_list("pk", flat=True)) == overdue
    assert {hazard.pk for hazard in hazards.values() if hazard.is_overdue} == overdue
    # The kept counts answer the same condition: what the dashboards and the ledger's tabs read.
    counted = ActiveHazardCount.objects.filter(overdue_q(today)).values_list("hazards", flat=True)
    assert sum(counted) == len(overdue)


def test_overdue_at_the_start_of_a_day_is_how_the_hazard_stood_then(make):
    """The statistics' "overdue at the quarter's end": later moves do not change what a hazard was then."""
    end = datetime.date(2025, 10, 1)
    then = local_midnight(end)
    found = then - 30 * DAY
    due = end - DAY
    open_then = make(found_at=found, deadline=due)
    closed_later = make(found_at=found, deadline=due, status=HazardStatus.CLOSED, closed_at=then + DAY)
    submitted_later = make(found_at=found, deadline=due, status=HazardStatus.SUBMITTED, submitted_at=then)
    make(found_at=found, deadline=due, status=HazardStatus.CLOSED, closed_at=then - DAY)  # rectified then
    make(found_at=found, deadline=due, status=HazardStatus.SUBMITTED, submitted_at=then - DAY)  # in review
    make(found_at=found, deadline=due, status=HazardStatus.VOID)  # logged in error
    make(found_at=found, deadline=end)  # its deadline's day not over then
    make(found_at=then, deadline=due)  # found afterwards
    assert ids(overdue_q(end, as_of_start=True)) == {open_then.pk, closed_later.pk, submitted_later.pk}


def test_listed_is_a_listing_not_delisted_and_in_a_period_one_that_overlaps_it(make):
    start, end = quarter_bounds(2025, 3)
    _unlisted, listed, delisted, listed_after, delisted_before = (make() for _ in range(5))
    for hazard, listed_at, delisted_at in (
        (listed, start - DAY, None),
        (delisted, start + DAY, start + 2 * DAY),
        (listed_after, end, None),
        (delisted_before, start - 3 * DAY, start - DAY),
    ):
        SupervisionListingFactory(hazard=hazard, listed_at=listed_at, delisted_at=delisted_at)
    assert ids(listed_q()) == {listed.pk, listed_after.pk}
    assert set(Hazard.objects.listed().values_list("pk", flat=True)) == {listed.pk, listed_after.pk}
    assert {h.pk for h in Hazard.objects.all() if h.is_listed} == {listed.pk, listed_after.pk}
    assert ids(listed_q(during=(start, end))) == {listed.pk, delisted.pk}


def test_on_time_is_closed_from_a_submission_made_by_the_deadline_in_local_days(make):
    deadline = datetime.date(2026, 3, 31)
    late_evening = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=SHANGHAI)  # 15:30 UTC: the deadline's day
    past_midnight = datetime.datetime(2026, 4, 1, 0, 30, tzinfo=SHANGHAI)  # 16:30 UTC, still 31 March there
    closed = {"status": HazardStatus.CLOSED, "closed_at": past_midnight + DAY, "deadline": deadline}
    on_time = make(submitted_at=late_evening, **closed)
    make(submitted_at=past_midnight, **closed)  # a day late in Shanghai
    make(submitted_at=None, **closed)  # closed without a submission
    make(status=HazardStatus.SUBMITTED, submitted_at=late_evening, deadline=deadline)  # not closed yet
    assert ids(on_time_q()) == {on_time.pk}
    assert set(Hazard.objects.on_time().values_list("pk", flat=True)) == {on_time.pk}
    assert {h.pk for h in Hazard.objects.all() if h.is_on_time} == {on_time.pk}


def test_today_is_the_date_in_the_portal_time_zone_even_where_another_is_active(monkeypatch):
    # 16:30 UTC on 31 March is 00:30 on 1 April in Shanghai.
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 3, 31, 16, 30, tzinfo=datetime.UTC))
    with timezone.override("UTC"):
        assert local_today() == datetime.date(2026, 4, 1)
        assert local_midnight(datetime.date(2026, 4, 1)) == datetime.datetime(2026, 4, 1, tzinfo=SHANGHAI)
        assert quarter_of(local_today()) == (2026, 2)


@pytest.mark.parametrize(
    ("day", "quarter", "before", "start"),
    [
        (datetime.date(2026, 1, 1), (2026, 1), (2025, 4), datetime.date(2026, 1, 1)),
        (datetime.date(2026, 5, 31), (2026, 2), (2026, 1), datetime.date(2026, 4, 1)),
        (datetime.date(2026, 9, 30), (2026, 3), (2026, 2), datetime.date(2026, 7, 1)),
        (datetime.date(2026, 12, 31), (2026, 4), (2026, 3), datetime.date(2026, 10, 1)),
    ],
)
def test_the_quarter_of_a_day_the_one_before_and_its_first_day(day, quarter, before, start):
    assert quarter_of(day) == quarter
    assert quarter_before(*quarter) == before == previous_quarter(day)
    assert quarter_start(day) == start


def test_a_quarter_reads_as_people_write_it_in_each_language():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert quarter_label(2026, 3) == "2026年第3季度"
    with translation.override("en"):
        assert quarter_label(2026, 3) == "2026 Q3"


@pytest.mark.django_db
def test_the_admin_and_the_audit_name_a_ranking_and_a_report_by_their_quarter_in_chinese(cast):
    from django.utils import translation

    from hazards.models import RankingDeduction

    deduction = RankingDeduction(region=cast.liaoning.shenyang, year=2026, quarter=3, accidents=1, deaths=0)
    with translation.override("zh-hans"):
        assert str(deduction) == "2026年第3季度 沈阳市 (210100): 1 / 0"


def test_months_back_are_first_days_of_months_across_a_year():
    assert months_back(datetime.date(2026, 3, 15), 0) == datetime.date(2026, 3, 1)
    assert months_back(datetime.date(2026, 3, 15), 3) == datetime.date(2025, 12, 1)
    assert months_back(datetime.date(2026, 3, 15), 14) == datetime.date(2025, 1, 1)
