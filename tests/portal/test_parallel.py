"""What each pytest-xdist worker has of its own (tests/parallel.py): its Redis databases."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests import parallel

ROOT = Path(__file__).resolve().parents[2]
# The Redis database of the broker, the results and the cache, as the settings and as Celery's app have them.
PRINT_DATABASES = (
    "import django; django.setup(); from django.conf import settings as s; "
    "from safety_portal.celery import app; "
    "print(*(url.rsplit('/', 1)[1] for url in (s.CELERY_BROKER_URL, s.CELERY_RESULT_BACKEND, "
    "s.CACHES['default']['LOCATION'], app.conf.broker_url, app.conf.result_backend)))"
)


def test_a_plain_run_keeps_the_redis_databases_it_is_given(monkeypatch):
    monkeypatch.setattr(parallel, "INDEX", 0)
    assert parallel.redis_url("redis://127.0.0.1:6379/15") == "redis://127.0.0.1:6379/15"
    assert parallel.redis_database(14) == 14


def test_each_worker_takes_two_redis_databases_of_its_own_below_the_ones_given(monkeypatch):
    monkeypatch.setattr(parallel, "INDEX", 1)
    assert parallel.redis_url("redis://127.0.0.1:6379/15") == "redis://127.0.0.1:6379/13"
    assert parallel.redis_url("rediss://:secret@cache:6380/9?ssl_cert_reqs=none") == (
        "rediss://:secret@cache:6380/7?ssl_cert_reqs=none"
    )
    assert parallel.redis_database(14) == 12
    assert parallel.redis_url("filesystem://localhost//") == "filesystem://localhost//"


def test_the_environments_redis_urls_are_moved_once_for_the_worker(monkeypatch):
    monkeypatch.setattr(parallel, "INDEX", 1)
    monkeypatch.setattr(parallel, "WORKER", "gw1")
    environ = {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/15", "CACHE_URL": "redis://127.0.0.1:6379/15"}
    parallel.move_redis_urls(environ)
    parallel.move_redis_urls(environ)  # as a process started by a test loads the test settings again
    assert environ == {
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/13",
        "CACHE_URL": "redis://127.0.0.1:6379/13",
        parallel.MOVED: "gw1",
    }


def test_a_plain_run_moves_nothing(monkeypatch):
    monkeypatch.setattr(parallel, "INDEX", 0)
    monkeypatch.setattr(parallel, "WORKER", "")
    environ = {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/15"}
    parallel.move_redis_urls(environ)
    assert environ == {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/15"}


def test_a_worker_with_no_redis_database_left_stops_naming_what_to_change(monkeypatch):
    monkeypatch.setattr(parallel, "INDEX", 3)
    monkeypatch.setattr(parallel, "WORKER", "gw3")
    with pytest.raises(ImproperlyConfigured, match="gw3 has no Redis database left below 5"):
        parallel.redis_url("redis://127.0.0.1:6379/5")


@pytest.mark.parametrize(
    ("xdist_worker", "expected"),
    [(None, "15 15 15 15 15"), ("gw0", "15 15 15 15 15"), ("gw1", "13 13 13 13 13")],
)
def test_the_settings_and_celery_put_broker_results_and_cache_on_the_workers_own_redis_database(
    tmp_path, xdist_worker, expected
):
    env = {
        key: value for key, value in os.environ.items() if key not in ("PYTEST_XDIST_WORKER", parallel.MOVED)
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        VAR_DIR=str(tmp_path),
        CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
        CACHE_URL="redis://127.0.0.1:6379/15",
        **({"PYTEST_XDIST_WORKER": xdist_worker} if xdist_worker else {}),
    )
    env.pop("CELERY_RESULT_BACKEND", None)
    done = subprocess.run(
        [sys.executable, "-c", PRINT_DATABASES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == expected.split()
