"""The statistics page: an enterprise's own report and its confirmation, a region's roll-up, bad choices."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from hazards.models import QuarterlyStatistics
from hazards.services.statistics import quarterly_statistics_generate
from tests.factories import EnterpriseFactory
from tests.statistics.conftest import HEPING, QUARTER, YEAR

pytestmark = pytest.mark.django_db
PERIOD = {"year": YEAR, "quarter": QUARTER}


@pytest.fixture
def generated(liaoning, quarter) -> dict[str, QuarterlyStatistics]:
    quarterly_statistics_generate(year=YEAR, quarter=QUARTER)
    return {
        key: QuarterlyStatistics.objects.get(enterprise=enterprise)
        for key, enterprise in liaoning.enterprises.items()
    }


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(reverse("statistics"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_enterprise_sees_its_own_report_with_a_confirm_form(client, cast, generated):
    client.force_login(cast.heping_staff)
    response = client.get(reverse("statistics"), PERIOD)
    assert response.status_code == 200
    assert response.context["report"] == generated["heping"]
    assert dict(zip(HEPING, [value for _label, value in response.context["figures"]], strict=True)) == HEPING
    assert b'data-testid="confirm-form"' in response.content
    assert response.context["confirm_form"].initial["principal_name"] == "Zhang San"


def test_the_default_is_the_last_quarter_that_ended(client, cast, generated, monkeypatch):
    import datetime

    from hazards.pages import statistics as statistics_pages

    monkeypatch.setattr(statistics_pages, "local_today", lambda: datetime.date(2025, 11, 5))
    client.force_login(cast.heping_staff)
    response = client.get(reverse("statistics"))
    assert (response.context["year"], response.context["quarter"]) == (2025, 3)
    assert response.context["report"] == generated["heping"]


def test_a_quarter_not_generated_says_so(client, cast, generated):
    client.force_login(cast.heping_staff)
    response = client.get(reverse("statistics"), {"year": 2025, "quarter": 1})
    assert response.context["report"] is None
    assert b'data-testid="no-report"' in response.content


def test_the_enterprise_confirms_its_report(client, cast, generated):
    client.force_login(cast.heping_staff)
    report = generated["heping"]
    response = client.post(reverse("statistics_confirm", args=[report.pk]), {"principal_name": "张三"})
    assert response.status_code == 302
    assert response.url == f"{reverse('statistics')}?year={YEAR}&quarter={QUARTER}"
    report.refresh_from_db()
    assert report.principal_name == "张三" and report.confirmed_by == cast.heping_staff
    page = client.get(response.url)
    assert b'data-testid="confirmed"' in page.content
    assert b'data-testid="confirm-form"' not in page.content


def test_an_empty_name_is_shown_on_its_field(client, cast, generated):
    client.force_login(cast.heping_staff)
    report = generated["heping"]
    response = client.post(reverse("statistics_confirm", args=[report.pk]), {"principal_name": " "})
    assert response.status_code == 400
    assert response.context["confirm_form"].errors["principal_name"]
    report.refresh_from_db()
    assert not report.is_confirmed


def test_confirming_twice_is_refused_with_a_message(client, cast, generated):
    client.force_login(cast.heping_staff)
    url = reverse("statistics_confirm", args=[generated["heping"].pk])
    client.post(url, {"principal_name": "张三"})
    response = client.post(url, {"principal_name": "李四"})
    assert response.status_code == 302
    assert any("already confirmed" in text for text in texts(response))
    generated["heping"].refresh_from_db()
    assert generated["heping"].principal_name == "张三"


def test_another_enterprise_cannot_confirm(client, cast, generated):
    client.force_login(cast.xigang_staff)
    response = client.post(
        reverse("statistics_confirm", args=[generated["heping"].pk]), {"principal_name": "王五"}
    )
    assert response.status_code == 404
    generated["heping"].refresh_from_db()
    assert not generated["heping"].is_confirmed


def test_an_inspector_cannot_confirm(client, cast, generated):
    client.force_login(cast.heping_inspector)
    response = client.post(
        reverse("statistics_confirm", args=[generated["heping"].pk]), {"principal_name": "王五"}
    )
    assert response.status_code == 403


def test_confirming_is_a_post(client, cast, generated):
    client.force_login(cast.heping_staff)
    assert client.get(reverse("statistics_confirm", args=[generated["heping"].pk])).status_code == 405


def test_a_shenyang_supervisor_sees_shenyang_rolled_up_per_county(client, cast, generated):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("statistics"), PERIOD)
    assert response.status_code == 200
    rollup = {row.code: row for row, _values in response.context["rollup"]}
    assert list(rollup) == ["210102", "210103"]
    assert rollup["210102"].sums["found_general"] == HEPING["found_general"]
    assert rollup["210102"].found == 4 and rollup["210102"].rectified == 2
    assert rollup["210103"].sums["enterprises"] == 1 and rollup["210103"].found == 0
    total, _values = response.context["total"]
    assert total.sums["overdue"] == HEPING["overdue"] and total.sums["enterprises"] == 2
    listed = {row.enterprise_id for row, _values in response.context["rows"]}
    assert listed == {generated["heping"].enterprise_id, generated["shenhe"].enterprise_id}
    assert "西岗区".encode() not in response.content


def test_a_province_supervisor_sees_both_cities(client, liaoning, generated, cast):

    client.force_login(cast.province_supervisor)
    response = client.get(reverse("statistics"), PERIOD)
    rollup = {row.code: row.sums for row, _values in response.context["rollup"]}
    assert list(rollup) == ["210100", "210200"]
    assert rollup["210100"]["unrectified"] == 3 and rollup["210200"]["unrectified"] == 1


def test_a_dalian_supervisor_never_sees_shenyang(client, cast, generated):
    client.force_login(cast.dalian_supervisor)
    response = client.get(reverse("statistics"), PERIOD)
    listed = {row.enterprise_id for row, _values in response.context["rows"]}
    assert listed == {generated["zhongshan"].enterprise_id, generated["xigang"].enterprise_id}
    assert response.context["total"][0].sums["found_general"] == 1
    assert "和平区".encode() not in response.content


def test_a_county_inspector_sees_the_county_without_a_roll_up(client, cast, generated):
    client.force_login(cast.heping_inspector)
    response = client.get(reverse("statistics"), PERIOD)
    assert response.context["rollup"] == []
    assert [row.enterprise_id for row, _values in response.context["rows"]] == [
        generated["heping"].enterprise_id
    ]


def test_the_enterprise_list_is_paginated(client, cast, liaoning, quarter):
    for _ in range(30):
        EnterpriseFactory(region=liaoning.counties["shenhe"])
    quarterly_statistics_generate(year=YEAR, quarter=QUARTER)
    client.force_login(cast.shenyang_supervisor)
    first = client.get(reverse("statistics"), PERIOD)
    assert len(first.context["rows"]) == 25
    assert first.context["page"].paginator.num_pages == 2
    second = client.get(reverse("statistics"), {**PERIOD, "page": 2})
    assert len(second.context["rows"]) == 7
    assert client.get(reverse("statistics"), {**PERIOD, "page": "x"}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc", "quarter": "3"},
        {"year": "2025", "quarter": "5"},
        {"year": "2025", "quarter": "0"},
        {"year": "2025", "quarter": "q"},
        {"year": "", "quarter": ""},
        {"year": "1999", "quarter": "1"},
        {"year": "99999999999999999999999", "quarter": "1"},
        {"year": "2100", "quarter": "1"},
        {"year": "2025\x00", "quarter": "1"},
    ],
)
def test_a_bad_choice_gives_a_message_and_the_default_quarter(client, cast, generated, params):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("statistics"), params)
    assert response.status_code == 200
    assert any("not valid" in text for text in texts(response))


def test_a_quarter_not_yet_ended_is_refused(client, cast, generated, monkeypatch):
    import datetime

    from hazards.pages import statistics as statistics_pages

    monkeypatch.setattr(statistics_pages, "local_today", lambda: datetime.date(2025, 11, 5))
    client.force_login(cast.heping_staff)
    response = client.get(reverse("statistics"), {"year": 2025, "quarter": 4})
    assert any("not valid" in text for text in texts(response))
    assert (response.context["year"], response.context["quarter"]) == (2025, 3)


def test_the_nav_links_to_the_page(client, cast, db):
    client.force_login(cast.heping_staff)
    response = client.get(reverse("home"))
    assert b'data-testid="statistics-link"' in response.content
