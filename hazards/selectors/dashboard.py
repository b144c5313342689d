"""Reads of the supervisors' dashboard: where a region is behind, and who is responsible.

Every number comes from a set-based aggregate over `visible_to(user)`, a constant number of queries
whatever the number of hazards or regions; each number carries a link to the ledger filtered to it.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import Substr, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazards.models import Hazard, HazardLevel, HazardStatus, Region, RegionLevel, Sector, User
from hazards.models.hazards import HazardQuerySet
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


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def months_back(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


ACTIVE_LISTING = Q(listing__isnull=False, listing__delisted_at__isnull=True)


def _group_counts(today: datetime.date) -> dict[str, Count]:
    open_ = Q(status=HazardStatus.OPEN)
    overdue = open_ & Q(deadline__lt=today)
    major = Q(level=HazardLevel.MAJOR)
    return {
        "n_open": Count("id", filter=open_),
        "n_overdue": Count("id", filter=overdue),
        "n_major_open": Count("id", filter=open_ & major),
        "n_listed": Count("id", filter=ACTIVE_LISTING),
    }


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
    """Every figure of the dashboard of a region (None: everything the user sees)."""
    today = timezone.localdate()
    now = timezone.now()
    q_start = quarter_start(today)
    y_start = months_back(today, TREND_MONTHS - 1)
    q_start_at, y_start_at = local_midnight(q_start), local_midnight(y_start)
    review_before = now - datetime.timedelta(days=settings.NOTICES["review_days"])

    hazards: HazardQuerySet = Hazard.objects.visible_to(user)
    if region is not None:
        hazards = hazards.filter(region__code__startswith=region.code_prefix)
    scope = {"region": region.code if region else None}

    open_ = Q(status=HazardStatus.OPEN)
    overdue = open_ & Q(deadline__lt=today)
    major = Q(level=HazardLevel.MAJOR)
    closed_quarter = Q(status=HazardStatus.CLOSED, closed_at__gte=q_start_at)
    found_year = Q(found_at__gte=y_start_at)
    ages = {}
    for key, _label, first, last in AGE_BUCKETS:
        condition = open_ & Q(deadline__lte=today - datetime.timedelta(days=first))
        if last is not None:
            condition &= Q(deadline__gte=today - datetime.timedelta(days=last))
        ages[key] = Count("id", filter=condition)

    totals = hazards.aggregate(
        **_group_counts(today),
        n_major_overdue=Count("id", filter=overdue & major),
        n_closed_quarter=Count("id", filter=closed_quarter),
        # Closed from a submission made by the deadline in force (the local date of the submission).
        n_on_time=Count("id", filter=closed_quarter & Q(submitted_at__date__lte=F("deadline"))),
        n_found_year=Count("id", filter=found_year),
        n_void_year=Count("id", filter=found_year & Q(status=HazardStatus.VOID)),
        n_closed_year=Count("id", filter=found_year & Q(status=HazardStatus.CLOSED)),
        n_review_late=Count("id", filter=Q(status=HazardStatus.SUBMITTED, submitted_at__lt=review_before)),
        **ages,
    )

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
            _("Closed this quarter"), totals["n_closed_quarter"], ledger_url(**scope, **closed_quarter_link)
        ),
        "rectification_rate": Figure(
            _("Rectification rate, last 12 months"),
            _percent(totals["n_closed_year"], totals["n_found_year"] - totals["n_void_year"]),
            ledger_url(**scope, **found_year_link),
            suffix="%",
        ),
        "on_time_rate": Figure(
            _("On-time rate this quarter"),
            _percent(totals["n_on_time"], totals["n_closed_quarter"]),
            ledger_url(**scope, **closed_quarter_link),
            suffix="%",
        ),
        "review_late": Figure(
            _("Awaiting review past %(days)s days") % {"days": settings.NOTICES["review_days"]},
            totals["n_review_late"],
            ledger_url(**scope, status=HazardStatus.SUBMITTED),
            alarm=totals["n_review_late"] > 0,
        ),
    }
    age_figures = [
        Figure(
            label,
            totals[key],
            ledger_url(**scope, status=HazardStatus.OPEN, overdue="true"),
            alarm=totals[key] > 0,
        )
        for key, label, _first, _last in AGE_BUCKETS
    ]

    return Dashboard(
        region=region,
        today=today,
        quarter_start=q_start,
        year_start=y_start,
        headline=headline,
        children=_children(hazards, region, today),
        sectors=_sectors(hazards, scope, today),
        trend=_trend(hazards, y_start, y_start_at, today),
        ages=age_figures,
        oldest_major=_oldest_major(hazards, today),
        breadcrumbs=_breadcrumbs(user, region),
    )


def _children(hazards: HazardQuerySet, region: Region | None, today: datetime.date) -> list[GroupRow]:
    """The direct children of the region, each with its counts (one query for the regions, one for counts)."""
    if region is None:
        children = list(Region.objects.filter(level=RegionLevel.PROVINCE))
        child_level = RegionLevel.PROVINCE
    elif region.level == RegionLevel.COUNTY:
        return []
    else:
        children = list(region.children.order_by("code"))
        child_level = RegionLevel.CITY if region.level == RegionLevel.PROVINCE else RegionLevel.COUNTY
    if not children:
        return []
    length = PREFIX_LENGTH[child_level]
    counts = {
        row["child_prefix"]: row
        for row in hazards.filter(open_or_listed())
        .annotate(child_prefix=Substr("region__code", 1, length))
        .values("child_prefix")
        .annotate(**_group_counts(today))
        .order_by()
    }
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


def open_or_listed() -> Q:
    return Q(status=HazardStatus.OPEN) | ACTIVE_LISTING


def _sectors(hazards: HazardQuerySet, scope: dict, today: datetime.date) -> list[GroupRow]:
    """The sectors with open or listed hazards, most open first."""
    grouped = list(
        hazards.filter(open_or_listed()).values("sector_id").annotate(**_group_counts(today)).order_by()
    )
    sectors = Sector.objects.in_bulk([row["sector_id"] for row in grouped])
    rows = [
        _group_row(
            sectors[row["sector_id"]].code,
            sectors[row["sector_id"]].name,
            None,
            row,
            {**scope, "sector": sectors[row["sector_id"]].code},
        )
        for row in grouped
    ]
    rows.sort(key=lambda row: (-row.open.value, -row.overdue.value, row.key))
    _scale_bars(rows)
    return rows


def _trend(
    hazards: HazardQuerySet, start: datetime.date, start_at: datetime.datetime, today: datetime.date
) -> dict:
    """Hazards found and closed per month of the last twelve, months in the local time zone."""
    found = {
        row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]: row["n"]
        for row in hazards.filter(found_at__gte=start_at)
        .annotate(month=TruncMonth("found_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    }
    closed = {
        row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]: row["n"]
        for row in hazards.filter(status=HazardStatus.CLOSED, closed_at__gte=start_at)
        .annotate(month=TruncMonth("closed_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    }
    months = [months_back(today, back) for back in range(TREND_MONTHS - 1, -1, -1)]
    return {
        "labels": [month.strftime("%Y-%m") for month in months],
        "found": [found.get(month, 0) for month in months],
        "closed": [closed.get(month, 0) for month in months],
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
