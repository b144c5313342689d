"""A hand-counted set of hazards across the four Liaoning counties, for the dashboard's figures."""

import datetime

import pytest
from django.utils import timezone

from hazards.lib.calendar import local_midnight, quarter_start
from hazards.models import Hazard
from tests.factories import (
    HazardFactory,
)

DAY = datetime.timedelta(days=1)


@pytest.fixture
def review_days(settings) -> int:
    settings.NOTICES = {**settings.NOTICES, "review_days": 10}
    return 10


@pytest.fixture
def make(liaoning, cast):
    """A hazard at the county's enterprise, with the factory's traits (major=True, listed=True...)."""

    def make(county: str, **fields) -> Hazard:
        return HazardFactory(
            enterprise=liaoning.enterprises[county], found_by=cast.heping_inspector, **fields
        )

    return make


@pytest.fixture
def ledger(make, review_days) -> dict[str, Hazard]:
    """Thirteen hazards; the comments give what each one counts towards (T = today, N = now)."""
    today, now = timezone.localdate(), timezone.now()
    return {
        # 和平区 (沈阳)
        "h1": make("heping", deadline=today + 10 * DAY),  # open
        "h2": make("heping", deadline=today - 3 * DAY),  # overdue 1–7
        "h3": make("heping", major=True, deadline=today - 40 * DAY, listed=True),  # major overdue 31–90
        "h4": make(  # closed this quarter, on time
            "heping", closed=True, deadline=today + 5 * DAY, submitted_at=now - DAY, closed_at=now
        ),
        # 沈河区 (沈阳)
        "h5": make(  # major overdue over 90, found ~200 days ago
            "shenhe", major=True, deadline=today - 100 * DAY, found_at=now - 200 * DAY
        ),
        "h6": make(  # closed this quarter, late; its listing was lifted
            "shenhe",
            closed=True,
            major=True,
            deadline=today - 5 * DAY,
            submitted_at=now,
            closed_at=now,
            listed=True,
            listing__listed_at=now - 2 * DAY,
            listing__delisted_at=now - DAY,
        ),
        "h7": make("shenhe", submitted=True, submitted_at=now - 15 * DAY),  # review late
        # 中山区 (大连)
        "h8": make("zhongshan", deadline=today - 8 * DAY),  # overdue 8–30
        "h9": make("zhongshan", void=True),  # void
        "h10": make(  # closed last quarter, found over a year ago
            "zhongshan",
            closed=True,
            found_at=now - 400 * DAY,
            closed_at=local_midnight(quarter_start(today)) - DAY,
        ),
        "h11": make("zhongshan", submitted=True, submitted_at=now - DAY),  # review in time
        # 西岗区 (大连)
        "h12": make("xigang", major=True, deadline=today + 20 * DAY, listed=True),  # major open, listed
        "h13": make("xigang", closed=True, closed_at=now),  # closed this quarter without a submission
    }
