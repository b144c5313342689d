"""A PostgreSQL restart under a running web tier costs the requests in flight at most, and no app restart.

The portal runs in gunicorn against a PostgreSQL cluster of the test's own (the machine's server is shared),
with the connections kept between requests (DB_CONN_MAX_AGE). After a fast restart of the cluster every kept
connection is dead; with DB_CONN_HEALTH_CHECKS each is checked before a request reuses it and replaced, so the
pages answer at once. Without the checks the first request of each process fails on its dead connection:
that is what the setting is for.
"""

import threading
import time
from dataclasses import dataclass

import psycopg2
import pytest
import requests

from tests.resilience.cluster import Cluster, free_port
from tests.resilience.portal import Gunicorn, Seeded, logged_in, portal_env, seed

# One cluster for the module: under pytest-xdist (--dist loadgroup) one worker runs all of its tests.
pytestmark = [pytest.mark.resilience, pytest.mark.xdist_group("web-restart")]

# How long after the restart the pages may take to answer again; the requests the load makes after it.
RECOVERY_SECONDS = 5
LOAD_AFTER_REQUESTS = 20
LOAD_AFTER_MAX_SECONDS = 20


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster().init()
    try:
        cluster.start()
        connection = psycopg2.connect(cluster.url(), connect_timeout=10)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("CREATE DATABASE portal")
        connection.close()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="module")
def portal(cluster, tmp_path_factory) -> tuple[dict[str, str], Seeded]:
    env = portal_env(cluster.url("portal"), tmp_path_factory.mktemp("var"), DB_CONN_MAX_AGE="60")
    return env, seed(env)


@pytest.fixture
def serve(portal, tmp_path):
    """Start gunicorn with the given settings on top of the portal's; stopped after the test."""
    env, _seeded = portal
    started: list[Gunicorn] = []

    def start(*, workers: int = 2, **settings: str) -> Gunicorn:
        server = Gunicorn(
            {**env, **settings}, port=free_port(), log_path=tmp_path / "gunicorn.log", workers=workers
        )
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()


def pages(server: Gunicorn, seeded: Seeded) -> list[str]:
    base = server.base_url
    return [f"{base}/hazards/", *(f"{base}/hazards/{pk}/" for pk in seeded.hazards)]


def warm_up(session: requests.Session, urls: list[str], times: int = 4) -> None:
    """Enough requests that every worker holds a connection it will reuse."""
    for _ in range(times):
        for url in urls:
            answer = session.get(url, timeout=10)
            assert answer.status_code == 200, f"{url}: {answer.status_code} before the restart"


@dataclass
class Outcome:
    started: float
    ended: float
    status: int | str


class Load:
    """Threads requesting pages one after another until stopped, each request's outcome recorded."""

    def __init__(self, session: requests.Session, urls: list[str], threads: int = 2):
        self.session = session
        self.urls = urls
        self.outcomes: list[Outcome] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(index,)) for index in range(threads)]

    def _run(self, index: int) -> None:
        turn = index
        while not self.stopping.is_set():
            url = self.urls[turn % len(self.urls)]
            turn += 1
            started = time.monotonic()
            try:
                status: int | str = self.session.get(url, timeout=10).status_code
            except requests.RequestException as exc:
                status = type(exc).__name__
            self.outcomes.append(Outcome(started, time.monotonic(), status))

    def __enter__(self) -> "Load":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=20)


def test_after_a_restart_the_pages_answer_at_once_in_the_same_processes(cluster, portal, serve):
    _env, seeded = portal
    server = serve(DB_CONN_HEALTH_CHECKS="true")
    session = logged_in(server.base_url, seeded.username)
    urls = pages(server, seeded)
    warm_up(session, urls)
    master, workers = server.pid, server.worker_pids()

    cluster.restart()

    statuses = [(url, session.get(url, timeout=10).status_code) for _ in range(3) for url in urls]
    assert [status for _url, status in statuses] == [200] * len(statuses), (statuses, server.log())
    assert server.alive and server.pid == master
    assert server.worker_pids() == workers, "a gunicorn worker was replaced"


def test_under_load_a_restart_costs_at_most_the_requests_in_flight(cluster, portal, serve):
    _env, seeded = portal
    server = serve(DB_CONN_HEALTH_CHECKS="true")
    session = logged_in(server.base_url, seeded.username)
    urls = pages(server, seeded)
    warm_up(session, urls)
    master, workers = server.pid, server.worker_pids()

    with Load(session, urls) as load:
        time.sleep(1)
        restart_began = time.monotonic()
        cluster.restart()
        restart_ended = time.monotonic()
        # Long enough for a fair number of requests after the restart, even on a busy machine.
        until = restart_ended + LOAD_AFTER_MAX_SECONDS
        while sum(o.started > restart_ended for o in list(load.outcomes)) < LOAD_AFTER_REQUESTS:
            if time.monotonic() > until:
                break
            time.sleep(0.1)

    outcomes = list(load.outcomes)
    before = [o for o in outcomes if o.ended < restart_began]
    after = [o for o in outcomes if o.started > restart_ended]
    failed = [o for o in outcomes if o.status != 200]
    in_flight = [o for o in failed if o.started <= restart_ended and o.ended >= restart_began]
    assert before and all(o.status == 200 for o in before)
    assert len(after) >= LOAD_AFTER_REQUESTS, f"only {len(after)} requests after the restart"
    assert [o.status for o in after] == [200] * len(after), server.log()
    assert failed == in_flight, f"failures outside the restart: {failed}"
    assert server.alive and server.pid == master
    assert server.worker_pids() == workers, "a gunicorn worker was replaced"
    print(
        f"{len(outcomes)} requests, {len(failed)} failed during the restart "
        f"({restart_ended - restart_began:.2f} s), {len(after)} after it all answered 200"
    )


def test_without_health_checks_the_first_request_after_a_restart_fails(cluster, portal, serve):
    """The counter-proof: the same restart, the checks off, and a kept connection is found dead by a user."""
    _env, seeded = portal
    server = serve(DB_CONN_HEALTH_CHECKS="false", workers=1)
    session = logged_in(server.base_url, seeded.username)
    urls = pages(server, seeded)
    warm_up(session, urls)

    cluster.restart()

    first = session.get(urls[0], timeout=10)
    assert first.status_code == 500
    assert "terminating connection" in first.text or "server closed the connection" in first.text
    # Django drops a connection that failed, so the process recovers by itself on the next request.
    until = time.monotonic() + RECOVERY_SECONDS
    while session.get(urls[0], timeout=10).status_code != 200:
        assert time.monotonic() < until, server.log()


def test_a_missing_server_program_fails_the_test_naming_it(monkeypatch):
    from tests.resilience import cluster as module

    monkeypatch.setattr(module.shutil, "which", lambda name: None)
    monkeypatch.setattr(module.glob, "glob", lambda pattern: [])
    with pytest.raises(pytest.fail.Exception, match="initdb is missing"):
        module.server_program("initdb")
