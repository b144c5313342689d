"""Keeping the hazard counts (hazards.models.counts) equal to the hazards they count.

Every lifecycle service that creates a hazard or changes what is counted (status, deadline, closing) calls
`counts_follow(hazard)` around the change, in its transaction: the hazard's share of the counts before and
after is compared, and only the difference is added, by upserts in a fixed order (no deadlocks between two
moves). Bulk writers (the benchmark's generator, a restore) call `counts_rebuild()` afterwards.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hazards.models import Hazard, HazardStatus
from hazards.models.counts import ACTIVE_STATUSES, COUNT_MODELS, COUNTERS, KEYS
from hazards.models.hazards import on_time_q

# A count row: the name of its kind (a key of COUNT_MODELS) and its key (the values of KEYS[kind]).
CountKey = tuple[str, tuple]
KINDS = ("active", "monthly")  # the order in which a move updates them (and keys sorted): no deadlock


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of the moment's month in the portal's time zone."""
    return timezone.localdate(moment).replace(day=1)


@dataclass(frozen=True)
class Share:
    """What one hazard adds to the counts."""

    region_id: int
    sector_id: int
    level: str
    status: str
    deadline: datetime.date
    found_month: datetime.date
    closed_month: datetime.date | None
    on_time: bool

    @classmethod
    def of(cls, hazard: Hazard) -> "Share":
        closed = hazard.status == HazardStatus.CLOSED
        return cls(
            region_id=hazard.region_id,
            sector_id=hazard.sector_id,
            level=hazard.level,
            status=hazard.status,
            deadline=hazard.deadline,
            found_month=month_of(hazard.found_at),
            closed_month=month_of(hazard.closed_at) if closed else None,
            on_time=hazard.is_on_time,
        )

    def rows(self) -> dict[CountKey, Counter]:
        group = (self.region_id, self.sector_id, self.level)
        rows: dict[CountKey, Counter] = defaultdict(Counter)
        if self.status in ACTIVE_STATUSES:
            rows["active", (*group, self.status, self.deadline)]["hazards"] += 1
        found = rows["monthly", (*group, self.found_month)]
        found["found"] += 1
        found["found_closed"] += self.status == HazardStatus.CLOSED
        found["found_void"] += self.status == HazardStatus.VOID
        if self.closed_month is not None:
            closed = rows["monthly", (*group, self.closed_month)]
            closed["closed"] += 1
            closed["closed_on_time"] += self.on_time
        return rows


def _difference(before: Share | None, after: Share | None) -> dict[CountKey, dict[str, int]]:
    """after's rows less before's, without the counters that do not change."""
    change: dict[CountKey, Counter] = defaultdict(Counter)
    for share, sign in ((before, -1), (after, 1)):
        for key, counters in (share.rows() if share else {}).items():
            for name, value in counters.items():
                change[key][name] += sign * value
    return _nonzero(change)


def _nonzero(rows: dict[CountKey, Counter]) -> dict[CountKey, dict[str, int]]:
    """The rows without their zero counters, and without the rows left with none."""
    kept = {key: {name: value for name, value in counters.items() if value} for key, counters in rows.items()}
    return {key: counters for key, counters in kept.items() if counters}


def _upsert(kind: str, rows: list[tuple[tuple, dict[str, int]]]) -> None:
    """Add the deltas to the count rows, creating a row where its key is new."""
    quote = connection.ops.quote_name
    model = COUNT_MODELS[kind]
    table = model._meta.db_table
    keys = [model._meta.get_field(name.removesuffix("_id")).column for name in KEYS[kind]]
    counters = COUNTERS[kind]
    columns = ", ".join(quote(column) for column in (*keys, *counters))
    placeholders = ", ".join(["%s"] * (len(keys) + len(counters)))
    updates = ", ".join(f"{quote(c)} = {quote(table)}.{quote(c)} + excluded.{quote(c)}" for c in counters)
    sql = (
        f"INSERT INTO {quote(table)} ({columns}) VALUES ({placeholders}) "
        f"ON CONFLICT ({', '.join(quote(k) for k in keys)}) DO UPDATE SET {updates}"  # nosec B608 # names from the models, quoted; values are parameters
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*key, *(deltas.get(c, 0) for c in counters)) for key, deltas in rows])


def counts_apply(before: Share | None, after: Share | None) -> None:
    """Move the counts from one share of a hazard to another (None: the hazard was not counted)."""
    change = _difference(before, after)
    for kind in KINDS:
        rows = sorted((key, deltas) for (k, key), deltas in change.items() if k == kind)
        if rows:
            _upsert(kind, rows)


def counts_add(hazard: Hazard) -> None:
    """Count a hazard just written (logging; tests and fixtures that write hazards directly)."""
    counts_apply(None, Share.of(hazard))


@contextmanager
def counts_follow(hazard: Hazard) -> Iterator[None]:
    """Around a change of a counted hazard (already locked): the counts follow what the change did."""
    before = Share.of(hazard)
    yield
    counts_apply(before, Share.of(hazard))


# --- Recounting ------------------------------------------------------------------------------------------


def counted_rows(hazards=Hazard) -> dict[CountKey, dict[str, int]]:
    """Every count row as a fresh count over the hazard table gives it (three grouped queries).

    hazards is the Hazard model (a migration passes its historical one).
    """
    rows: dict[CountKey, Counter] = defaultdict(Counter)
    group = ("region_id", "sector_id", "level")

    def add(kind: str, grouped, names: tuple[str, ...]) -> None:
        for row in grouped.order_by():
            counters = rows[kind, tuple(row[k] for k in KEYS[kind])]
            for name in names:
                counters[name] += row[name]

    active = hazards.objects.filter(status__in=ACTIVE_STATUSES).values(*group, "status", "deadline")
    add("active", active.annotate(hazards=Count("id")), COUNTERS["active"])
    found = hazards.objects.annotate(month=TruncMonth("found_at", output_field=DateField()))
    add(
        "monthly",
        found.values(*group, "month").annotate(
            found=Count("id"),
            found_closed=Count("id", filter=Q(status=HazardStatus.CLOSED)),
            found_void=Count("id", filter=Q(status=HazardStatus.VOID)),
        ),
        ("found", "found_closed", "found_void"),
    )
    closed = hazards.objects.filter(status=HazardStatus.CLOSED).annotate(
        month=TruncMonth("closed_at", output_field=DateField())
    )
    add(
        "monthly",
        closed.values(*group, "month").annotate(
            closed=Count("id"), closed_on_time=Count("id", filter=on_time_q())
        ),
        ("closed", "closed_on_time"),
    )
    return _nonzero(rows)


def stored_rows() -> dict[CountKey, dict[str, int]]:
    """Every count row as stored, without the rows and counters that are zero."""
    rows = {}
    for kind in KINDS:
        width = len(KEYS[kind])
        stored = COUNT_MODELS[kind].objects.values_list(*KEYS[kind], *COUNTERS[kind])
        for values in stored.iterator(chunk_size=5000):
            counters = {n: v for n, v in zip(COUNTERS[kind], values[width:], strict=True) if v}
            if counters:
                rows[kind, tuple(values[:width])] = counters
    return rows


def counts_differences() -> list[str]:
    """Where the stored counts differ from a fresh count, one line each (none when they are equal)."""
    stored, counted = stored_rows(), counted_rows()
    lines = []
    for key in sorted(stored.keys() | counted.keys()):
        if stored.get(key, {}) != counted.get(key, {}):
            kind, values = key
            lines.append(
                f"{kind} {dict(zip(KEYS[kind], values, strict=True))}: "
                f"stored {stored.get(key, {})}, counted {counted.get(key, {})}"
            )
    return lines


@transaction.atomic
def counts_rebuild(models: dict[str, type] = COUNT_MODELS, hazards=Hazard) -> int:
    """Recount every count row from the hazards (after a bulk load or a restore); the number of rows.

    models and hazards are the count models and the Hazard model (a migration passes its historical ones).
    """
    if connection.vendor == "postgresql":
        # Moves wait until the recount is written; one under way is waited for, and its hazard seen.
        tables = ", ".join(model._meta.db_table for model in models.values())
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
    for model in models.values():
        model.objects.all().delete()
    objects = defaultdict(list)
    for (kind, key), counters in counted_rows(hazards).items():
        objects[kind].append(models[kind](**dict(zip(KEYS[kind], key, strict=True)), **counters))
    for kind, rows in objects.items():
        models[kind].objects.bulk_create(rows, batch_size=5000)
    return sum(len(rows) for rows in objects.values())
