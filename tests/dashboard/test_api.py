"""The dashboard API: the figures of the dashboard page's selector, for region users and administrators, in
their scope; an enterprise user 403, a region outside the scope or a malformed code 404."""

import pytest
from django.urls import reverse

from hazards.selectors.dashboard import dashboard, dashboard_region
from tests.api.helpers import error

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def figure(figure) -> dict:
    return {"label": str(figure.label), "value": figure.value, "url": figure.url, "alarm": figure.alarm}


def without_api_urls(value):
    if isinstance(value, dict):
        return {key: without_api_urls(item) for key, item in value.items() if key != "api_url"}
    if isinstance(value, list):
        return [without_api_urls(item) for item in value]
    return value


def expected(user, code: str | None) -> dict:
    """The figures of the page's selector, as the API should give them (less the API's own links)."""
    d = dashboard(user, dashboard_region(user, code))

    def rows(groups) -> list[dict]:
        return [
            {
                "key": row.key,
                "name": row.name,
                "url": row.url,
                **{name: figure(getattr(row, name)) for name in ("open", "overdue", "major_open", "listed")},
                "bar_percent": row.bar_percent,
                "overdue_percent": row.overdue_percent,
            }
            for row in groups
        ]

    def region(region) -> dict:
        return {"code": region.code, "name": region.name, "level": region.level}

    return {
        "region": region(d.region) if d.region else None,
        "breadcrumbs": [region(ancestor) for ancestor in d.breadcrumbs],
        "today": d.today.isoformat(),
        "quarter_start": d.quarter_start.isoformat(),
        "year_start": d.year_start.isoformat(),
        "headline": {key: figure(value) for key, value in d.headline.items()},
        "children": rows(d.children),
        "sectors": rows(d.sectors),
        "trend": d.trend,
        "ages": [figure(age) for age in d.ages],
        "oldest_major": [
            {
                "id": major.id,
                "number": major.number,
                "enterprise": major.enterprise,
                "responsible_person": major.responsible_person,
                "deadline": major.deadline.isoformat(),
                "days_overdue": major.days_overdue,
            }
            for major in d.oldest_major
        ],
    }


@pytest.mark.parametrize("code", [None, "210100", "210102"])
def test_the_figures_are_the_dashboard_pages(api, cast, ledger, code):
    url = reverse("api:dashboard-region", args=[code]) if code else reverse("api:dashboard")
    response = api(cast.shenyang_supervisor).get(url, **EN)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert without_api_urls(body) == expected(cast.shenyang_supervisor, code)
    assert body["headline"]["open"]["value"] == (4 if code != "210102" else 3)


def test_the_province_for_an_administrator(api, cast, ledger):
    body = api(cast.admin).get(reverse("api:dashboard"), **EN).json()
    assert without_api_urls(body) == expected(cast.admin, None)
    assert body["region"]["code"] == "210000"
    assert body["headline"]["rectification_rate"]["value"] == 27.3
    assert [(row["key"], row["open"]["value"]) for row in body["children"]] == [("210100", 4), ("210200", 2)]
    shenyang = body["children"][0]
    assert shenyang["api_url"] == "http://testserver" + reverse("api:dashboard-region", args=["210100"])
    assert body["sectors"][0]["api_url"] is None


def test_an_empty_region_has_no_rate(api, cast):
    body = api(cast.admin).get(reverse("api:dashboard-region", args=["210203"])).json()
    assert body["headline"]["open"]["value"] == 0
    assert body["headline"]["rectification_rate"]["value"] is None
    assert body["headline"]["on_time_rate"]["value"] is None


def test_each_figure_links_to_the_apis_hazards_it_counts(api, cast, ledger):
    client = api(cast.shenyang_supervisor)
    body = client.get(reverse("api:dashboard")).json()
    rates = ("rectification_rate", "on_time_rate")  # a rate's link lists what it rates, not a count
    figures = [value for key, value in body["headline"].items() if key not in rates] + body["ages"]
    figures += [row[name] for row in body["children"] for name in ("open", "overdue", "major_open", "listed")]
    for counted in figures:
        assert counted["api_url"].startswith("http://testserver/api/v1/hazards/?")
        listed = client.get(counted["api_url"])
        assert listed.status_code == 200, (counted, listed.json())
        assert listed.json()["count"] == counted["value"], counted


def test_the_labels_are_in_the_language_of_the_request(api, cast, ledger):
    body = api(cast.shenyang_supervisor).get(reverse("api:dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert body["headline"]["open"]["label"] != "Open"
    assert body["trend"]["found_label"] != "Found"


def test_an_enterprise_user_has_no_dashboard(api, cast):
    client = api(cast.heping_staff)
    for url in (reverse("api:dashboard"), reverse("api:dashboard-region", args=["210102"])):
        response = client.get(url, **EN)
        assert response.status_code == 403
        assert error(response) == {
            "detail": "There is no dashboard for your role.",
            "code": "not_permitted",
            "fields": {},
        }


def test_anonymous_is_a_401(api):
    assert api(None).get(reverse("api:dashboard")).status_code == 401


@pytest.mark.parametrize(
    "code", ["210200", "210202", "210000", "21010", "2101020", "abc", "210102x", "９９９９９９"]
)
def test_a_region_outside_the_scope_or_malformed_is_a_404(api, cast, code):
    response = api(cast.shenyang_supervisor).get(reverse("api:dashboard-region", args=[code]))
    assert response.status_code == 404
    assert error(response)["code"] == "not_found"


def test_an_inspector_of_a_county_sees_the_county(api, cast, ledger):
    client = api(cast.heping_inspector)
    body = client.get(reverse("api:dashboard")).json()
    assert body["region"]["code"] == "210102" and body["children"] == []
    assert client.get(reverse("api:dashboard-region", args=["210100"])).status_code == 404


def test_the_links_do_not_carry_the_format_parameter(api, cast, ledger):
    body = api(cast.shenyang_supervisor).get(reverse("api:dashboard"), {"format": "json"}).json()
    assert "format" not in body["headline"]["open"]["api_url"]
    assert body["children"][0]["api_url"] == "http://testserver/api/v1/dashboard/210102/"
