"""The quarterly "horse race" (赛马) score: indicators of the ranked units in, scores, ranks and lists out.

Pure arithmetic, no database: the indicators are counted elsewhere (set-based SQL), and this module is the
formula that docs/ranking.md writes in plain words. Every number of an entry can be explained from it:
each indicator's value, its normalised value, the points it brought and the points it cost.

- A count indicator is divided by the unit's enterprises under supervision, so a big region is not favoured.
- A rate indicator (x of n) is shrunk toward the rate of all units together: (x + k·m) / (n + k), k being
  the prior strength, so a unit with three hazards cannot top the list by luck.
- Each indicator is normalised across the units to 0..1 by min-max (1 the best, whichever the direction);
  when all units are equal, each gets 0.5 and the indicator moves no one.
- score = 100 · Σ w·v / Σ w − the deductions (accidents and deaths, in points); a veto sends a unit to the
  black list whatever its score. Ranks by score, best first; equal scores share a rank, and a red or black
  list leaves out units tied across its boundary.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum

from hazards.lib.contributions import RankingIndicator, registered


class Better(Enum):
    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class Indicator:
    key: str
    better: Better
    rate: bool = False  # x of n, shrunk toward the mean of all units; else a count per enterprise


# The formula's own indicators; the apps above hazards add theirs (RankingIndicator) among them.
OWN_INDICATORS: tuple[Indicator, ...] = (
    Indicator("found_by_departments", Better.HIGHER),
    Indicator("self_found", Better.HIGHER),
    Indicator("rectification_rate", Better.HIGHER, rate=True),
    Indicator("on_time_rate", Better.HIGHER, rate=True),
    Indicator("overdue_at_end", Better.LOWER),
    Indicator("major_closed_rate", Better.HIGHER, rate=True),
    Indicator("listed_closed_rate", Better.HIGHER, rate=True),
    Indicator("repeat_share", Better.LOWER, rate=True),
)


def indicators() -> tuple[Indicator, ...]:
    """Every indicator of the formula in its order: its own, and each registered one where it asks to be."""
    ordered = list(OWN_INDICATORS)
    for part in registered(RankingIndicator):
        keys = [indicator.key for indicator in ordered]
        position = keys.index(part.before) if part.before in keys else len(ordered)
        better = Better.HIGHER if part.higher_is_better else Better.LOWER
        ordered.insert(position, Indicator(part.key, better))
    return tuple(ordered)


class WeightsInvalid(ValueError):
    """Weights a ranking cannot use; `errors` maps each refused key to why."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


def clean_weights(weights: dict[str, object]) -> dict[str, float]:
    """The weights as numbers, every indicator present; WeightsInvalid for a negative, unknown or missing one,
    one that is not a number, or all of them zero."""
    errors: dict[str, str] = {}
    cleaned: dict[str, float] = {}
    keys = [indicator.key for indicator in indicators()]
    for key in weights.keys() - set(keys):
        errors[key] = "not an indicator of the ranking"
    for key in keys:
        if key not in weights:
            errors[key] = "a weight is required"
            continue
        try:
            value = Decimal(str(weights[key]))
        except InvalidOperation:
            errors[key] = "not a number"
            continue
        if not value.is_finite():
            errors[key] = "not a number"
        elif value < 0:
            errors[key] = "a weight cannot be negative"
        else:
            cleaned[key] = float(value)
    if not errors and not any(cleaned.values()):
        errors["__all__"] = "at least one weight must be above zero"
    if errors:
        raise WeightsInvalid(errors)
    return cleaned


@dataclass(frozen=True)
class Measure:
    """One indicator of one unit: a count (per enterprise) or a rate's part and whole."""

    part: float
    whole: float  # enterprises under supervision for a count; the rate's denominator for a rate


@dataclass(frozen=True)
class Unit:
    key: str  # a region code or an enterprise's credit code: also the tie-break
    measures: dict[str, Measure]
    deduction_points: float = 0.0
    veto: bool = False


@dataclass
class Scored:
    key: str
    values: dict[str, float | None]  # per enterprise, or the shrunk rate
    normalised: dict[str, float]
    points: dict[str, float]  # what each indicator brought to the score
    lost: dict[str, float]  # what each indicator cost, against full marks
    deduction_points: float
    veto: bool
    score: float = 0.0
    rank: int = 0
    mark: str = ""  # "red", "black" or ""
    costliest: list[str] = field(default_factory=list)  # the one or two indicators that cost the most


def _shrunk(measure: Measure, pooled: float, prior_strength: float) -> float:
    """The rate pulled toward the pooled rate by prior_strength hazards' worth: (x + k·m) / (n + k)."""
    if measure.whole + prior_strength == 0:
        return pooled
    return (measure.part + prior_strength * pooled) / (measure.whole + prior_strength)


def score_units(
    units: list[Unit], weights: dict[str, float], *, prior_strength: float, list_size: int
) -> list[Scored]:
    """Score and rank the units; the best list_size (none vetoed) are the red list, the worst list_size and
    every vetoed unit the black list, each list at most half the units."""
    if prior_strength < 0:
        raise ValueError("the prior strength cannot be negative")
    weights = clean_weights(weights)
    total_weight = sum(weights.values())
    formula = indicators()
    values: dict[str, dict[str, float | None]] = {unit.key: {} for unit in units}
    for indicator in formula:
        measures = [unit.measures[indicator.key] for unit in units]
        if indicator.rate:
            whole = sum(m.whole for m in measures)
            pooled = sum(m.part for m in measures) / whole if whole else 0.0
            for unit, m in zip(units, measures, strict=True):
                values[unit.key][indicator.key] = _shrunk(m, pooled, prior_strength)
        else:
            for unit, m in zip(units, measures, strict=True):
                values[unit.key][indicator.key] = m.part / m.whole if m.whole else None
    scored = [
        Scored(
            key=unit.key,
            values=values[unit.key],
            normalised={},
            points={},
            lost={},
            deduction_points=unit.deduction_points,
            veto=unit.veto,
        )
        for unit in units
    ]
    for indicator in formula:
        present = [s.values[indicator.key] for s in scored if s.values[indicator.key] is not None]
        low, high = (min(present), max(present)) if present else (0.0, 0.0)
        for s in scored:
            value = s.values[indicator.key]
            if value is None:  # no enterprise to divide by: the worst mark
                normalised = 0.0
            elif high == low:
                normalised = 0.5
            else:
                normalised = (value - low) / (high - low)
                if indicator.better is Better.LOWER:
                    normalised = 1.0 - normalised
            s.normalised[indicator.key] = normalised
            s.points[indicator.key] = 100 * weights[indicator.key] * normalised / total_weight
            s.lost[indicator.key] = 100 * weights[indicator.key] * (1 - normalised) / total_weight
    for s in scored:
        s.score = round(sum(s.points.values()) - s.deduction_points, 4)
        costs = sorted((-lost, key) for key, lost in s.lost.items() if lost > 0)
        s.costliest = [key for _lost, key in costs[:2]]
    scored.sort(key=lambda s: (-s.score, s.key))
    for position, s in enumerate(scored, start=1):
        # Equal scores share a rank (1, 2, 2, 4); the key only fixes the order they are shown in.
        s.rank = (
            scored[position - 2].rank if position > 1 and s.score == scored[position - 2].score else position
        )
    size = min(list_size, len(scored) // 2)  # the lists never meet: at most half the units each
    eligible = [s for s in scored if not s.veto]
    for s in _without_boundary_tie(eligible, size):
        s.mark = "red"
    for s in _without_boundary_tie([s for s in reversed(eligible) if s.mark != "red"], size):
        s.mark = "black"
    for s in scored:
        if s.veto:
            s.mark = "black"
    return scored


def _without_boundary_tie(ordered: list[Scored], size: int) -> list[Scored]:
    """The first size units, less those tied with the first unit left out: no list takes in one of equal
    scores and leaves out another by the order of their keys."""
    chosen = ordered[:size]
    if len(ordered) > size:
        chosen = [s for s in chosen if s.score != ordered[size].score]
    return chosen
