"""The portal's calendar: today, days, months and quarters in settings.TIME_ZONE, and Chinese working days.

Today and a day's midnight are in settings.TIME_ZONE whatever time zone a request has activated, so a
worker, a page and the API agree on the date. Working days are the official holidays and make-up working
days of the chinese-calendar package; for a year the package does not know yet it falls back to Monday to
Friday, and says so in the log.
"""

import datetime
import logging

import chinese_calendar
from django.utils import timezone
from django.utils.translation import gettext

logger = logging.getLogger(__name__)
_warned_years: set[int] = set()


# --- Days -----------------------------------------------------------------------------------------------


def local_today() -> datetime.date:
    """Today in settings.TIME_ZONE (a worker or a request in another zone gets the same date)."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The moment the day begins in settings.TIME_ZONE: a day as a range of moments starts here."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


def months_back(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


# --- Quarters -------------------------------------------------------------------------------------------


def quarter_label(year: int, quarter: int) -> str:
    """A quarter as people write it, in the active language: 2026年第3季度, 2026 Q3."""
    return gettext("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}


def quarter_of(day: datetime.date) -> tuple[int, int]:
    """The quarter the day is in: (year, quarter)."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_before(year: int, quarter: int) -> tuple[int, int]:
    """The quarter before the given one: (year, quarter)."""
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def previous_quarter(today: datetime.date) -> tuple[int, int]:
    """The last quarter that has ended on `today`: (year, quarter)."""
    return quarter_before(*quarter_of(today))


def quarter_dates(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """The quarter's first day and the first day after it."""
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return start, end


def quarter_start(day: datetime.date) -> datetime.date:
    """The first day of the quarter the day is in."""
    return quarter_dates(*quarter_of(day))[0]


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The quarter as [start, end): midnights in settings.TIME_ZONE."""
    start, end = quarter_dates(year, quarter)
    return local_midnight(start), local_midnight(end)


# --- Working days ---------------------------------------------------------------------------------------


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
