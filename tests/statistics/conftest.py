"""A hand-counted quarter (2025 Q3, Asia/Shanghai) at two Liaoning enterprises."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from hazards.models import Hazard, HazardSource
from tests.factories import (
    HazardFactory,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR, QUARTER = 2025, 3


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """A moment in Shanghai local time (the portal's TIME_ZONE)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def shanghai(settings):
    settings.TIME_ZONE = "Asia/Shanghai"


@pytest.fixture
def make(liaoning, cast):
    def make(county: str, found_at: datetime.datetime, deadline: datetime.date, **fields) -> Hazard:
        """A hazard at the county's enterprise, found then and due that day; the factory's traits."""
        return HazardFactory(
            enterprise=liaoning.enterprises[county],
            found_by=cast.heping_inspector,
            found_at=found_at,
            original_deadline=deadline,
            deadline=deadline,
            **fields,
        )

    return make


@pytest.fixture
def quarter(make) -> dict[str, Hazard]:
    """The comments give what each hazard counts towards in 2025 Q3 ([Jul 1, Oct 1) Shanghai time)."""
    gov = HazardSource.GOVERNMENT_INSPECTION
    d = datetime.date
    return {
        # 和平区: found 3 general + 1 major (2 by government inspection, 1 by self-inspection, 1 reported);
        # rectified 1 + 1; unrectified 3; overdue 3.
        "a": make("heping", at(2025, 7, 1, 0, 30), d(2025, 8, 1), source=gov),  # found, unrectified, overdue
        "b": make(  # found the quarter before (23:30 local is 15:30 UTC); rectified general
            "heping",
            at(2025, 6, 30, 23, 30),
            d(2025, 7, 15),
            source=gov,
            closed=True,
            closed_at=at(2025, 7, 10),
        ),
        "c": make(  # found major by self-inspection, rectified in the quarter
            "heping",
            at(2025, 8, 5),
            d(2025, 9, 30),
            major=True,
            source=HazardSource.SELF_INSPECTION,
            closed=True,
            closed_at=at(2025, 9, 20),
        ),
        "d": make(  # found on the last evening, closed after the quarter: unrectified, overdue
            "heping",
            at(2025, 9, 30, 23, 30),
            d(2025, 9, 30),
            source=HazardSource.REPORT,
            closed=True,
            closed_at=at(2025, 10, 2),
        ),
        "e": make(  # found in a campaign, then void (logged in error): in no figure
            "heping",
            at(2025, 8, 1),
            d(2025, 8, 20),
            source=HazardSource.SPECIAL_CAMPAIGN,
            void=True,
        ),
        "s": make(  # past its deadline, but awaiting review at the quarter's end: unrectified, not overdue
            "heping",
            at(2025, 7, 2),
            d(2025, 8, 1),
            source=gov,
            submitted=True,
            submitted_at=at(2025, 9, 1),
        ),
        "f": make("heping", at(2025, 10, 1, 0, 0), d(2025, 10, 20), source=gov),  # next quarter: nothing
        "g": make("heping", at(2025, 5, 1), d(2025, 6, 1), source=gov),  # found before, still open: overdue
        "h": make(
            "heping", at(2025, 5, 1), d(2025, 10, 1), source=gov
        ),  # deadline after the quarter: nothing
        "i": make(  # closed before the quarter: nothing
            "heping", at(2025, 4, 1), d(2025, 5, 1), source=gov, closed=True, closed_at=at(2025, 6, 30, 23)
        ),
        # 西岗区: found 1 general, by government inspection; unrectified 1.
        "x": make("xigang", at(2025, 8, 10), d(2025, 12, 1), source=gov),
    }


HEPING = {
    "found_general": 3,
    "found_major": 1,
    "found_government": 2,
    "found_self": 1,
    "found_report": 1,
    "found_campaign": 0,
    "rectified_general": 1,
    "rectified_major": 1,
    "unrectified": 3,
    "overdue": 3,
}
XIGANG = {
    "found_general": 1,
    "found_major": 0,
    "found_government": 1,
    "found_self": 0,
    "found_report": 0,
    "found_campaign": 0,
    "rectified_general": 0,
    "rectified_major": 0,
    "unrectified": 1,
    "overdue": 0,
}
ZERO = dict.fromkeys(HEPING, 0)


@pytest.fixture
def client():
    """A browser that asks for English, the language these tests read the pages in."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")
