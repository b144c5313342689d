"""Chinese working days: official holidays and make-up working days from the chinese-calendar package.

For a year the package does not know yet it falls back to Monday to Friday, and says so in the log.
"""

import datetime
import logging

import chinese_calendar

logger = logging.getLogger(__name__)
_warned_years: set[int] = set()


def is_working_day(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning(
                "No official calendar for %s yet: counting Monday to Friday as working days.", day.year
            )
        return day.weekday() < 5


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The working days after `start` up to and including `end` (0 when end is not after start)."""
    count = 0
    day = start + datetime.timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += datetime.timedelta(days=1)
    return count


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start`."""
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        days -= is_working_day(day)
    return day


def subtract_working_days(end: datetime.date, days: int) -> datetime.date:
    """The date `days` working days before `end`."""
    day = end
    while days > 0:
        day -= datetime.timedelta(days=1)
        days -= is_working_day(day)
    return day
