"""Quarterly hazard statistics: generating every enterprise's report, confirming one, and reading them.

A report is owed by the 15th of the month after each quarter. The quarter's bounds are midnights in
settings.TIME_ZONE, whatever time zone a request has activated (hazards.lib.calendar).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.lib.calendar import quarter_bounds, quarter_dates
from hazards.lib.errors import ActionNotPermitted, RuleViolation
from hazards.models import (
    Enterprise,
    Hazard,
    HazardLevel,
    HazardSource,
    HazardStatus,
    QuarterlyStatistics,
    Region,
    RegionLevel,
    User,
)
from hazards.models.hazards import overdue_q, unrectified_q
from hazards.models.regions import PREFIX_LENGTH
from hazards.models.statistics import COUNT_FIELDS, QuarterlyStatisticsQuerySet

FIRST_YEAR = 2000


@dataclass(frozen=True)
class QuarterConditions:
    """What a hazard was in a quarter, as conditions on the hazard table (shared with the ranking)."""

    found: Q  # found in the quarter (a void hazard, logged in error, was never a hazard)
    closed_in: Q  # closed in the quarter
    open_at_end: Q  # not rectified when the quarter ended: not void, and not closed before its end
    overdue: Q  # open at the end, its deadline's day over by then, and not waiting for review then


def quarter_conditions(year: int, quarter: int) -> QuarterConditions:
    start_at, end_at = quarter_bounds(year, quarter)
    _start, end = quarter_dates(year, quarter)
    return QuarterConditions(
        found=Q(found_at__gte=start_at, found_at__lt=end_at) & ~Q(status=HazardStatus.VOID),
        closed_in=Q(status=HazardStatus.CLOSED, closed_at__gte=start_at, closed_at__lt=end_at),
        open_at_end=unrectified_q(end_at),
        overdue=overdue_q(end, as_of_start=True),
    )


def _counts(year: int, quarter: int) -> dict:
    """Conditional counts per enterprise for the quarter, in one grouped query over the relevant hazards."""
    q = quarter_conditions(year, quarter)
    found, closed_in, open_at_end, overdue = q.found, q.closed_in, q.open_at_end, q.overdue
    general, major = Q(level=HazardLevel.GENERAL), Q(level=HazardLevel.MAJOR)
    rows = (
        Hazard.objects.filter(found | closed_in | overdue)
        .values("enterprise")
        .annotate(
            found_general=Count("id", filter=found & general),
            found_major=Count("id", filter=found & major),
            found_government=Count("id", filter=found & Q(source=HazardSource.GOVERNMENT_INSPECTION)),
            found_self=Count("id", filter=found & Q(source=HazardSource.SELF_INSPECTION)),
            found_report=Count("id", filter=found & Q(source=HazardSource.REPORT)),
            found_campaign=Count("id", filter=found & Q(source=HazardSource.SPECIAL_CAMPAIGN)),
            rectified_general=Count("id", filter=closed_in & general),
            rectified_major=Count("id", filter=closed_in & major),
            unrectified=Count("id", filter=found & open_at_end),
            overdue=Count("id", filter=overdue),
        )
        .order_by()
    )
    return {row.pop("enterprise"): row for row in rows}


def quarterly_statistics_generate(*, year: int, quarter: int) -> int:
    """Compute every enterprise's report for the quarter and upsert it; returns the rows written.

    Rerunning gives the same rows. A confirmed report is left as the enterprise confirmed it: the quarter's
    rows are locked first, so a confirmation waits for the run and the run never overwrites one.
    """
    if quarter not in (1, 2, 3, 4):
        raise RuleViolation(_("A quarter is 1, 2, 3 or 4."), field="quarter")
    now = timezone.now()
    with transaction.atomic():
        # Every row of the quarter is locked, not only the confirmed ones, so none is confirmed meanwhile.
        existing = QuarterlyStatistics.objects.of_quarter(year, quarter).select_for_update()
        confirmed = {
            enterprise_id
            for enterprise_id, confirmed_at in existing.values_list("enterprise_id", "confirmed_at")
            if confirmed_at is not None
        }
        counts = _counts(year, quarter)
        empty = dict.fromkeys(COUNT_FIELDS, 0)
        rows = [
            QuarterlyStatistics(
                enterprise_id=enterprise["id"],
                year=year,
                quarter=quarter,
                region_id=enterprise["region_id"],
                sector_id=enterprise["sector_id"],
                generated_at=now,
                **counts.get(enterprise["id"], empty),
            )
            for enterprise in Enterprise.objects.order_by("id").values("id", "region_id", "sector_id")
            if enterprise["id"] not in confirmed
        ]
        QuarterlyStatistics.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["enterprise", "year", "quarter"],
            update_fields=["region", "sector", "generated_at", *COUNT_FIELDS],
        )
    return len(rows)


def quarterly_statistics_confirm(
    *, actor: User, statistics_id: int, principal_name: str
) -> QuarterlyStatistics:
    """The enterprise confirms its report with its principal's name; a report is confirmed once.

    Raises QuarterlyStatistics.DoesNotExist for a report outside the actor's scope.
    """
    name = (principal_name or "").strip()
    with transaction.atomic():
        statistics = QuarterlyStatistics.objects.visible_to(actor).select_for_update().get(pk=statistics_id)
        if not actor.is_enterprise_user or actor.enterprise_id != statistics.enterprise_id:
            raise ActionNotPermitted(_("Only the enterprise itself confirms its quarterly statistics."))
        if statistics.is_confirmed:
            raise RuleViolation(
                _("These statistics were already confirmed on %(date)s by %(name)s.")
                % {
                    "date": timezone.localtime(statistics.confirmed_at).strftime("%Y-%m-%d %H:%M"),
                    "name": statistics.principal_name,
                }
            )
        if not name:
            raise RuleViolation(_("Enter the name of the principal person."), field="principal_name")
        max_length = QuarterlyStatistics._meta.get_field("principal_name").max_length
        if len(name) > max_length:
            raise RuleViolation(
                _("A name has at most %(count)s characters.") % {"count": max_length},
                field="principal_name",
            )
        statistics.principal_name = name
        statistics.confirmed_by = actor
        statistics.confirmed_at = timezone.now()
        statistics.save(update_fields=["principal_name", "confirmed_by", "confirmed_at"])
    return statistics


# Reads of the statistics pages and the export.


def statistics_of_quarter(user: User, year: int, quarter: int) -> QuarterlyStatisticsQuerySet:
    """The reports of the quarter in the user's scope, by region and enterprise."""
    return (
        QuarterlyStatistics.objects.visible_to(user)
        .of_quarter(year, quarter)
        .select_related("enterprise", "region", "sector", "confirmed_by")
        .order_by("region__code", "enterprise__name", "id")
    )


def _sums() -> dict:
    return {
        **{field: Sum(field, default=0) for field in COUNT_FIELDS},
        "enterprises": Count("id"),
        "confirmed": Count("id", filter=Q(confirmed_at__isnull=False)),
    }


@dataclass
class RollupRow:
    code: str
    name: str
    sums: dict

    @property
    def found(self) -> int:
        return self.sums["found_general"] + self.sums["found_major"]

    @property
    def rectified(self) -> int:
        return self.sums["rectified_general"] + self.sums["rectified_major"]


def rollup_region(user: User) -> Region | None:
    """The region whose children the roll-up lists: the user's own, or None for the whole country."""
    return user.region if user.is_region_user else None


def statistics_rollup(
    statistics: QuarterlyStatisticsQuerySet, region: Region | None
) -> tuple[list[RollupRow], RollupRow]:
    """Sums per direct child region of `region` (one grouped query) and the total (one aggregate)."""
    total = RollupRow("", str(_("Total")), statistics.aggregate(**_sums()))
    if region is None:
        children = list(Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code"))
        child_level = RegionLevel.PROVINCE
    elif region.level == RegionLevel.COUNTY:
        return [], total
    else:
        children = list(region.children.order_by("code"))
        child_level = RegionLevel.CITY if region.level == RegionLevel.PROVINCE else RegionLevel.COUNTY
    length = PREFIX_LENGTH[child_level]
    grouped = {
        row.pop("prefix"): row
        for row in statistics.annotate(prefix=Substr("region__code", 1, length))
        .values("prefix")
        .annotate(**_sums())
        .order_by()
    }
    empty = {**dict.fromkeys(COUNT_FIELDS, 0), "enterprises": 0, "confirmed": 0}
    rows = [RollupRow(child.code, child.name, grouped.get(child.code_prefix, empty)) for child in children]
    return rows, total
