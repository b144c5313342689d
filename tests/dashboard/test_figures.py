"""The dashboard's figures against the hand-counted ledger of conftest.py, at each level of the map."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from hazards.lib.calendar import months_back, quarter_start

pytestmark = pytest.mark.django_db


def values(dashboard) -> dict:
    return {key: figure.value for key, figure in dashboard.headline.items()}


def group_values(rows) -> dict:
    return {
        row.key: (row.open.value, row.overdue.value, row.major_open.value, row.listed.value) for row in rows
    }


def query(url: str) -> dict:
    parts = urlsplit(url)
    assert parts.path == reverse("hazard_list")
    return {key: value[0] for key, value in parse_qs(parts.query).items()}


def open_dashboard(client, user, code=None):
    client.force_login(user)
    url = reverse("dashboard_region", args=[code]) if code else reverse("dashboard")
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_the_province_dashboard_counts_every_hazard(client, cast, ledger, liaoning):
    response = open_dashboard(client, cast.admin)
    d = response.context["dashboard"]

    assert d.region == liaoning.province
    assert values(d) == {
        "open": 6,
        "overdue": 4,
        "major_open": 3,
        "major_overdue": 2,
        "listed": 2,
        "closed_quarter": 3,
        "rectification_rate": 27.3,  # 3 closed of 12 found − 1 void
        "on_time_rate": 33.3,  # 1 of 3
        "review_late": 1,
    }
    assert [figure.value for figure in d.ages] == [1, 1, 1, 1]
    assert group_values(d.children) == {"210100": (4, 3, 2, 1), "210200": (2, 1, 1, 1)}
    assert group_values(d.sectors) == {"urban-gas": (6, 4, 3, 2)}
    assert [row.bar_percent for row in d.children] == [100, 50]
    assert [(h.number, h.days_overdue) for h in d.oldest_major] == [
        (ledger["h5"].number, 100),
        (ledger["h3"].number, 40),
    ]
    assert sum(d.trend["found"]) == 12
    assert d.trend["found"][-1] == 11
    assert sum(d.trend["closed"]) == 4
    assert len(d.trend["labels"]) == 12


def test_the_city_dashboard_counts_only_the_city(client, cast, ledger):
    d = open_dashboard(client, cast.shenyang_supervisor).context["dashboard"]

    assert d.region.code == "210100"
    assert values(d) == {
        "open": 4,
        "overdue": 3,
        "major_open": 2,
        "major_overdue": 2,
        "listed": 1,
        "closed_quarter": 2,
        "rectification_rate": 28.6,  # 2 of 7
        "on_time_rate": 50.0,
        "review_late": 1,
    }
    assert [figure.value for figure in d.ages] == [1, 0, 1, 1]
    assert group_values(d.children) == {"210102": (3, 2, 1, 1), "210103": (1, 1, 1, 0)}
    assert [h.number for h in d.oldest_major] == [ledger["h5"].number, ledger["h3"].number]


def test_the_county_dashboard_has_no_children(client, cast, ledger):
    d = open_dashboard(client, cast.shenyang_supervisor, "210102").context["dashboard"]

    assert values(d) == {
        "open": 3,
        "overdue": 2,
        "major_open": 1,
        "major_overdue": 1,
        "listed": 1,
        "closed_quarter": 1,
        "rectification_rate": 25.0,
        "on_time_rate": 100.0,
        "review_late": 0,
    }
    assert d.children == []
    assert [figure.value for figure in d.ages] == [1, 0, 1, 0]


def test_an_empty_region_shows_no_rate(client, cast, liaoning):
    d = open_dashboard(client, cast.admin, "210203").context["dashboard"]

    assert d.headline["open"].value == 0
    assert d.headline["rectification_rate"].value is None
    assert d.headline["on_time_rate"].value is None


def test_every_figure_links_to_the_ledger_filtered_to_it(client, cast, ledger):
    response = open_dashboard(client, cast.shenyang_supervisor)
    d = response.context["dashboard"]
    today = timezone.localdate()

    assert query(d.headline["overdue"].url) == {"region": "210100", "status": "open", "overdue": "true"}
    assert query(d.headline["major_overdue"].url) == {
        "region": "210100",
        "level": "major",
        "status": "open",
        "overdue": "true",
    }
    assert query(d.headline["listed"].url) == {"region": "210100", "status": "all", "listed": "true"}
    assert query(d.headline["closed_quarter"].url) == {
        "region": "210100",
        "status": "closed",
        "closed_from": quarter_start(today).isoformat(),
        "closed_to": today.isoformat(),
    }
    assert query(d.headline["rectification_rate"].url) == {
        "region": "210100",
        "status": "all",
        "found_from": months_back(today, 11).isoformat(),
        "found_to": today.isoformat(),
    }
    heping = next(row for row in d.children if row.key == "210102")
    assert query(heping.major_open.url) == {"region": "210102", "level": "major", "status": "open"}
    assert heping.url == reverse("dashboard_region", args=["210102"])
    sector = d.sectors[0]
    assert query(sector.overdue.url) == {
        "region": "210100",
        "sector": "urban-gas",
        "status": "open",
        "overdue": "true",
    }

    html = response.content.decode()
    assert d.headline["overdue"].url.replace("&", "&amp;") in html
    assert f'href="{reverse("dashboard_region", args=["210102"])}"' in html
    assert f'href="{reverse("hazard_detail", args=[ledger["h5"].id])}"' in html
    assert 'id="dashboard-trend-data"' in html
    assert "vendor/chart.js/chart.umd.js" in html
    assert "js/dashboard.js" in html


def test_the_nav_links_the_dashboard_for_region_users_only(client, cast, liaoning):
    client.force_login(cast.heping_inspector)
    assert 'data-testid="dashboard-link"' in client.get(reverse("home")).content.decode()
    client.force_login(cast.heping_staff)
    assert 'data-testid="dashboard-link"' not in client.get(reverse("home")).content.decode()


def test_the_ledger_links_open(client, cast, ledger):
    d = open_dashboard(client, cast.shenyang_supervisor).context["dashboard"]
    for figure in [*d.headline.values(), *d.ages, d.sectors[0].overdue, d.children[0].listed]:
        assert client.get(figure.url).status_code == 200, figure.url


@pytest.mark.parametrize("user", ["admin", "shenyang_supervisor", "heping_inspector"])
def test_every_count_links_to_exactly_the_hazards_it_counts(client, cast, ledger, user):
    d = open_dashboard(client, getattr(cast, user)).context["dashboard"]
    counts = [figure for figure in d.headline.values() if not figure.suffix]
    counts += d.ages
    for row in [*d.children, *d.sectors]:
        counts += [row.open, row.overdue, row.major_open, row.listed]
    assert any(figure.value for figure in d.ages)
    for figure in counts:
        listed = client.get(figure.url).context["page"].paginator.count
        assert listed == figure.value, f"{figure.label}: {figure.url}"
