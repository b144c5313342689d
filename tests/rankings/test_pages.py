"""The ranking pages: the runs of the user's scope, a run with its lists and explanations, publishing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hazards.models import RankingRun
from hazards.services.rankings.compute import ranking_compute
from tests.rankings.conftest import QUARTER, YEAR

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def runs(liaoning, quarter):
    return {
        "province": ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province),
        "shenyang": ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.shenyang),
        "dalian": ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.dalian),
    }


def listed(client, user) -> set[int]:
    client.force_login(user)
    response = client.get(reverse("ranking_list"), **EN)
    assert response.status_code == 200
    return {run.pk for run in response.context["runs"]}


def test_each_supervisor_lists_the_runs_of_the_scope(client, liaoning, runs, cast):
    everything = {run.pk for run in runs.values()}
    assert listed(client, cast.province_supervisor) == everything
    assert listed(client, cast.shenyang_supervisor) == {runs["shenyang"].pk}
    assert listed(client, cast.admin) == everything


def test_an_enterprise_has_no_ranking_pages(client, liaoning, runs, cast):
    client.force_login(cast.heping_staff)
    assert client.get(reverse("ranking_list")).status_code == 404
    assert client.get(reverse("ranking_detail", args=[runs["shenyang"].pk])).status_code == 404


def test_anonymous_is_sent_to_log_in(client, runs):
    response = client.get(reverse("ranking_detail", args=[runs["province"].pk]))
    assert response.status_code == 302 and reverse("login") in response.url


def test_a_run_page_shows_the_lists_and_each_explanation(client, liaoning, runs, cast):
    client.force_login(cast.province_supervisor)
    response = client.get(reverse("ranking_detail", args=[runs["province"].pk]), **EN)
    assert response.status_code == 200
    page = response.context["page"]
    assert [entry.region.code for entry in page.red] == ["210100"]
    assert [entry.region.code for entry in page.black] == ["210200"]
    html = response.content.decode()
    assert 'data-testid="entry-210100"' in html and "Rectification rate" in html
    assert "hazards voided 1" in html  # 大连's flag
    assert 'data-testid="publish-form"' in html
    assert response.context["chart"]["labels"] == ["沈阳市", "大连市"]
    assert response.context["chart"]["marks"] == ["red", "black"]
    assert 'id="ranking-scores-data"' in html and "js/ranking.js" in html
    rows = response.context["rows"]
    explanation = {entry: indicators for entry, indicators, _flags in rows}[page.regions[0]]
    assert sum(row.points for row in explanation) == pytest.approx(page.regions[0].score, abs=1e-4)


def test_the_table_is_sorted_as_asked_and_a_strange_order_is_the_rank(client, liaoning, runs, cast):
    client.force_login(cast.province_supervisor)
    url = reverse("ranking_detail", args=[runs["province"].pk])
    by_score = client.get(url, {"order": "score"}).context["page"].regions
    assert [entry.region.code for entry in by_score] == ["210200", "210100"]
    strange = client.get(url, {"order": "password"}).context["page"]
    assert strange.order == "rank" and [entry.rank for entry in strange.regions] == [1, 2]


def test_a_supervisor_of_another_city_cannot_open_or_publish_it(client, liaoning, runs, cast):
    client.force_login(cast.dalian_supervisor)
    assert client.get(reverse("ranking_detail", args=[runs["shenyang"].pk])).status_code == 404
    assert client.post(reverse("ranking_publish", args=[runs["shenyang"].pk])).status_code == 404
    assert not RankingRun.objects.get(pk=runs["shenyang"].pk).is_published


def test_a_supervisor_publishes_once(client, liaoning, runs, cast):
    client.force_login(cast.province_supervisor)
    url = reverse("ranking_publish", args=[runs["province"].pk])
    response = client.post(url, **EN)
    assert response.status_code == 302
    run = RankingRun.objects.get(pk=runs["province"].pk)
    assert run.is_published and run.published_by.region == liaoning.province
    again = client.post(url, **EN)
    assert again.status_code == 409 and "This ranking was published on" in again.content.decode()
    assert RankingRun.objects.get(pk=run.pk).published_at == run.published_at
    assert 'data-testid="publish-form"' not in again.content.decode()


def test_an_empty_run_is_not_published(client, liaoning, runs, cast):
    runs["dalian"].entries.all().delete()
    client.force_login(cast.province_supervisor)
    response = client.post(reverse("ranking_publish", args=[runs["dalian"].pk]), **EN)
    assert response.status_code == 400 and "no entry to publish" in response.content.decode()
    assert not RankingRun.objects.get(pk=runs["dalian"].pk).is_published


def test_only_a_supervisor_publishes(client, liaoning, runs, cast):
    client.force_login(cast.shenyang_inspector)
    page = client.get(reverse("ranking_detail", args=[runs["shenyang"].pk]))
    assert page.status_code == 200 and 'data-testid="publish-form"' not in page.content.decode()
    assert client.post(reverse("ranking_publish", args=[runs["shenyang"].pk])).status_code == 403
    client.force_login(cast.admin)
    assert client.post(reverse("ranking_publish", args=[runs["shenyang"].pk])).status_code == 403
    assert not RankingRun.objects.get(pk=runs["shenyang"].pk).is_published


def test_the_run_page_takes_the_same_queries_for_two_regions_as_for_fourteen(client, liaoning, runs, cast):
    from tests.factories import EnterpriseFactory, RegionFactory

    client.force_login(cast.province_supervisor)

    def queries(run) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("ranking_detail", args=[run.pk])).status_code == 200
        return len(captured)

    few = queries(runs["province"])
    for number in range(3, 15):
        city = RegionFactory(
            code=f"21{number:02d}00", name=f"城市{number}", level="city", parent=liaoning.province
        )
        EnterpriseFactory(region=RegionFactory(code=f"21{number:02d}01", level="county", parent=city))
    more = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    assert more.entries.filter(kind="region").count() == 14
    assert queries(more) == few


def test_the_workbook_holds_every_entry_in_the_users_language(client, liaoning, runs, cast):
    import io

    from openpyxl import load_workbook

    client.force_login(cast.province_supervisor)
    response = client.get(reverse("ranking_export_xlsx", args=[runs["province"].pk]), **EN)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('filename="ranking-210000-2025Q3.xlsx"')
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][:4] == ("Kind", "Rank", "Name", "Code") and "Rectification rate" in rows[0]
    assert [(row[0], row[1], row[3]) for row in rows[1:3]] == [
        ("Region", 1, "210100"),
        ("Region", 2, "210200"),
    ]
    assert len(rows) == 1 + 2 + 4  # the header, two cities, four enterprises
    assert rows[1][6] == "Red list" and rows[2][6] == "Black list"
    chinese = client.get(
        reverse("ranking_export_xlsx", args=[runs["province"].pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    header = next(load_workbook(io.BytesIO(b"".join(chinese.streaming_content))).active.values)
    assert header[:2] == ("类型", "名次")


def test_the_bulletin_names_the_lists_and_says_when_it_is_a_draft(client, liaoning, runs, cast):
    client.force_login(cast.province_supervisor)
    response = client.get(
        reverse("ranking_bulletin", args=[runs["province"].pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "沈阳市" in html.split('data-testid="bulletin-red"')[1].split("</p>")[0]
    assert "大连市" in html.split('data-testid="bulletin-black"')[1].split("</p>")[0]
    assert 'data-testid="bulletin-draft"' in html


def test_another_citys_workbook_and_bulletin_are_not_found(client, liaoning, runs, cast):
    client.force_login(cast.dalian_supervisor)
    for name in ("ranking_export_xlsx", "ranking_bulletin"):
        assert client.get(reverse(name, args=[runs["shenyang"].pk])).status_code == 404
    client.force_login(cast.heping_staff)
    for name in ("ranking_export_xlsx", "ranking_bulletin"):
        assert client.get(reverse(name, args=[runs["shenyang"].pk])).status_code == 404
