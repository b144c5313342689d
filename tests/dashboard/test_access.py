"""Who may open which dashboard; a bad or foreign region code is a 404, never a 500."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import HazardFactory

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_log_in(client, liaoning):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_enterprise_user_has_no_dashboard(client, cast):
    client.force_login(cast.heping_staff)
    assert client.get(reverse("dashboard")).status_code == 404
    assert client.get(reverse("dashboard_region", args=["210102"])).status_code == 404


def test_a_shenyang_supervisor_cannot_open_dalian(client, cast, ledger):
    client.force_login(cast.shenyang_supervisor)
    assert client.get(reverse("dashboard_region", args=["210200"])).status_code == 404
    assert client.get(reverse("dashboard_region", args=["210202"])).status_code == 404
    assert client.get(reverse("dashboard_region", args=["210000"])).status_code == 404


def test_a_shenyang_supervisor_sees_only_shenyang(client, cast, ledger):
    client.force_login(cast.shenyang_supervisor)
    d = client.get(reverse("dashboard")).context["dashboard"]
    assert d.region.code == "210100"
    assert [row.key for row in d.children] == ["210102", "210103"]
    assert d.headline["open"].value == 4
    assert all(h.number.startswith("2101") for h in d.oldest_major)


def test_an_inspector_opens_the_dashboard_of_the_county(client, cast, ledger):
    client.force_login(cast.heping_inspector)
    d = client.get(reverse("dashboard")).context["dashboard"]
    assert d.region.code == "210102"
    assert d.headline["open"].value == 3
    assert client.get(reverse("dashboard_region", args=["210103"])).status_code == 404


@pytest.mark.parametrize("code", ["abc", "999999", "21010", "2101021", "210102x", "%00"])
def test_a_bad_region_code_is_not_found(client, cast, code):
    client.force_login(cast.admin)
    assert client.get(f"/dashboard/{code}/").status_code == 404


def test_the_number_of_queries_does_not_grow_with_the_hazards(client, cast, liaoning):
    client.force_login(cast.admin)
    counties = list(liaoning.enterprises)
    today = timezone.localdate()

    def add(count: int) -> None:
        for index in range(count):
            HazardFactory(
                enterprise=liaoning.enterprises[counties[index % 4]],
                found_by=cast.admin,
                major=index % 2 == 0,
                deadline=today - datetime.timedelta(days=index * 3),
            )

    add(1)
    client.get(reverse("dashboard"))  # the first request of a session may read more (content types)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("dashboard")).status_code == 200
    add(49)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(reverse("dashboard"))
    assert response.context["dashboard"].headline["open"].value == 50
    assert len(fifty) == len(one)
