"""Shared fixtures: the real services, and a small map of two cities with their counties.

Tests run on PostgreSQL and a real Redis. A missing service fails the tests that need it, naming it.
"""

import functools
import importlib
from dataclasses import dataclass
from urllib.parse import urlsplit

import psycopg2
import pytest
import redis
from django.conf import settings
from django.core.cache import cache

from hazards.models import Enterprise, Region, RegionLevel
from tests import lanes
from tests.chromium import browser  # noqa: F401  (the one Chromium of the browser and end-to-end tests)
from tests.factories import EnterpriseFactory, RegionFactory
from tests.live_server import answer_kept_alive_connections_at_once


def pytest_configure(config):
    answer_kept_alive_connections_at_once()


def pytest_itemcollected(item):
    """`spawns` on each test that starts processes or servers (tests/lanes.py): not in the fast lane."""
    lanes.mark_spawning(item)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Within pytest-django's order (database tests, then transactional ones), long spawning tests first."""
    items.sort(key=lanes.order)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item (item.rep_setup, item.rep_call): the browser and end-to-end
    fixtures keep screenshots and logs when the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def fresh_cache():
    """What the portal counts in the cache (API throttles, reset requests) starts at none in each test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def require_postgresql():
    config = settings.DATABASES["default"]
    if config["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail(
            "The tests run on PostgreSQL: set DATABASE_URL=postgres://... (make test does), "
            f"not {config['ENGINE']}.",
            pytrace=False,
        )
    try:
        psycopg2.connect(
            host=config["HOST"],
            port=config["PORT"],
            user=config["USER"],
            password=config["PASSWORD"],
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg2.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {config['HOST']}:{config['PORT']}: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def django_db_setup(require_postgresql, django_db_setup):
    """pytest-django's test database, created only once PostgreSQL is known to be there."""
    yield


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = settings.CELERY_BROKER_URL
    if urlsplit(url).scheme not in ("redis", "rediss"):
        pytest.fail(
            f"These tests need Redis: set CELERY_BROKER_URL=redis://... (make test does), not {url}.",
            pytrace=False,
        )
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at {url}: {exc}", pytrace=False)
    return url


@dataclass
class RegionMap:
    province: Region
    shenyang: Region
    dalian: Region
    counties: dict[str, Region]
    enterprises: dict[str, Enterprise]


@pytest.fixture
def liaoning(db) -> RegionMap:
    """Liaoning: two cities (Shenyang, Dalian), each with two counties, and an enterprise per county."""
    province = RegionFactory(code="210000", name="辽宁省", level=RegionLevel.PROVINCE)
    shenyang = RegionFactory(code="210100", name="沈阳市", level=RegionLevel.CITY, parent=province)
    dalian = RegionFactory(code="210200", name="大连市", level=RegionLevel.CITY, parent=province)
    counties = {
        "heping": RegionFactory(code="210102", name="和平区", level=RegionLevel.COUNTY, parent=shenyang),
        "shenhe": RegionFactory(code="210103", name="沈河区", level=RegionLevel.COUNTY, parent=shenyang),
        "zhongshan": RegionFactory(code="210202", name="中山区", level=RegionLevel.COUNTY, parent=dalian),
        "xigang": RegionFactory(code="210203", name="西岗区", level=RegionLevel.COUNTY, parent=dalian),
    }
    enterprises = {
        key: EnterpriseFactory(region=county, name=f"{county.name}燃气有限公司")
        for key, county in counties.items()
    }
    return RegionMap(province, shenyang, dalian, counties, enterprises)


@pytest.fixture
def evidence_root(settings, tmp_path):
    """Evidence files under a folder of the test's own, which the lazy storage picks up."""
    from django.utils.functional import empty

    from hazards.models.evidence import evidence_storage

    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(settings.EVIDENCE_ROOT), "base_url": None},
        },
    }
    evidence_storage._wrapped = empty
    yield settings.EVIDENCE_ROOT
    evidence_storage._wrapped = empty


@functools.cache
def reference_data_models():
    """The models as the data migrations below saw them (the catalogue was inspections' then), on today's
    tables: each migration's function runs on them as it ran when the database was migrated."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).project_state(("inspections", "0004_seed_checklists")).apps


@pytest.fixture
def reference_data(transactional_db) -> None:
    """The sectors, criteria and checklists of data migrations, back in the database for a transactional test.

    A transactional test empties the database after it runs, rows of data migrations included, so the next
    one finds none (a serialized rollback would restore them, but breaks as soon as another transactional
    test without it runs first).
    """
    for module, function in [
        ("hazards.migrations.0002_install_sectors", "install_sectors"),
        ("inspections.migrations.0002_seed_criteria", "seed_criteria"),
        ("inspections.migrations.0003_complete_catalogue", "complete_catalogue"),
        ("inspections.migrations.0004_seed_checklists", "seed_checklists"),
    ]:
        getattr(importlib.import_module(module), function)(reference_data_models(), None)


@pytest.fixture(autouse=True)
def english_messages():
    """Messages outside a request in English, the source language; a request still speaks its own."""
    from django.utils import translation

    with translation.override("en"):
        yield
