"""Computing a ranking run: the indicators counted with set-based SQL, scored by the formula, stored.

One grouped query per table (hazards, their void events, enterprises, deductions) and one per count that an
app above hazards adds (the inspections) give every enterprise's counts; the regions' counts are their
enterprises' summed by region code prefix. A run is computed in one transaction: a draft computed again is
replaced whole, a published run is refused, and a run killed halfway leaves what was there before.
"""

import csv
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, JSONField, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.lib.calendar import local_today, quarter_before, quarter_bounds, quarter_dates
from hazards.lib.contributions import RankingIndicator, registered
from hazards.lib.errors import RuleViolation
from hazards.lib.ranking import Measure, Scored, Unit, indicators, score_units
from hazards.models import (
    Enterprise,
    EnterpriseStatus,
    EntryKind,
    EventKind,
    Hazard,
    HazardEvent,
    HazardLevel,
    HazardSource,
    HazardStatus,
    RankingConfiguration,
    RankingDeduction,
    RankingEntry,
    RankingRun,
    Region,
    RegionLevel,
)
from hazards.models.hazards import listed_q, on_time_q
from hazards.models.regions import PREFIX_LENGTH
from hazards.services.statistics import FIRST_YEAR, quarter_conditions

QUARTER = re.compile(r"(?P<year>[0-9]{4})Q(?P<quarter>[1-4])")
# The counts of one unit, from which its measures are made (with those of the registered indicators).
COUNTED = (
    "found",
    "found_by_departments",
    "self_found",
    "repeats",
    "due",
    "rectified",
    "on_time",
    "overdue",
    "major_closed",
    "major_open",
    "listed",
    "listed_closed",
    "found_again",
    "voided",
    "downgraded",
)
ENTRY_BATCH = 5000
# Anti-gaming flags of an entry: counts that a supervisor should look at beside the score.
FLAGS = ("voided", "found_again", "downgraded")


def parse_quarter(text: str) -> tuple[int, int]:
    """A quarter written as 2026Q3; RuleViolation for another form, an unknown year or a quarter not begun."""
    match = QUARTER.fullmatch((text or "").strip().upper())
    if not match:
        raise RuleViolation(_("Write the quarter as a year and its number, e.g. 2026Q3."), field="quarter")
    year, quarter = int(match["year"]), int(match["quarter"])
    if year < FIRST_YEAR:
        raise RuleViolation(_("There is no ranking before %(year)s.") % {"year": FIRST_YEAR}, field="quarter")
    if quarter_dates(year, quarter)[0] > local_today():
        raise RuleViolation(_("This quarter has not begun yet."), field="quarter")
    return year, quarter


def check_scope(scope: Region) -> None:
    if scope.level == RegionLevel.COUNTY:
        raise RuleViolation(
            _("A ranking ranks the regions under a province or a city; a county has none."), field="scope"
        )


@dataclass(frozen=True)
class Units:
    """The counts of every ranked region and enterprise of a scope for a quarter."""

    regions: dict[int, Counter]
    enterprises: dict[int, Counter]
    enterprises_per_region: dict[int, int]
    keys: dict[tuple[str, int], str]  # the unit's code (region) or credit code (enterprise): the tie-break
    deductions: dict[int, tuple[int, int, bool]]  # accidents, deaths, veto


def count_units(year: int, quarter: int, scope: Region) -> Units:
    """Every enterprise's counts in the scope, and its child regions' sums (four grouped queries, and one for
    each registered indicator)."""
    start_at, end_at = quarter_bounds(year, quarter)
    q = quarter_conditions(year, quarter)
    in_scope = Q(region__code__startswith=scope.code_prefix)
    not_void = ~Q(status=HazardStatus.VOID)
    major = Q(level=HazardLevel.MAJOR)
    listed = listed_q(during=(start_at, end_at))  # at some time in the quarter
    conditions = {
        "found": q.found,
        "found_by_departments": q.found
        & Q(source__in=[HazardSource.GOVERNMENT_INSPECTION, HazardSource.SPECIAL_CAMPAIGN]),
        "self_found": q.found & Q(source=HazardSource.SELF_INSPECTION),
        "repeats": q.found & Q(repeat_of__isnull=False),
        # To rectify during the quarter: found before its end, not closed before its start.
        "due": not_void
        & Q(found_at__lt=end_at)
        & (~Q(status=HazardStatus.CLOSED) | Q(closed_at__gte=start_at)),
        "rectified": q.closed_in,
        "on_time": q.closed_in & on_time_q(),
        "overdue": q.overdue,
        "major_closed": q.closed_in & major,
        "major_open": q.open_at_end & major & Q(found_at__lt=end_at),
        "listed": not_void & listed,
        "listed_closed": q.closed_in & listed,
        # Closed and found again within the quarter: a repeat of a hazard closed in it.
        "found_again": q.found
        & Q(
            repeat_of__status=HazardStatus.CLOSED,
            repeat_of__closed_at__gte=start_at,
            repeat_of__closed_at__lt=end_at,
        ),
    }
    counts: dict[int, Counter] = defaultdict(Counter)
    hazards = (
        Hazard.objects.filter(in_scope)
        .filter(q.found | conditions["due"])
        .values("enterprise_id")
        .annotate(**{name: Count("id", filter=condition) for name, condition in conditions.items()})
        .order_by()
    )
    for row in hazards:
        counts[row.pop("enterprise_id")].update(row)
    # The anti-gaming flags from the timeline: hazards voided, and major hazards made general, in the quarter.
    events = (
        HazardEvent.objects.filter(
            kind__in=[EventKind.VOIDED, EventKind.RECLASSIFIED],
            created_at__gte=start_at,
            created_at__lt=end_at,
            hazard__region__code__startswith=scope.code_prefix,
        )
        .values("hazard__enterprise_id")
        .annotate(
            voided=Count("id", filter=Q(kind=EventKind.VOIDED)),
            downgraded=Count("id", filter=Q(kind=EventKind.RECLASSIFIED, data__to_level=HazardLevel.GENERAL)),
        )
        .order_by()
    )
    for row in events:
        counts[row.pop("hazard__enterprise_id")].update(row)
    # What the apps above hazards count per enterprise for their indicators (the inspections, for one).
    for indicator in registered(RankingIndicator):
        for enterprise_id, count in indicator.count(start_at, end_at, scope.code_prefix):
            counts[enterprise_id][indicator.key] += count

    keys: dict[tuple[str, int], str] = {}
    children = {}
    for child in Region.objects.filter(parent=scope):
        children[child.code_prefix] = child.pk
        keys[EntryKind.REGION, child.pk] = child.code
    length = PREFIX_LENGTH[RegionLevel.CITY if scope.level == RegionLevel.PROVINCE else RegionLevel.COUNTY]
    regions: dict[int, Counter] = {pk: Counter() for pk in children.values()}
    enterprises_per_region: Counter = Counter()
    enterprises: dict[int, Counter] = {}
    supervised = (
        Enterprise.objects.filter(in_scope)
        .exclude(status=EnterpriseStatus.CLOSED)
        .values_list("pk", "region__code", "credit_code")
        .order_by("pk")
    )
    for enterprise_id, code, credit_code in supervised.iterator(chunk_size=5000):
        enterprises[enterprise_id] = counts.get(enterprise_id, Counter())
        keys[EntryKind.ENTERPRISE, enterprise_id] = credit_code
        child = children.get(code[:length])
        if child is not None:
            regions[child].update(enterprises[enterprise_id])
            enterprises_per_region[child] += 1

    deductions: dict[int, tuple[int, int, bool]] = {}
    for row in RankingDeduction.objects.filter(
        year=year, quarter=quarter, region__code__startswith=scope.code_prefix
    ).values("region__code", "accidents", "deaths", "veto"):
        child = children.get(row["region__code"][:length])
        if child is not None:
            accidents, deaths, veto = deductions.get(child, (0, 0, False))
            deductions[child] = (accidents + row["accidents"], deaths + row["deaths"], veto or row["veto"])
    return Units(regions, enterprises, dict(enterprises_per_region), keys, deductions)


def measures_of(counts: Counter, enterprises: int) -> dict[str, Measure]:
    """The formula's measures of a unit, in its order, from its counts and enterprises under supervision."""
    c = counts
    measures = {
        "found_by_departments": Measure(c["found_by_departments"], enterprises),
        "self_found": Measure(c["self_found"], enterprises),
        "rectification_rate": Measure(c["rectified"], c["due"]),
        "on_time_rate": Measure(c["on_time"], c["rectified"]),
        "overdue_at_end": Measure(c["overdue"], enterprises),
        "major_closed_rate": Measure(c["major_closed"], c["major_closed"] + c["major_open"]),
        "listed_closed_rate": Measure(c["listed_closed"], c["listed"]),
        "repeat_share": Measure(c["repeats"], c["found"]),
    }
    for indicator in registered(RankingIndicator):  # a count per enterprise
        measures[indicator.key] = Measure(c[indicator.key], enterprises)
    return {indicator.key: measures[indicator.key] for indicator in indicators()}


def _previous_ranks(year: int, quarter: int, scope: Region) -> dict[tuple[str, int], int]:
    previous = quarter_before(year, quarter)
    entries = RankingEntry.objects.filter(run__year=previous[0], run__quarter=previous[1], run__scope=scope)
    return {
        (kind, region_id or enterprise_id): rank
        for kind, region_id, enterprise_id, rank in entries.values_list(
            "kind", "region_id", "enterprise_id", "rank"
        )
    }


def _explanation(scored: Scored, measures: dict[str, Measure]) -> dict[str, list]:
    """Each indicator's numbers in the order of EXPLANATION."""

    values, normalised, points, lost = scored.values, scored.normalised, scored.points, scored.lost
    return {
        key: [measure.part, measure.whole, values[key], normalised[key], points[key], lost[key]]
        for key, measure in measures.items()
    }


def _entry(run: RankingRun, kind: str, unit_id: int, scored: Scored, measures, flags, previous) -> dict:
    """The entry's columns by attribute name."""
    return {
        "run_id": run.pk,
        "kind": kind,
        "region_id": unit_id if kind == EntryKind.REGION else None,
        "enterprise_id": unit_id if kind == EntryKind.ENTERPRISE else None,
        "explanation": _explanation(scored, measures),
        "flags": flags,
        "deduction_points": scored.deduction_points,
        "veto": scored.veto,
        "score": scored.score,
        "rank": scored.rank,
        "mark": scored.mark,
        "costliest": scored.costliest,
        "previous_rank": previous.get((kind, unit_id)),
    }


@transaction.atomic
def ranking_compute(*, year: int, quarter: int, scope: Region) -> RankingRun:
    """Compute the run of the quarter and scope; a draft is replaced, a published run refused."""
    check_scope(scope)
    run = RankingRun.objects.select_for_update().filter(year=year, quarter=quarter, scope=scope).first()
    if run is not None and run.is_published:
        raise RuleViolation(
            _("The ranking of %(year)sQ%(quarter)s is published; it is never changed.")
            % {"year": year, "quarter": quarter}
        )
    configuration = RankingConfiguration.current().snapshot()
    now = timezone.now()
    if run is None:
        run = RankingRun.objects.create(
            year=year, quarter=quarter, scope=scope, configuration=configuration, computed_at=now
        )
    else:
        run.entries.all().delete()
        run.configuration, run.computed_at = configuration, now
        run.save(update_fields=["configuration", "computed_at"])

    units = count_units(year, quarter, scope)
    previous = _previous_ranks(year, quarter, scope)
    settings = {"prior_strength": configuration["prior_strength"], "list_size": configuration["list_size"]}
    for kind, unit_counts in ((EntryKind.REGION, units.regions), (EntryKind.ENTERPRISE, units.enterprises)):
        ranked, ids = [], {}
        for unit_id, counts in unit_counts.items():
            key = units.keys[kind, unit_id]
            ids[key] = unit_id
            if kind == EntryKind.REGION:
                measures = measures_of(counts, units.enterprises_per_region.get(unit_id, 0))
                accidents, deaths, veto = units.deductions.get(unit_id, (0, 0, False))
                points = accidents * configuration["accident_points"] + deaths * configuration["death_points"]
            else:
                measures, points, veto = measures_of(counts, 1), 0.0, False
            ranked.append(Unit(key, measures, deduction_points=points, veto=veto))
        scored = score_units(ranked, configuration["weights"], **settings) if ranked else []
        measures_by_key = {unit.key: unit.measures for unit in ranked}
        del ranked
        # Written a batch at a time, so a province's 100,000 enterprises never sit in memory as models.
        for start in range(0, len(scored), ENTRY_BATCH):
            batch = []
            for entry in scored[start : start + ENTRY_BATCH]:
                unit_id = ids[entry.key]
                flags = {name: unit_counts[unit_id][name] for name in FLAGS if unit_counts[unit_id][name]}
                batch.append(_entry(run, kind, unit_id, entry, measures_by_key[entry.key], flags, previous))
            _write_entries(batch)
    return run


def _write_entries(entries: list[dict]) -> None:
    """Insert the entries (columns by attribute name): with COPY on PostgreSQL, where building models and
    Django's INSERT cost several seconds at a province's 100,000 enterprises; elsewhere with bulk_create."""
    if connection.vendor != "postgresql":
        RankingEntry.objects.bulk_create([RankingEntry(**entry) for entry in entries])
        return
    fields = [field for field in RankingEntry._meta.concrete_fields if not field.primary_key]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for entry in entries:
        writer.writerow([_copy_text(field, entry[field.attname]) for field in fields])
    buffer.seek(0)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(  # the driver's cursor: Django's wrapper has no COPY
            f"COPY {quote(RankingEntry._meta.db_table)} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )


def _copy_text(field, value) -> str:
    if value is None:
        return "\\N"
    if isinstance(field, JSONField):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)
