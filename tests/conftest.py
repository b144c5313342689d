"""Shared fixtures: the real services, a small map of two cities with their counties, and its people.

Tests run on PostgreSQL and a real Redis. A missing service fails the tests that need it, naming it.
"""

import functools
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import psycopg2
import pytest
import redis
from django.conf import settings
from django.core.cache import cache

from hazards.models import Enterprise, Hazard, Region, RegionLevel, User
from tests import lanes
from tests.chromium import browser  # noqa: F401  (the one Chromium of the browser and end-to-end tests)
from tests.factories import (
    EnterpriseFactory,
    HazardFactory,
    RegionFactory,
    administrator,
    enterprise_user,
    inspector,
    supervisor,
)
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


class Member:
    """One of the cast: made on first use by `make(place, **details)`, the same user after that."""

    def __init__(
        self, make: Callable[..., User], place: Callable[[RegionMap], object] | None = None, **details
    ):
        self.make, self.place, self.details = make, place, details

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, cast: "Cast | None", owner: type | None = None):
        if cast is None:
            return self
        # Kept in the instance, as functools.cached_property keeps it: the next read finds it there.
        user = cast.__dict__[self.name] = self.build(
            cast.liaoning, **{**self.details, **cast.details.get(self.name, {})}
        )
        return user

    def build(self, liaoning: RegionMap, **details) -> User:
        return self.make(*([self.place(liaoning)] if self.place else []), **details)


@dataclass(frozen=True)
class Cast:
    """The people of the `liaoning` map, named by place and role: `cast.heping_inspector` inspects 和平区.

    Each is created when a test first asks for them, so a test pays only for the people it names. A test
    about who an action reaches names its bystanders first (`cast.present(...)`), so that they exist when
    it runs; `details` (the `cast_details` fixture) adds to some members what a module needs of them.
    """

    liaoning: RegionMap
    details: Mapping[str, Mapping[str, object]] = field(default_factory=dict)

    admin = Member(administrator)
    # Supervisors of the province and of each city.
    province_supervisor = Member(supervisor, lambda liaoning: liaoning.province)
    shenyang_supervisor = Member(supervisor, lambda liaoning: liaoning.shenyang, first_name="王监管")
    dalian_supervisor = Member(supervisor, lambda liaoning: liaoning.dalian)
    # Inspectors of a whole city, then of a county; 李检查 of 和平区 has a colleague there, 赵协查.
    shenyang_inspector = Member(inspector, lambda liaoning: liaoning.shenyang)
    dalian_inspector = Member(inspector, lambda liaoning: liaoning.dalian)
    heping_inspector = Member(inspector, lambda liaoning: liaoning.counties["heping"], first_name="李检查")
    co_inspector = Member(inspector, lambda liaoning: liaoning.counties["heping"], first_name="赵协查")
    shenhe_inspector = Member(inspector, lambda liaoning: liaoning.counties["shenhe"])
    zhongshan_inspector = Member(inspector, lambda liaoning: liaoning.counties["zhongshan"])
    # The staff of each county's enterprise (和平区燃气有限公司...).
    heping_staff = Member(
        enterprise_user, lambda liaoning: liaoning.enterprises["heping"], first_name="张安全"
    )
    shenhe_staff = Member(enterprise_user, lambda liaoning: liaoning.enterprises["shenhe"])
    zhongshan_staff = Member(enterprise_user, lambda liaoning: liaoning.enterprises["zhongshan"])
    xigang_staff = Member(enterprise_user, lambda liaoning: liaoning.enterprises["xigang"])

    def another(self, name: str, **details) -> User:
        """A new user of the member's role and place (a colleague, a second account), with only `details`."""
        return type(self).__dict__[name].build(self.liaoning, **details)

    def present(self, *names: str) -> None:
        """Create these members now: the bystanders of a test about who an action reaches."""
        for name in names:
            getattr(self, name)


@pytest.fixture
def cast_details() -> dict[str, dict[str, object]]:
    """What a module adds to members of the cast (an email address, a language), by member; none here."""
    return {}


@pytest.fixture
def cast(liaoning, cast_details) -> Cast:
    return Cast(liaoning, cast_details)


@pytest.fixture
def make_hazard(liaoning, cast):
    """make_hazard(submitted=True, major=True...): a HazardFactory hazard, with its traits, at the
    和平区 enterprise (inside the scope of the Shenyang cast), found by 和平区's inspector unless told."""

    def make(**fields) -> Hazard:
        fields.setdefault("found_by", cast.heping_inspector)
        return HazardFactory(**fields)

    return make


@pytest.fixture
def outside_hazard(cast, make_hazard) -> Hazard:
    """A hazard in Dalian: outside the scope of everyone in Shenyang, seen by the administrator."""
    return make_hazard(of_another_region=True, found_by=cast.dalian_inspector)


@pytest.fixture
def api():
    """api(user) is an API client authenticated with the user's token, as a program would; api(None) an
    anonymous one."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


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
