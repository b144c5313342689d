"""What the apps above hazards add to its pages, its API and its computations.

hazards never imports those apps: each registers its parts here from its AppConfig.ready(), and hazards shows
or computes what is registered, where the part asks. A part is plain values and callables.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

# The slots of an enterprise's page.
ENTERPRISE_ACTIONS = "actions"  # beside the enterprise's name
ENTERPRISE_COLUMN = "column"  # a column before its recent hazards


@dataclass(frozen=True)
class RankingIndicator:
    """A count indicator of the quarterly ranking (per enterprise under supervision) that another app counts.

    count(start, end, region_prefix) yields (enterprise id, count) over the quarter [start, end), for the
    enterprises of the regions whose code starts with region_prefix.
    """

    key: str
    label: Any  # a string or a lazy translation
    count: Callable[[datetime.datetime, datetime.datetime, str], Iterable[tuple[int, int]]]
    higher_is_better: bool = True
    before: str | None = None  # the indicator it comes before in the formula's order; last without one


@dataclass(frozen=True)
class EnterprisePart:
    """A part of an enterprise's page: a template shown in a slot, given as `part` what context(user,
    enterprise) reads."""

    slot: str
    template: str
    context: Callable[[Any, Any], Mapping[str, Any]] | None = None


@dataclass(frozen=True)
class HazardFields:
    """Fields of a hazard as the API details it, placed after one of its own, and the relations they read."""

    after: str
    fields: Callable[[], Mapping[str, Any]]  # name -> a new serializer field
    select_related: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoStep:
    """A part of the demo, seeded after the hazards and before the statistics and rankings that count it.

    seed(inspector=..., enterprises=...) returns how many new ones of its noun it made, as seed_demo prints.
    """

    noun: str
    seed: Callable[..., int]


Part = TypeVar("Part", RankingIndicator, EnterprisePart, HazardFields, DemoStep)
_registered: list[Any] = []


def register(*parts: RankingIndicator | EnterprisePart | HazardFields | DemoStep) -> None:
    """Add parts, in the order they are shown or computed; a part registered again is not added twice."""
    for part in parts:
        if part not in _registered:
            _registered.append(part)


def registered(kind: type[Part]) -> list[Part]:
    """The parts of a kind, in the order they were registered."""
    return [part for part in _registered if isinstance(part, kind)]
