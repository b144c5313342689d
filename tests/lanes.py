"""The suite's two lanes, and its order for two workers that end together (hooks in tests/conftest.py).

`make test` runs every test; `make test-fast` runs `-m "not spawns"`: all but the tests that start processes
or servers of their own. Each of those carries the marker of its kind (declared in pyproject.toml), and the
hooks add `spawns` to it; a test that uses a fixture starting a process or a server without such a marker is
refused at collection, so none slips into the fast lane.

The order: pytest-django runs the tests on the database first and the transactional ones after them (a
transactional test leaves the database empty, data migrations' rows included); within that, the spawning
tests go first, the longest kinds first, so that under pytest-xdist the last tests handed out are short ones
and both workers end at about the same time.
"""

import pytest

# The kinds of spawning test, longest first: a role's schemathesis run takes a minute, a browser test seconds.
KINDS = ("schemathesis", "e2e", "resilience", "workers", "browser")
# Fixtures that start a process or a server: a test that uses one is one of KINDS.
SPAWNING_FIXTURES = {
    "live_server": "pytest-django's live server",
    "browser": "Chromium (tests/chromium.py)",
    "stack": "gunicorn, a Celery worker and beat (tests/e2e/stack.py)",
    "cluster": "a PostgreSQL cluster (tests/resilience/cluster.py)",
    "worker": "a Celery worker (tests/portal/test_celery.py)",
    "workers": "Celery workers (tests/notices/workers.py)",
}


def kind(item: pytest.Item) -> str | None:
    return next((name for name in KINDS if item.get_closest_marker(name)), None)


def mark_spawning(item: pytest.Item) -> None:
    """Add `spawns` to a test of one of KINDS; refuse one that starts a process or a server without a kind."""
    if kind(item) is not None:
        item.add_marker(pytest.mark.spawns)
        return
    parametrized = getattr(getattr(item, "callspec", None), "params", {})  # arguments, not fixtures
    started = [
        what
        for name, what in SPAWNING_FIXTURES.items()
        if name in getattr(item, "fixturenames", ()) and name not in parametrized
    ]
    if started:
        raise pytest.UsageError(
            f"{item.nodeid} starts {', '.join(started)}: mark it with one of {', '.join(KINDS)} "
            "(pyproject.toml), so that `make test-fast` leaves it out."
        )


def _database(item: pytest.Item) -> int:
    """0: no database; 1: pytest-django's test database; 2: a transactional one (as pytest-django sorts)."""
    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    if marker is not None:
        transactional = transactional or bool(
            marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
            or marker.kwargs.get("reset_sequences", False)
        )
    if transactional:
        return 2
    return 1 if marker is not None or "db" in fixtures else 0


def order(item: pytest.Item) -> tuple[int, int]:
    """Spawning tests without a database first, then the database tests, then the transactional ones, then
    the rest; the spawning tests first in each, by KINDS."""
    database = _database(item)
    spawning = kind(item)
    rank = KINDS.index(spawning) if spawning else len(KINDS)
    if spawning and database == 0:
        return (0, rank)
    return ({1: 1, 2: 2, 0: 3}[database], rank)
