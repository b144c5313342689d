"""What each pytest-xdist worker has of its own, beyond the test database that pytest-django gives it.

pytest-xdist names its workers gw0, gw1, ... in PYTEST_XDIST_WORKER; in a plain run there is no worker and
nothing moves.

Redis: the tests flush and count the broker's database, and the end-to-end stack flushes its own, so each
worker takes the two numbers given (CELERY_BROKER_URL's and E2E_REDIS_DB), each moved down by two per worker:
with `make test`'s 15 and 14, gw0 has 15 and 14 and gw1 13 and 12. The Redis URLs are moved in the
environment, before the settings read it, since Celery reads CELERY_BROKER_URL there before the settings; the
processes a test starts (Celery workers, gunicorn) inherit them moved, and do not move them again.

Ports are free ones asked of the system, folders temporary ones (pytest gives each worker a base of its own),
and the end-to-end stack's database is named after its process.
"""

import os
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
INDEX = int(WORKER.removeprefix("gw")) if WORKER.startswith("gw") else 0
REDIS_DATABASES_PER_WORKER = 2  # the broker's (also the results' and the cache's) and the end-to-end stack's
REDIS_URLS = ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CACHE_URL")
MOVED = "TEST_REDIS_MOVED_FOR"  # the worker whose databases the environment's Redis URLs are on already


def redis_database(number: int) -> int:
    """The worker's own Redis database number for the number a plain run uses."""
    moved = number - INDEX * REDIS_DATABASES_PER_WORKER
    if moved < 0:
        raise ImproperlyConfigured(
            f"pytest-xdist worker {WORKER} has no Redis database left below {number}: run fewer workers, "
            "or give CELERY_BROKER_URL and E2E_REDIS_DB higher database numbers."
        )
    return moved


def redis_url(url: str) -> str:
    """A Redis URL on the worker's own database; any other URL as it is."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        return url
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{redis_database(number)}"))


def move_redis_urls(environ=os.environ) -> None:
    """Put the environment's Redis URLs on this worker's own databases, once (a child process keeps them)."""
    if not WORKER or environ.get(MOVED) == WORKER:
        return
    for name in REDIS_URLS:
        if environ.get(name):
            environ[name] = redis_url(environ[name])
    environ[MOVED] = WORKER
