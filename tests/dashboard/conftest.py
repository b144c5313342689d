"""A hand-counted set of hazards across the four Liaoning counties, for the dashboard's figures."""

import datetime

import pytest
from django.utils import timezone

from hazards.lib.calendar import local_midnight, quarter_start
from hazards.models import Hazard, HazardLevel, HazardStatus, SupervisionListing
from tests.factories import (
    HazardFactory,
    major_criterion,
)

DAY = datetime.timedelta(days=1)


@pytest.fixture
def review_days(settings) -> int:
    settings.NOTICES = {**settings.NOTICES, "review_days": 10}
    return 10


@pytest.fixture
def make(liaoning, cast):
    def make(
        county: str, status=HazardStatus.OPEN, level=HazardLevel.GENERAL, listed=None, **fields
    ) -> Hazard:
        if level == HazardLevel.MAJOR:
            fields.setdefault("criterion", major_criterion())
        hazard = HazardFactory(
            enterprise=liaoning.enterprises[county],
            found_by=cast.heping_inspector,
            status=status,
            level=level,
            **fields,
        )
        if listed is not None:
            now = timezone.now()
            SupervisionListing.objects.create(
                hazard=hazard,
                authority="辽宁省应急管理厅",
                listed_by=cast.admin,
                listed_at=now - 2 * DAY,
                delisted_at=None if listed == "active" else now - DAY,
            )
        return hazard

    return make


@pytest.fixture
def ledger(make, review_days) -> dict[str, Hazard]:
    """Thirteen hazards; the comments give what each one counts towards (T = today, N = now)."""
    today, now = timezone.localdate(), timezone.now()
    closed = HazardStatus.CLOSED
    major = HazardLevel.MAJOR
    return {
        # 和平区 (沈阳)
        "h1": make("heping", deadline=today + 10 * DAY),  # open
        "h2": make("heping", deadline=today - 3 * DAY),  # overdue 1–7
        "h3": make("heping", level=major, deadline=today - 40 * DAY, listed="active"),  # major overdue 31–90
        "h4": make(  # closed this quarter, on time
            "heping", status=closed, deadline=today + 5 * DAY, submitted_at=now - DAY, closed_at=now
        ),
        # 沈河区 (沈阳)
        "h5": make(  # major overdue over 90, found ~200 days ago
            "shenhe", level=major, deadline=today - 100 * DAY, found_at=now - 200 * DAY
        ),
        "h6": make(  # closed this quarter, late; its listing was lifted
            "shenhe",
            status=closed,
            level=major,
            deadline=today - 5 * DAY,
            submitted_at=now,
            closed_at=now,
            listed="lifted",
        ),
        "h7": make("shenhe", status=HazardStatus.SUBMITTED, submitted_at=now - 15 * DAY),  # review late
        # 中山区 (大连)
        "h8": make("zhongshan", deadline=today - 8 * DAY),  # overdue 8–30
        "h9": make("zhongshan", status=HazardStatus.VOID),  # void
        "h10": make(  # closed last quarter, found over a year ago
            "zhongshan",
            status=closed,
            found_at=now - 400 * DAY,
            closed_at=local_midnight(quarter_start(today)) - DAY,
        ),
        "h11": make("zhongshan", status=HazardStatus.SUBMITTED, submitted_at=now - DAY),  # review in time
        # 西岗区 (大连)
        "h12": make("xigang", level=major, deadline=today + 20 * DAY, listed="active"),  # major open, listed
        "h13": make("xigang", status=closed, closed_at=now),  # closed this quarter without a submission
    }
