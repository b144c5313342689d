"""The ledger's filters on the hazard list: each one, combined, refused values, pagination, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hazards.models import HazardSource
from hazards.selectors.hazards import PAGE_SIZE
from tests.factories import sector
from tests.hazards.helpers import DAY, EN, TODAY


def at(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


def numbers_in(response) -> set[str]:
    return {hazard.number for hazard in response.context["page"].object_list}


@pytest.fixture
def ledger(make_hazard, cast, liaoning):
    """Hazards of 沈阳市 that differ by one field each from `plain`, and one in 大连市 that nothing shows."""
    shenhe = liaoning.enterprises["shenhe"]
    listed_at = at(2026, 1, 5)  # the listed and the delisted hazards'
    hazards = {
        "plain": make_hazard(found_at=at(2026, 3, 10)),
        "shenhe": make_hazard(enterprise=shenhe, found_at=at(2026, 3, 11)),
        "coal": make_hazard(sector=sector("coal-mine"), found_at=at(2026, 3, 12)),
        "major": make_hazard(major=True, found_at=at(2026, 3, 13)),
        "closed": make_hazard(closed=True, found_at=at(2026, 1, 2), closed_at=at(2026, 2, 20)),
        "overdue": make_hazard(overdue=True, found_at=at(2026, 3, 14)),
        "self": make_hazard(
            source=HazardSource.SELF_INSPECTION, found_by=cast.heping_staff, found_at=at(2026, 3, 15)
        ),
        "listed": make_hazard(
            major=True, found_at=at(2026, 3, 16), listed=True, listing__listed_at=listed_at
        ),
        "delisted": make_hazard(
            major=True,
            found_at=at(2026, 3, 17),
            listed=True,
            listing__listed_at=listed_at,
            listing__delisted_at=at(2026, 2, 5),
        ),
    }
    hazards["repeat"] = make_hazard(repeat_of=hazards["closed"], found_at=at(2026, 3, 18))
    hazards["dalian"] = make_hazard(of_another_region=True, found_at=at(2026, 3, 10))
    return hazards


def shown(client, **params) -> set[str]:
    response = client.get(reverse("hazard_list"), {"status": "all", **params}, **EN)
    assert response.status_code == 200
    assert not response.context["listing"].errors, response.context["listing"].errors
    return numbers_in(response)


def names(ledger, *keys) -> set[str]:
    return {ledger[key].number for key in keys}


SHENYANG = {"plain", "shenhe", "coal", "major", "closed", "overdue", "self", "listed", "delisted", "repeat"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, SHENYANG),
        ({"region": "210103"}, {"shenhe"}),
        ({"region": "210102"}, SHENYANG - {"shenhe"}),
        ({"region": "210100"}, SHENYANG),
        ({"sector": "coal-mine"}, {"coal"}),
        ({"level": "major"}, {"major", "listed", "delisted"}),
        ({"status": "closed"}, {"closed"}),
        ({"overdue": "true"}, {"overdue"}),
        ({"overdue": "false"}, SHENYANG - {"overdue"}),
        ({"source": "self_inspection"}, {"self"}),
        ({"found_from": "2026-03-14", "found_to": "2026-03-15"}, {"overdue", "self"}),
        ({"found_to": "2026-01-31"}, {"closed"}),
        ({"closed_from": "2026-02-01", "closed_to": "2026-02-28"}, {"closed"}),
        ({"closed_from": "2026-02-21"}, set()),
        ({"repeat": "true"}, {"repeat"}),
        ({"repeat": "false"}, SHENYANG - {"repeat"}),
        ({"listed": "true"}, {"listed"}),
        ({"listed": "false"}, SHENYANG - {"listed"}),
        ({"deadline_to": (TODAY() - DAY).isoformat()}, {"overdue"}),
        ({"deadline_from": TODAY().isoformat()}, SHENYANG - {"overdue"}),
        (
            {"deadline_from": (TODAY() - DAY).isoformat(), "deadline_to": (TODAY() - DAY).isoformat()},
            {"overdue"},
        ),
    ],
)
def test_each_filter_keeps_exactly_its_hazards(client, ledger, cast, params, expected):
    client.force_login(cast.shenyang_supervisor)
    assert shown(client, **params) == names(ledger, *expected)


def test_the_enterprise_filter_takes_an_enterprise_of_the_scope(client, ledger, cast, liaoning):
    client.force_login(cast.shenyang_supervisor)
    assert shown(client, enterprise=liaoning.enterprises["shenhe"].credit_code) == names(ledger, "shenhe")


def test_filters_combine(client, ledger, cast, liaoning):
    client.force_login(cast.shenyang_supervisor)
    heping = liaoning.enterprises["heping"].credit_code
    assert shown(client, level="major", listed="false", enterprise=heping) == names(
        ledger, "major", "delisted"
    )
    assert shown(client, region="210102", status="open", found_from="2026-03-13", repeat="false") == names(
        ledger, "major", "overdue", "self", "listed", "delisted"
    )
    assert shown(client, status="overdue", source="self_inspection") == set()


def test_the_status_tabs_keep_the_filters_and_the_filters_keep_the_tab(client, ledger, cast):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("hazard_list"), {"status": "open", "level": "major"}, **EN)
    assert numbers_in(response) == names(ledger, "major", "listed", "delisted")
    text = response.content.decode()
    assert 'href="?status=closed&amp;level=major"' in text
    assert '<input type="hidden" name="status" value="open">' in text


@pytest.mark.parametrize(
    ("ordering", "first", "last"),
    [
        ("found_at", "closed", "repeat"),
        ("-found_at", "repeat", "closed"),
        ("deadline", "overdue", None),
        ("-enterprise", "shenhe", None),
        ("number", "plain", "shenhe"),  # 210102-... before 210103-...
    ],
)
def test_the_ledger_is_ordered_as_asked(client, ledger, cast, ordering, first, last):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("hazard_list"), {"status": "all", "ordering": ordering})
    numbers = [hazard.number for hazard in response.context["page"].object_list]
    assert numbers[0] == ledger[first].number
    if last:
        assert numbers[-1] == ledger[last].number


def test_the_default_order_of_all_hazards_is_the_latest_found_first(client, ledger, cast):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("hazard_list"), {"status": "all"})
    found = [hazard.found_at for hazard in response.context["page"].object_list]
    assert found == sorted(found, reverse=True)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"found_from": "2026-13-45"}, "Found from: Enter a valid date."),
        ({"closed_to": "yesterday"}, "Closed until: Enter a valid date."),
        ({"deadline_from": "2026-02-30"}, "Deadline from: Enter a valid date."),
        ({"region": "210202"}, "Region: Unknown region code, or a region outside your scope."),  # 大连 中山区
        ({"region": "210200"}, "Region: Unknown region code, or a region outside your scope."),  # 大连市
        ({"region": "999999"}, "Region: Unknown region code, or a region outside your scope."),
        ({"sector": "space-travel"}, "Sector: Unknown sector."),
        ({"enterprise": "abc"}, "Enterprise (credit code): Unknown enterprise, or one outside your scope."),
        ({"level": "tiny"}, "Level: Select a valid choice."),
        ({"ordering": "password"}, "Order by: Select a valid choice."),
    ],
)
def test_a_refused_value_shows_why_and_no_hazards(client, ledger, cast, params, message):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("hazard_list"), {"status": "all", **params}, **EN)
    assert response.status_code == 200
    assert numbers_in(response) == set()
    text = response.content.decode()
    errors = text[text.index('data-testid="filter-errors"') :]
    assert message in errors
    assert text.index('data-testid="filter-errors"') < text.index('data-testid="no-hazards"')
    assert ledger["dalian"].number not in text


def test_an_enterprise_of_another_region_is_refused(client, ledger, cast, liaoning):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(
        reverse("hazard_list"), {"enterprise": liaoning.enterprises["zhongshan"].credit_code}, **EN
    )
    assert response.status_code == 200 and numbers_in(response) == set()
    assert "Unknown enterprise, or one outside your scope." in response.content.decode()


def test_an_enterprise_user_cannot_reach_a_neighbour_through_the_filters(client, ledger, cast, liaoning):
    client.force_login(cast.heping_staff)
    for params in (
        {"enterprise": liaoning.enterprises["shenhe"].credit_code},
        {"region": "210103"},
        {"region": "210100"},
    ):
        response = client.get(reverse("hazard_list"), {"status": "all", **params}, **EN)
        assert response.status_code == 200 and numbers_in(response) == set()
        assert response.context["listing"].errors
    assert shown(client, region="210102") == names(ledger, *(SHENYANG - {"shenhe"}))


def test_the_region_choices_are_the_users_scope(client, cast):
    client.force_login(cast.shenyang_supervisor)
    form = client.get(reverse("hazard_list")).context["form"]
    assert [region.code for region in form.fields["region"].queryset] == ["210100", "210102", "210103"]


def test_the_pages_keep_the_filters(client, make_hazard, cast):
    for _ in range(PAGE_SIZE + 3):
        make_hazard(major=True)
    make_hazard()
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("hazard_list"), {"status": "all", "level": "major"}, **EN)
    text = response.content.decode()
    assert 'href="?status=all&amp;level=major&amp;page=2"' in text
    response = client.get(reverse("hazard_list"), {"status": "all", "level": "major", "page": 2})
    assert len(response.context["page"].object_list) == 3
    assert 'href="?status=all&amp;level=major&amp;page=1"' in response.content.decode()


def test_the_filter_form_is_closed_until_a_filter_is_set_and_links_the_exports(client, cast):
    client.force_login(cast.shenyang_supervisor)
    text = client.get(reverse("hazard_list"), {"status": "open"}, **EN).content.decode()
    assert '<details class="card mb-3" data-testid="ledger-filters">' in text
    assert f'href="{reverse("hazard_export_csv")}?status=open"' in text
    text = client.get(reverse("hazard_list"), {"status": "open", "level": "major"}, **EN).content.decode()
    assert 'data-testid="ledger-filters" open' in text
    assert f'href="{reverse("hazard_export_xlsx")}?status=open&amp;level=major"' in text


@pytest.mark.parametrize("who", ["heping_staff", "shenyang_supervisor"])
def test_the_filtered_list_takes_as_many_queries_for_thirty_hazards_as_for_one(
    client, make_hazard, cast, who
):
    params = {
        "status": "all",
        "region": "210102",
        "level": "general",
        "listed": "false",
        "ordering": "deadline",
    }

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("hazard_list"), params)
        assert response.status_code == 200 and not response.context["listing"].errors
        return len(captured)

    client.force_login(getattr(cast, who))
    make_hazard()
    few = queries()
    for _ in range(29):
        make_hazard()
    assert queries() == few


def test_the_review_late_filter_keeps_the_submissions_past_the_review_clock(
    client, make_hazard, cast, settings
):
    settings.NOTICES = {**settings.NOTICES, "review_days": 10}
    now = timezone.now()
    late = make_hazard(submitted=True, submitted_at=now - 11 * DAY)
    in_time = make_hazard(submitted=True, submitted_at=now - 9 * DAY)
    make_hazard()
    client.force_login(cast.shenyang_supervisor)
    assert shown(client, review_late="true") == {late.number}
    assert shown(client, status="submitted", review_late="false") == {in_time.number}


@pytest.mark.parametrize("who", ["heping_staff", "shenyang_supervisor"])
def test_each_tab_alone_pages_through_as_many_hazards_as_it_holds(client, ledger, cast, who):
    """The tabs' kept counts serve as the page's count when no filter narrows them."""
    client.force_login(getattr(cast, who))
    for status in ["to_do", "open", "overdue", "submitted", "closed", "void", "all"]:
        for ordering in ("", "deadline"):
            response = client.get(reverse("hazard_list"), {"status": status, "ordering": ordering}, **EN)
            listing = response.context["listing"]
            assert listing.page.paginator.count == len(numbers_in(response)) == listing.counts[status]


def test_a_refused_order_pages_through_nothing(client, ledger, cast):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("hazard_list"), {"status": "all", "ordering": "password"}, **EN)
    assert response.context["listing"].errors
    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize(
    ("headers", "labels"),
    [
        (EN, ["Number", "Number (descending)", "Deadline", "Deadline (descending)"]),
        ({"HTTP_ACCEPT_LANGUAGE": "zh-CN"}, ["编号", "编号（降序）", "整改期限", "整改期限（降序）"]),
    ],
)
def test_the_orders_are_offered_in_the_readers_language(client, cast, headers, labels):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("hazard_list"), {"status": "all"}, **headers)
    text = response.content.decode()
    for value, label in zip(["number", "-number", "deadline", "-deadline"], labels, strict=True):
        assert f'<option value="{value}">{label}</option>' in text
