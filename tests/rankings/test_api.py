"""The rankings API: the runs of the user's scope, a run explained, its entries, and publishing a draft.

The quarter is the ranking tests' hand-made 2025 Q3 (tests/rankings/conftest.py): 沈阳市 works well and 大连市
lets its hazards run over, so the province's run puts 沈阳市 on the red list and 大连市 on the black one.
"""

import io
from unittest import mock

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hazards.lib.ranking import indicators
from hazards.models import Notice, RankingConfiguration, RankingRun, Region
from hazards.services.rankings.compute import ranking_compute
from tests.api.helpers import by_role, error
from tests.rankings.conftest import QUARTER, YEAR

pytestmark = pytest.mark.django_db
LIST = reverse("api:ranking-list")
# What the API tells of each indicator of an entry (selectors.rankings.IndicatorRow).
EXPLAINED = {"key", "label", "weight", "part", "whole", "value", "normalised", "points", "lost"}


def url(run: RankingRun, name: str = "detail") -> str:
    return reverse(f"api:ranking-{name}", args=[run.pk])


@pytest.fixture
def runs(liaoning, quarter) -> dict[str, RankingRun]:
    """The draft runs of 2025 Q3 for the province and its two cities."""
    return {
        "province": ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province),
        "shenyang": ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.shenyang),
        "dalian": ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.dalian),
    }


def empty_run(scope: Region, year: int = 2024, quarter_number: int = 1) -> RankingRun:
    """A draft run with no entry (computed, say, before the scope had any region)."""
    return RankingRun.objects.create(
        year=year,
        quarter=quarter_number,
        scope=scope,
        configuration=RankingConfiguration.current().snapshot(),
        computed_at=timezone.now(),
    )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- Who sees which runs ---------------------------------------------------------------------------------


def test_each_user_lists_the_runs_of_the_scope(api, cast, runs):
    shenyang, dalian, province = runs["shenyang"].pk, runs["dalian"].pk, runs["province"].pk
    assert ids(api(cast.shenyang_supervisor).get(LIST)) == [shenyang]
    assert ids(api(cast.shenyang_inspector).get(LIST)) == [shenyang]
    assert ids(api(cast.dalian_supervisor).get(LIST)) == [dalian]
    assert ids(api(cast.admin).get(LIST)) == [province, shenyang, dalian]  # by scope code


def test_the_list_is_newest_quarter_first_with_each_runs_quarter_scope_and_publication(api, cast, liaoning):
    older = empty_run(liaoning.shenyang, 2024, 4)
    newer = empty_run(liaoning.shenyang, 2025, 1)
    RankingRun.objects.filter(pk=older.pk).update(
        published_at=timezone.now(), published_by=cast.shenyang_supervisor
    )
    rows = api(cast.shenyang_supervisor).get(LIST).json()["results"]
    assert [row["id"] for row in rows] == [newer.pk, older.pk]
    assert rows[0]["year"] == 2025 and rows[0]["quarter"] == 1
    assert rows[0]["scope"] == {"code": "210100", "name": "沈阳市", "level": "city"}
    assert rows[0]["published_at"] is None and rows[0]["published_by"] is None
    assert rows[1]["published_by"]["id"] == cast.shenyang_supervisor.pk


@pytest.mark.parametrize("name", ["detail", "entries"])
def test_a_run_outside_the_scope_is_a_404(api, cast, runs, name):
    for run in (runs["shenyang"], runs["province"]):
        response = api(cast.dalian_supervisor).get(url(run, name))
        assert response.status_code == 404
        assert error(response)["code"] == "not_found"
    assert api(cast.shenyang_supervisor).get(url(runs["province"], name)).status_code == 404
    assert api(cast.shenyang_supervisor).get(url(runs["shenyang"], name)).status_code == 200


def test_an_id_beyond_any_row_is_a_404(api, cast, runs):
    client, big = api(cast.admin), "9" * 30
    for response in (
        client.get(f"{LIST}{big}/"),
        client.get(f"{LIST}{big}/entries/"),
        client.post(f"{LIST}{big}/publish/"),
    ):
        assert response.status_code == 404
        assert error(response)["code"] == "not_found"


def test_an_enterprise_has_no_rankings_even_before_any_run_is_looked_up(api, cast, runs):
    client = api(cast.heping_staff)
    responses = [
        client.get(LIST),
        client.get(url(runs["shenyang"])),
        client.get(url(runs["shenyang"], "entries")),
        client.post(url(runs["shenyang"], "publish")),
        client.get(reverse("api:ranking-detail", args=[10**9])),  # no such run: still 403
    ]
    for response in responses:
        assert response.status_code == 403
        assert error(response)["code"] == "not_permitted"
    assert not RankingRun.objects.filter(published_at__isnull=False).exists()


def test_an_anonymous_client_is_asked_to_authenticate(api, runs):
    client = api(None)
    assert client.get(LIST).status_code == 401
    assert client.get(url(runs["shenyang"])).status_code == 401
    assert client.post(url(runs["shenyang"], "publish")).status_code == 401


# --- A run explained -------------------------------------------------------------------------------------


def test_a_run_shows_its_regions_by_rank_its_lists_and_its_best_enterprises(api, cast, runs):
    run = runs["province"]
    response = api(cast.admin).get(url(run))
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["year"], body["quarter"]) == (run.pk, YEAR, QUARTER)
    assert body["scope"]["code"] == "210000"
    assert body["published_at"] is None and body["published_by"] is None
    assert body["configuration"] == run.configuration
    assert [entry["region"]["code"] for entry in body["entries"]] == ["210100", "210200"]
    assert [entry["rank"] for entry in body["entries"]] == [1, 2]
    assert [entry["mark"] for entry in body["entries"]] == ["red", "black"]
    shenyang, dalian = body["entries"]
    assert [listed["id"] for listed in body["red"]] == [shenyang["id"]]
    assert [listed["id"] for listed in body["black"]] == [dalian["id"]]
    assert body["black"][0]["region"]["name"] == "大连市"
    ranks = [entry["rank"] for entry in body["enterprises"]]
    assert len(ranks) == 4 and ranks == sorted(ranks) and ranks[0] == 1
    assert all(entry["kind"] == "enterprise" for entry in body["enterprises"])
    assert body["enterprises"][0]["enterprise"]["region"]["code"].startswith("210")


def test_each_entry_is_explained_indicator_by_indicator(api, cast, runs):
    body = api(cast.admin).get(url(runs["province"]), HTTP_ACCEPT_LANGUAGE="en").json()
    shenyang, dalian = body["entries"]
    explained = shenyang["explanation"]
    assert [row["key"] for row in explained] == [indicator.key for indicator in indicators()]
    assert all(set(row) == EXPLAINED for row in explained)
    by_key = {row["key"]: row for row in explained}
    assert by_key["rectification_rate"]["label"] == "Rectification rate"
    assert (
        by_key["rectification_rate"]["weight"]
        == runs["province"].configuration["weights"]["rectification_rate"]
    )
    assert sum(row["points"] for row in explained) == pytest.approx(shenyang["score"], abs=1e-4)
    assert dalian["flags"] == [{"key": "voided", "label": "hazards voided", "count": 1}]
    assert (dalian["veto"], dalian["deduction"], dalian["previous_rank"]) == (False, 0.0, None)


def test_the_explanation_is_in_the_language_of_the_request(api, cast, runs):
    body = api(cast.admin).get(url(runs["province"]), HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    labels = {row["key"]: row["label"] for row in body["entries"][0]["explanation"]}
    assert labels["rectification_rate"] == "整改率"


# --- The entries ----------------------------------------------------------------------------------------


def test_the_entries_are_the_regions_then_the_enterprises_each_by_rank(api, cast, runs):
    response = api(cast.shenyang_supervisor).get(url(runs["shenyang"], "entries"))
    rows = response.json()["results"]
    assert [row["kind"] for row in rows] == ["region", "region", "enterprise", "enterprise"]
    assert [row["rank"] for row in rows[:2]] == [1, 2] and [row["rank"] for row in rows[2:]] == [1, 2]
    assert rows[0]["region"]["code"] in ("210102", "210103") and rows[0]["enterprise"] is None
    assert rows[2]["region"] is None and rows[2]["enterprise"]["name"].endswith("燃气有限公司")


@pytest.mark.parametrize(("kind", "count"), [("region", 2), ("enterprise", 4)])
def test_the_entries_filter_keeps_one_kind_by_rank(api, cast, runs, kind, count):
    run = runs["province"]
    response = api(cast.admin).get(url(run, "entries"), {"kind": kind})
    rows = response.json()["results"]
    assert [row["kind"] for row in rows] == [kind] * count
    by_rank = run.entries.filter(kind=kind).order_by("rank", "id")
    assert [row["id"] for row in rows] == [entry.pk for entry in by_rank]
    assert [row["rank"] for row in rows] == sorted(row["rank"] for row in rows)


@pytest.mark.parametrize("kind", ["county", "REGION", "region,enterprise"])
def test_an_unknown_entry_kind_is_a_400_naming_it(api, cast, runs, kind):
    response = api(cast.shenyang_supervisor).get(url(runs["shenyang"], "entries"), {"kind": kind})
    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["kind"]


def test_a_bad_page_size_of_the_entries_is_a_400(api, cast, runs):
    response = api(cast.shenyang_supervisor).get(url(runs["shenyang"], "entries"), {"page_size": "0"})
    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["page_size"]


def test_the_entries_query_count_does_not_grow_with_the_page(api, cast, runs):
    client, counts = api(cast.admin), []
    for page_size in (2, 20):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(runs["province"], "entries"), {"page_size": page_size})
        assert len(ids(response)) == min(page_size, 6)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_lists_query_count_does_not_grow_with_the_page(api, cast, liaoning):
    for year in (2023, 2024, 2025):
        for quarter_number in (1, 2, 3, 4):
            run = empty_run(liaoning.shenyang, year, quarter_number)
            if quarter_number % 2:
                RankingRun.objects.filter(pk=run.pk).update(
                    published_at=timezone.now(), published_by=cast.shenyang_supervisor
                )
    client, counts = api(cast.shenyang_supervisor), []
    for page_size in (2, 20):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"page_size": page_size})
        assert len(ids(response)) == min(page_size, 12)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Publishing -----------------------------------------------------------------------------------------


def test_a_supervisor_of_the_scope_publishes_the_draft_and_gets_the_run(
    api, cast, runs, django_capture_on_commit_callbacks
):
    run = runs["shenyang"]
    with (
        mock.patch("hazards.tasks.drain_outbox.delay") as drain,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = api(cast.shenyang_supervisor).post(url(run, "publish"))
    assert response.status_code == 200
    run.refresh_from_db()
    assert run.published_at is not None and run.published_by == cast.shenyang_supervisor
    body = response.json()
    assert body["id"] == run.pk and body["published_at"] is not None
    assert body["published_by"]["id"] == cast.shenyang_supervisor.pk
    assert len(body["entries"]) == 2
    drain.assert_called_once_with()
    # The ranked are told by the drain it nudged, not in the request.
    assert run.notices_created_at is None
    assert not Notice.objects.filter(ranking_entry__run=run).exists()


def test_publishing_twice_is_a_409_and_keeps_the_first_publication(api, cast, runs):
    run, client = runs["shenyang"], api(cast.shenyang_supervisor)
    with mock.patch("hazards.tasks.drain_outbox.delay"):
        assert client.post(url(run, "publish")).status_code == 200
        run.refresh_from_db()
        first = run.published_at
        response = client.post(url(run, "publish"))
    assert response.status_code == 409
    assert error(response)["code"] == "invalid_transition"
    run.refresh_from_db()
    assert run.published_at == first


@pytest.mark.parametrize("role", ["inspector", "administrator"])
def test_only_a_supervisor_publishes(api, cast, runs, role):
    response = api(by_role(cast, role)).post(url(runs["shenyang"], "publish"))
    assert response.status_code == 403
    assert error(response)["code"] == "not_permitted"
    runs["shenyang"].refresh_from_db()
    assert runs["shenyang"].published_at is None


def test_a_supervisor_cannot_publish_a_run_above_or_beside_the_scope(api, cast, runs):
    for run in (runs["province"], runs["dalian"]):
        response = api(cast.shenyang_supervisor).post(url(run, "publish"))
        assert response.status_code == 404
        run.refresh_from_db()
        assert run.published_at is None


def test_a_run_with_no_entry_is_not_published(api, cast, liaoning):
    run = empty_run(liaoning.shenyang)
    response = api(cast.shenyang_supervisor).post(url(run, "publish"))
    assert response.status_code == 400
    assert error(response)["code"] == "rule_violation"
    run.refresh_from_db()
    assert run.published_at is None


# --- The workbook ---------------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_rows(response) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(book.active.iter_rows(values_only=True))


def test_the_workbook_is_the_ranking_pages(api, client, cast, runs):
    run = runs["shenyang"]
    response = api(cast.shenyang_supervisor).get(url(run, "export"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="ranking-210100-2025Q3.xlsx"' in response["Content-Disposition"]
    header, *rows = workbook_rows(response)
    assert header[:3] == ("Kind", "Rank", "Name")
    assert len(rows) == run.entries.count() == 4
    assert [row[0] for row in rows] == ["Region", "Region", "Enterprise", "Enterprise"]
    client.force_login(cast.shenyang_supervisor)
    page = client.get(reverse("ranking_export_xlsx", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert workbook_rows(page) == [header, *rows]


def test_the_workbook_answers_a_client_that_asks_for_it(api, cast, runs):
    response = api(cast.admin).get(url(runs["province"], "export"), HTTP_ACCEPT=XLSX)
    assert response.status_code == 200
    assert len(workbook_rows(response)) == 1 + runs["province"].entries.count()


def test_the_workbook_of_a_run_outside_the_scope_is_a_404(api, cast, runs):
    for run in (runs["province"], runs["dalian"]):
        response = api(cast.shenyang_supervisor).get(url(run, "export"))
        assert response.status_code == 404
        assert error(response)["code"] == "not_found"
    assert api(cast.shenyang_supervisor).get(f"{LIST}{'9' * 30}/export/").status_code == 404


def test_an_enterprise_has_no_workbook(api, cast, runs):
    response = api(cast.heping_staff).get(url(runs["shenyang"], "export"))
    assert response.status_code == 403
    assert error(response)["code"] == "not_permitted"
    assert api(None).get(url(runs["shenyang"], "export")).status_code == 401
