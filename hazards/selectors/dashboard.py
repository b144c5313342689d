"""Reads of the supervisors' dashboard: where a region is behind, and who is responsible.

Every number comes from a set-based aggregate over `visible_to(user)` of the kept hazard counts or of the
hazards, a constant number of queries whatever the number of hazards or regions; each count carries a link
to the ledger filtered to exactly the hazards it counts.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazards.lib.calendar import local_today, months_back, quarter_start
from hazards.models import (
    ActiveHazardCount,
    Hazard,
    HazardLevel,
    HazardStatus,
    Region,
    RegionLevel,
    Sector,
    User,
)
from hazards.models.counts import COUNTERS, MonthlyHazardCount
from hazards.models.hazards import HazardQuerySet, overdue_q
from hazards.models.regions import PREFIX_LENGTH

OLDEST_MAJOR_SIZE = 10
TREND_MONTHS = 12
REGION_CODE = re.compile(r"[0-9]{6}")

# Days past the deadline: (key, label, first day, last day or None for open-ended).
AGE_BUCKETS = [
    ("age_1_7", _("1–7 days"), 1, 7),
    ("age_8_30", _("8–30 days"), 8, 30),
    ("age_31_90", _("31–90 days"), 31, 90),
    ("age_over_90", _("Over 90 days"), 91, None),
]


def ledger_url(**params: str | None) -> str:
    """The hazard ledger filtered by the given GET parameters (None values left out)."""
    query = urlencode({key: value for key, value in params.items() if value is not None})
    url = reverse("hazard_list")
    return f"{url}?{query}" if query else url


def can_view_dashboard(user: User) -> bool:
    return user.is_authenticated and user.is_active and (user.sees_everything or user.is_region_user)


def dashboard_region(user: User, code: str | None) -> Region | None:
    """The region the dashboard shows, or None for the whole country (an administrator, several provinces).

    Raises Region.DoesNotExist for a malformed code or a region outside the user's scope.
    """
    if code is None:
        if user.is_region_user:
            return user.region
        provinces = list(Region.objects.filter(level=RegionLevel.PROVINCE)[:2])
        return provinces[0] if len(provinces) == 1 else None
    if not REGION_CODE.fullmatch(code):
        raise Region.DoesNotExist(code)
    return Region.objects.visible_to(user).get(code=code)


@dataclass
class Figure:
    """One number on the dashboard and the ledger link to exactly the hazards it counts."""

    label: str
    value: int | float | None
    url: str
    alarm: bool = False  # a "dynamically zero" figure that is not zero
    suffix: str = ""


@dataclass
class GroupRow:
    key: str
    name: str
    url: str | None  # the group's own dashboard (child regions)
    open: Figure
    overdue: Figure
    major_open: Figure
    listed: Figure
    bar_percent: int = 0  # open, as a share of the largest open count of the table
    overdue_percent: int = 0


@dataclass
class OldestMajor:
    id: int
    number: str
    enterprise: str
    responsible_person: str
    deadline: datetime.date
    days_overdue: int


@dataclass
class Dashboard:
    region: Region | None
    today: datetime.date
    quarter_start: datetime.date
    year_start: datetime.date
    headline: dict[str, Figure]
    children: list[GroupRow]
    sectors: list[GroupRow]
    trend: dict
    ages: list[Figure]
    oldest_major: list[OldestMajor]
    breadcrumbs: list[Region] = field(default_factory=list)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


COUNTED = ("n_open", "n_overdue", "n_major_open", "n_major_overdue", *(key for key, *_rest in AGE_BUCKETS))


def _active_counts(counts: QuerySet, today: datetime.date) -> list[dict]:
    """The open hazards by region code and sector: open, overdue, major, and overdue by age (one query)."""
    open_ = Q(status=HazardStatus.OPEN)
    overdue = overdue_q(today)
    major = Q(level=HazardLevel.MAJOR)
    sums = {
        "n_open": open_,
        "n_overdue": overdue,
        "n_major_open": open_ & major,
        "n_major_overdue": overdue & major,
    }
    for key, _label, first, last in AGE_BUCKETS:
        sums[key] = open_ & Q(deadline__lte=today - datetime.timedelta(days=first))
        if last is not None:
            sums[key] &= Q(deadline__gte=today - datetime.timedelta(days=last))
    grouped = (
        counts.values("region__code", "sector_id")
        .annotate(**{name: Sum("hazards", filter=condition) for name, condition in sums.items()})
        .order_by()
    )
    return [{**row, **{name: row[name] or 0 for name in COUNTED}} for row in grouped]


def _listed_counts(hazards: HazardQuerySet) -> list[dict]:
    """The hazards listed for supervision (and not delisted) by region code and sector (one query)."""
    return list(
        hazards.listed().values("region__code", "sector_id").annotate(n_listed=Count("id")).order_by()
    )


def _add(rows: list[dict], key) -> dict[str, dict[str, int]]:
    """The rows' counters summed by key(row)."""
    totals: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys((*COUNTED, "n_listed"), 0))
    for row in rows:
        total = totals[key(row)]
        for name, value in row.items():
            if name in total:
                total[name] += value
    return totals


def _group_row(key: str, name: str, url: str | None, counts: dict, link: dict) -> GroupRow:
    return GroupRow(
        key=key,
        name=name,
        url=url,
        open=Figure(_("Open"), counts.get("n_open", 0), ledger_url(**link, status=HazardStatus.OPEN)),
        overdue=Figure(
            _("Overdue"),
            counts.get("n_overdue", 0),
            ledger_url(**link, status=HazardStatus.OPEN, overdue="true"),
            alarm=counts.get("n_overdue", 0) > 0,
        ),
        major_open=Figure(
            _("Major open"),
            counts.get("n_major_open", 0),
            ledger_url(**link, level=HazardLevel.MAJOR, status=HazardStatus.OPEN),
            alarm=counts.get("n_major_open", 0) > 0,
        ),
        listed=Figure(
            _("Listed"), counts.get("n_listed", 0), ledger_url(**link, status="all", listed="true")
        ),
    )


def _scale_bars(rows: list[GroupRow]) -> None:
    largest = max((row.open.value for row in rows), default=0)
    for row in rows:
        if largest:
            row.bar_percent = round(100 * row.open.value / largest)
            row.overdue_percent = round(100 * row.overdue.value / largest)


def dashboard(user: User, region: Region | None) -> Dashboard:
    """Every figure of the dashboard of a region (None: everything the user sees).

    The counts come from the count tables the lifecycle keeps (hazards.services.counts): the open hazards by
    deadline, and the hazards found and closed by month; the rest (listings, reviews waiting, the oldest
    major hazards) are small indexed reads of the hazards.
    """
    today = local_today()
    q_start = quarter_start(today)
    y_start = months_back(today, TREND_MONTHS - 1)

    hazards: HazardQuerySet = Hazard.objects.visible_to(user)
    active = ActiveHazardCount.objects.visible_to(user)
    monthly = MonthlyHazardCount.objects.visible_to(user)
    if region is not None:
        in_region = Q(region__code__startswith=region.code_prefix)
        hazards, active, monthly = (
            hazards.filter(in_region),
            active.filter(in_region),
            monthly.filter(in_region),
        )
    scope = {"region": region.code if region else None}

    by_group = [*_active_counts(active, today), *_listed_counts(hazards)]
    totals = _add(by_group, lambda row: "")[""]
    months = {
        row["month"]: row
        for row in monthly.filter(month__gte=y_start)
        .values("month")
        .annotate(**{name: Sum(name) for name in COUNTERS["monthly"]})
        .order_by()
    }
    year = {name: sum(row[name] for row in months.values()) for name in COUNTERS["monthly"]}
    quarter = {
        name: sum(row[name] for month, row in months.items() if month >= q_start)
        for name in COUNTERS["monthly"]
    }
    review_late = hazards.filter(review_late_condition()).count()

    closed_quarter_link = {
        "status": HazardStatus.CLOSED,
        "closed_from": q_start.isoformat(),
        "closed_to": today.isoformat(),
    }
    found_year_link = {"status": "all", "found_from": y_start.isoformat(), "found_to": today.isoformat()}
    groups = _group_row("", "", None, totals, scope)
    headline = {
        "open": groups.open,
        "overdue": groups.overdue,
        "major_open": groups.major_open,
        "major_overdue": Figure(
            _("Major overdue"),
            totals["n_major_overdue"],
            ledger_url(**scope, level=HazardLevel.MAJOR, status=HazardStatus.OPEN, overdue="true"),
            alarm=totals["n_major_overdue"] > 0,
        ),
        "listed": Figure(_("Listed for supervision"), totals["n_listed"], groups.listed.url),
        "closed_quarter": Figure(
            _("Closed this quarter"), quarter["closed"], ledger_url(**scope, **closed_quarter_link)
        ),
        "rectification_rate": Figure(
            _("Rectification rate, last 12 months"),
            _percent(year["found_closed"], year["found"] - year["found_void"]),
            ledger_url(**scope, **found_year_link),
            suffix="%",
        ),
        "on_time_rate": Figure(
            _("On-time rate this quarter"),
            _percent(quarter["closed_on_time"], quarter["closed"]),
            ledger_url(**scope, **closed_quarter_link),
            suffix="%",
        ),
        "review_late": Figure(
            _("Awaiting review past %(days)s days") % {"days": settings.NOTICES["review_days"]},
            review_late,
            ledger_url(**scope, status=HazardStatus.SUBMITTED, review_late="true"),
            alarm=review_late > 0,
        ),
    }
    age_figures = []
    for key, label, first, last in AGE_BUCKETS:
        deadlines = {"deadline_to": (today - datetime.timedelta(days=first)).isoformat()}
        if last is not None:
            deadlines["deadline_from"] = (today - datetime.timedelta(days=last)).isoformat()
        age_figures.append(
            Figure(
                label,
                totals[key],
                ledger_url(**scope, status=HazardStatus.OPEN, **deadlines),
                alarm=totals[key] > 0,
            )
        )

    return Dashboard(
        region=region,
        today=today,
        quarter_start=q_start,
        year_start=y_start,
        headline=headline,
        children=_children(by_group, region),
        sectors=_sectors(by_group, scope),
        trend=_trend(months, today),
        ages=age_figures,
        oldest_major=_oldest_major(hazards, today),
        breadcrumbs=_breadcrumbs(user, region),
    )


def _sum_months(rows: Iterable[dict]) -> dict[str, int]:
    rows = list(rows)
    return {name: sum(row[name] for row in rows) for name in COUNTERS["monthly"]}


def review_late_condition() -> Q:
    """Awaiting review longer than the review clock (NOTICES["review_days"]), as the notices count it."""
    review_before = timezone.now() - datetime.timedelta(days=settings.NOTICES["review_days"])
    return Q(status=HazardStatus.SUBMITTED, submitted_at__lt=review_before)


def _children(by_group: list[dict], region: Region | None) -> list[GroupRow]:
    """The direct children of the region, each with its counts (one query for the regions)."""
    if region is None:
        children = list(Region.objects.filter(level=RegionLevel.PROVINCE))
        child_level = RegionLevel.PROVINCE
    elif region.level == RegionLevel.COUNTY:
        return []
    else:
        children = list(region.children.order_by("code"))
        child_level = RegionLevel.CITY if region.level == RegionLevel.PROVINCE else RegionLevel.COUNTY
    length = PREFIX_LENGTH[child_level]
    counts = _add(by_group, lambda row: row["region__code"][:length])
    rows = [
        _group_row(
            child.code,
            child.name,
            reverse("dashboard_region", args=[child.code]),
            counts.get(child.code_prefix, {}),
            {"region": child.code},
        )
        for child in children
    ]
    _scale_bars(rows)
    return rows


def _sectors(by_group: list[dict], scope: dict) -> list[GroupRow]:
    """The sectors with open or listed hazards, most open first."""
    counts = {
        sector_id: row
        for sector_id, row in _add(by_group, lambda row: row["sector_id"]).items()
        if row["n_open"] or row["n_listed"]
    }
    sectors = Sector.objects.in_bulk(list(counts))
    rows = [
        _group_row(
            sectors[sector_id].code,
            sectors[sector_id].name,
            None,
            row,
            {**scope, "sector": sectors[sector_id].code},
        )
        for sector_id, row in counts.items()
    ]
    rows.sort(key=lambda row: (-row.open.value, -row.overdue.value, row.key))
    _scale_bars(rows)
    return rows


def _trend(months: dict[datetime.date, dict], today: datetime.date) -> dict:
    """Hazards found and closed per month of the last twelve, months in the local time zone."""
    labels = [months_back(today, back) for back in range(TREND_MONTHS - 1, -1, -1)]
    return {
        "labels": [month.strftime("%Y-%m") for month in labels],
        "found": [months[month]["found"] if month in months else 0 for month in labels],
        "closed": [months[month]["closed"] if month in months else 0 for month in labels],
        "found_label": str(_("Found")),
        "closed_label": str(_("Closed")),
    }


def _oldest_major(hazards: HazardQuerySet, today: datetime.date) -> list[OldestMajor]:
    rows = (
        hazards.overdue(today)
        .filter(level=HazardLevel.MAJOR)
        .order_by("deadline", "id")
        .values("id", "number", "enterprise__name", "responsible_person", "deadline")[:OLDEST_MAJOR_SIZE]
    )
    return [
        OldestMajor(
            id=row["id"],
            number=row["number"],
            enterprise=row["enterprise__name"],
            responsible_person=row["responsible_person"],
            deadline=row["deadline"],
            days_overdue=(today - row["deadline"]).days,
        )
        for row in rows
    ]


def _breadcrumbs(user: User, region: Region | None) -> list[Region]:
    """The viewed region's ancestors within the user's scope, from the top (one query)."""
    if region is None:
        return []
    codes = {region.code[:2] + "0000", region.code[:4] + "00"} - {region.code}
    return list(Region.objects.visible_to(user).filter(code__in=codes).order_by("code"))
