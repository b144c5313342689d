"""Chinese working days: official holidays and make-up days count as the calendar says."""

import datetime
import logging

from hazards.lib.calendar import add_working_days, is_working_day, working_days_between

D = datetime.date


def test_national_day_is_a_holiday_and_its_saturday_make_up_day_is_a_working_day():
    assert not is_working_day(D(2026, 10, 5))  # a Monday in the National Day holiday
    assert is_working_day(D(2026, 10, 10))  # a Saturday worked in exchange
    assert is_working_day(D(2026, 2, 14))  # a Saturday worked for the Spring Festival
    assert not is_working_day(D(2026, 9, 25))  # the Mid-Autumn Festival, a Friday


def test_working_days_across_national_day_count_the_calendar_not_monday_to_friday():
    # From Monday 14 September to Thursday 15 October 2026: Monday to Friday would count 23.
    assert working_days_between(D(2026, 9, 14), D(2026, 10, 15)) == 19
    assert working_days_between(D(2026, 9, 14), D(2026, 10, 16)) == 20


def test_no_working_days_when_the_end_is_not_after_the_start():
    assert working_days_between(D(2026, 10, 16), D(2026, 10, 16)) == 0
    assert working_days_between(D(2026, 10, 16), D(2026, 10, 1)) == 0


def test_adding_working_days_skips_the_holiday():
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)


def test_a_year_without_an_official_calendar_counts_monday_to_friday_and_says_so(caplog):
    with caplog.at_level(logging.WARNING, logger="hazards.lib.calendar"):
        assert is_working_day(D(2031, 1, 6))  # a Monday
        assert not is_working_day(D(2031, 1, 4))  # a Saturday
    assert "2031" in caplog.text
