"""The beat entry and the task: on the first day of a quarter, the quarter that ended."""

import datetime

import pytest
from django.conf import settings

from hazards import tasks
from hazards.models import QuarterlyStatistics
from tests.statistics.conftest import HEPING, at


def test_beat_runs_it_on_the_first_day_of_each_quarter_at_one():
    entry = settings.CELERY_BEAT_SCHEDULE["generate-quarterly-statistics"]
    assert entry["task"] == "hazards.generate_quarterly_statistics"
    schedule = entry["schedule"]
    assert schedule.month_of_year == {1, 4, 7, 10}
    assert schedule.day_of_month == {1}
    assert (schedule.hour, schedule.minute) == ({1}, {0})
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE


@pytest.mark.django_db
def test_the_task_computes_the_quarter_that_ended(liaoning, quarter, monkeypatch):
    monkeypatch.setattr(tasks, "local_today", lambda: datetime.date(2025, 10, 1))
    result = tasks.generate_quarterly_statistics.apply().get()
    assert result == {"year": 2025, "quarter": 3, "rows": 4}
    row = QuarterlyStatistics.objects.get(enterprise=liaoning.enterprises["heping"])
    assert (row.year, row.quarter, row.found_general, row.overdue) == (2025, 3, HEPING["found_general"], 3)


def test_today_is_taken_in_the_portal_time_zone(monkeypatch):
    from django.utils import timezone

    from hazards.lib import calendar

    # 17:00 UTC on Sep 30 is already Oct 1 in Shanghai: the quarter has ended there.
    monkeypatch.setattr(timezone, "now", lambda: at(2025, 10, 1, 1, 0).astimezone(datetime.UTC))
    assert calendar.local_today() == datetime.date(2025, 10, 1)
    assert calendar.previous_quarter(calendar.local_today()) == (2025, 3)
