"""Reads of the rankings for the pages: every function takes the user and starts from visible_to(user)."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hazards.lib.contributions import RankingIndicator, registered
from hazards.lib.ranking import indicators
from hazards.models import EntryKind, ListMark, RankingDeduction, RankingEntry, RankingRun, User

INDICATOR_LABELS = {
    "found_by_departments": _("Hazards found by departments, per enterprise"),
    "self_found": _("Hazards found by the enterprises themselves, per enterprise"),
    "rectification_rate": _("Rectification rate"),
    "on_time_rate": _("On-time rate"),
    "overdue_at_end": _("Overdue at the quarter's end, per enterprise"),
    "major_closed_rate": _("Major hazards closed"),
    "listed_closed_rate": _("Listed hazards closed"),
    "repeat_share": _("Share of repeats"),
}


def indicator_label(key: str) -> str:
    """The indicator's label: the formula's own, or the one its app registered with it."""
    labels = {indicator.key: indicator.label for indicator in registered(RankingIndicator)}
    return INDICATOR_LABELS.get(key) or labels[key]


FLAG_LABELS = {
    "voided": _("hazards voided"),
    "found_again": _("closed and found again"),
    "downgraded": _("major hazards made general"),
}


@dataclass(frozen=True)
class IndicatorRow:
    key: str
    label: str
    weight: float
    part: float
    whole: float
    value: float | None
    normalised: float
    points: float
    lost: float


def explanation(entry: RankingEntry, run: RankingRun) -> list[IndicatorRow]:
    """Each indicator of the entry with its label and its run's weight, in the formula's order."""
    weights = run.configuration["weights"]
    return [
        IndicatorRow(key, indicator_label(key), weights[key], **entry.indicator(key))
        for key in (indicator.key for indicator in indicators())
    ]


# The orders the run page offers: key -> order_by.
ENTRY_ORDERS = {
    # Entries were written in the formula's order (equal scores by code), so the id breaks ties alike.
    "rank": ("rank", "id"),
    "-rank": ("-rank", "-id"),
    "score": ("score", "-id"),
    "-score": ("-score", "id"),
    "change": ("previous_rank", "rank", "id"),
}


def visible_runs(user: User) -> QuerySet:
    return RankingRun.objects.visible_to(user).select_related("scope", "published_by")


def deductions_of(user: User) -> QuerySet:
    """The deductions of the regions in a region user's scope, newest quarter first, by region code."""
    return (
        RankingDeduction.objects.filter(region__code__startswith=user.region.code_prefix)
        .select_related("region", "entered_by")
        .order_by("-year", "-quarter", "region__code")
    )


def run_of(user: User, run_id: int) -> RankingRun:
    """The run if the user may see it; RankingRun.DoesNotExist otherwise."""
    return visible_runs(user).get(pk=run_id)


@dataclass(frozen=True)
class RunPage:
    run: RankingRun
    regions: list[RankingEntry]  # in the chosen order
    ranked: list[RankingEntry]  # the same, by rank
    red: list[RankingEntry]
    black: list[RankingEntry]
    enterprises: list[RankingEntry]  # the best enterprises
    order: str


def run_page(user: User, run_id: int, *, order: str = "rank", enterprises: int = 20) -> RunPage:
    """The run with its regions in the chosen order and by rank, its lists, and the best enterprises.

    RankingRun.DoesNotExist outside the user's scope; an unknown order is the rank.
    """
    run = run_of(user, run_id)
    order = order if order in ENTRY_ORDERS else "rank"
    regions = list(
        run.entries.filter(kind=EntryKind.REGION).select_related("region").order_by(*ENTRY_ORDERS[order])
    )
    by_rank = sorted(regions, key=lambda entry: (entry.rank, entry.pk))
    ranked_enterprises = run.entries.filter(kind=EntryKind.ENTERPRISE).select_related("enterprise__region")
    return RunPage(
        run=run,
        regions=regions,
        ranked=by_rank,
        red=[entry for entry in by_rank if entry.mark == ListMark.RED],
        black=[entry for entry in by_rank if entry.mark == ListMark.BLACK],
        enterprises=list(ranked_enterprises.order_by("rank", "id")[:enterprises]),
        order=order,
    )


def export_headers() -> list[str]:
    """The columns of a run's workbook in the active language: the entry, then each indicator's points."""
    return [
        str(_("Kind")),
        str(_("Rank")),
        str(_("Name")),
        str(_("Code")),
        str(_("Region")),
        str(_("Score")),
        str(_("List")),
        str(_("Veto")),
        str(_("Rank last quarter")),
        *(str(indicator_label(indicator.key)) for indicator in indicators()),
    ]


def export_rows(run: RankingRun) -> Iterator[list]:
    """Every entry of the run, regions then enterprises by rank, read in chunks."""
    kinds, marks = dict(EntryKind.choices), dict(ListMark.choices)
    yes, no = str(_("Yes")), str(_("No"))
    formula = indicators()
    entries = run.entries.select_related("region", "enterprise__region").order_by("-kind", "rank", "id")
    for entry in entries.iterator(chunk_size=2000):
        if entry.region is not None:
            name, code, region = entry.region.name, entry.region.code, ""
        else:
            name, code, region = (
                entry.enterprise.name,
                entry.enterprise.credit_code,
                entry.enterprise.region.name,
            )
        yield [
            str(kinds[entry.kind]),
            entry.rank,
            name,
            code,
            region,
            round(entry.score, 2),
            str(marks[entry.mark]) if entry.mark else "",
            yes if entry.veto else no,
            entry.previous_rank,
            *(round(entry.indicator(indicator.key)["points"], 2) for indicator in formula),
        ]
