"""The two lanes (tests/lanes.py): which tests `make test-fast` leaves out, and the order of the suite."""

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from tests import lanes


@dataclass
class Item:
    """What the hooks read of a collected test."""

    nodeid: str
    markers: list[pytest.Mark] = field(default_factory=list)
    fixturenames: tuple[str, ...] = ()

    def get_closest_marker(self, name: str) -> pytest.Mark | None:
        return next((marker for marker in reversed(self.markers) if marker.name == name), None)

    def add_marker(self, marker) -> None:
        self.markers.append(marker.mark)


def item(name: str, *marks, fixtures: tuple[str, ...] = ()) -> Item:
    return Item(f"tests/test_x.py::{name}", [mark.mark for mark in marks], fixtures)


@pytest.mark.parametrize("kind", lanes.KINDS)
def test_a_test_of_each_spawning_kind_is_marked_spawns(kind):
    test = item("test_it", getattr(pytest.mark, kind))
    lanes.mark_spawning(test)
    assert test.get_closest_marker("spawns")


def test_a_test_that_starts_nothing_stays_in_the_fast_lane():
    test = item("test_it", pytest.mark.django_db, fixtures=("db", "client", "settings"))
    lanes.mark_spawning(test)
    assert test.get_closest_marker("spawns") is None


@pytest.mark.parametrize("fixture", sorted(lanes.SPAWNING_FIXTURES))
def test_a_test_that_starts_a_process_or_a_server_without_its_kind_is_refused_naming_it(fixture):
    test = item("test_sneaks_in", fixtures=("db", fixture))
    with pytest.raises(pytest.UsageError) as refused:
        lanes.mark_spawning(test)
    assert "tests/test_x.py::test_sneaks_in starts" in str(refused.value)
    assert lanes.SPAWNING_FIXTURES[fixture] in str(refused.value)


def test_an_argument_of_the_same_name_as_a_spawning_fixture_is_not_one():
    test = item("test_it", fixtures=("worker",))
    test.callspec = SimpleNamespace(params={"worker": "gw1"})
    lanes.mark_spawning(test)
    assert test.get_closest_marker("spawns") is None


def test_the_spawning_tests_go_first_within_what_they_do_with_the_database_longest_kinds_first():
    collected = [
        item("plain"),
        item("on_the_database", fixtures=("db",)),
        item("transactional", fixtures=("transactional_db",)),
        item("browser", pytest.mark.browser, fixtures=("live_server", "transactional_db")),
        item("schemathesis", pytest.mark.schemathesis, fixtures=("live_server", "transactional_db")),
        item("marked_transactional", pytest.mark.django_db(transaction=True)),
        item("e2e", pytest.mark.e2e, fixtures=("stack", "browser")),
        item("workers", pytest.mark.workers, fixtures=("workers", "transactional_db")),
        item("resilience", pytest.mark.resilience, fixtures=("cluster",)),
        item("marked_database", pytest.mark.django_db),
    ]
    for test in collected:
        lanes.mark_spawning(test)
    ordered = [test.nodeid.rsplit("::", 1)[1] for test in sorted(collected, key=lanes.order)]
    assert ordered == [
        "e2e",
        "resilience",
        "on_the_database",
        "marked_database",
        "schemathesis",
        "workers",
        "browser",
        "transactional",
        "marked_transactional",
        "plain",
    ]
