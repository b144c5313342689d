"""Computing a ranking run from the hazards of a hand-made quarter (2025 Q3, [Jul 1, Oct 1) Shanghai time)."""

import re
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from hazards.lib.errors import RuleViolation
from hazards.lib.ranking import indicators
from hazards.models import (
    EntryKind,
    RankingConfiguration,
    RankingDeduction,
    RankingEntry,
    RankingRun,
)
from hazards.services.rankings.compute import count_units, parse_quarter, ranking_compute
from tests.rankings.conftest import QUARTER, YEAR

pytestmark = pytest.mark.django_db


def entries(run, kind=EntryKind.REGION) -> dict[str, RankingEntry]:
    unit = "region" if kind == EntryKind.REGION else "enterprise"
    return {
        (entry.region.code if entry.region else entry.enterprise.region.code): entry
        for entry in run.entries.filter(kind=kind).select_related(unit)
    }


def test_it_counts_each_region_and_enterprise_of_the_quarter(liaoning, quarter):
    units = count_units(YEAR, QUARTER, liaoning.province)
    shenyang, dalian = units.regions[liaoning.shenyang.pk], units.regions[liaoning.dalian.pk]
    assert {k: v for k, v in shenyang.items() if v} == {
        "found": 4, "found_by_departments": 3, "self_found": 1, "repeats": 1, "due": 4, "rectified": 2,
        "on_time": 1, "found_again": 1, "inspections": 2,  # one inspection of a red enterprise: twice
    }  # fmt: skip
    assert {k: v for k, v in dalian.items() if v} == {
        "found": 2, "found_by_departments": 2, "due": 3, "overdue": 2, "major_open": 1, "listed": 1,
        "voided": 1, "inspections": 1,
    }  # fmt: skip
    assert units.enterprises_per_region == {liaoning.shenyang.pk: 2, liaoning.dalian.pk: 2}
    assert units.enterprises[liaoning.enterprises["heping"].pk] == shenyang


def test_a_run_ranks_the_cities_and_the_enterprises(liaoning, quarter):
    run = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    cities = entries(run)
    assert set(cities) == {"210100", "210200"}
    assert cities["210100"].rank == 1 and cities["210200"].rank == 2
    assert cities["210100"].mark == "red" and cities["210200"].mark == "black"
    assert cities["210200"].flags == {"voided": 1}
    assert cities["210100"].flags == {"found_again": 1}
    overdue = cities["210200"].indicator("overdue_at_end")
    assert (overdue["part"], overdue["whole"], overdue["value"]) == (2, 2, 1.0)
    assert cities["210200"].indicator("overdue_at_end")["normalised"] == 0.0  # the worse of two
    rate = cities["210100"].indicator("rectification_rate")
    assert (rate["part"], rate["whole"]) == (2, 4)
    points = sum(cities["210100"].indicator(indicator.key)["points"] for indicator in indicators())
    assert points == pytest.approx(cities["210100"].score, abs=1e-4)
    assert set(cities["210200"].costliest) <= {indicator.key for indicator in indicators()}
    assert len(entries(run, EntryKind.ENTERPRISE)) == 4
    assert run.configuration == RankingConfiguration.current().snapshot()


def test_computing_again_before_publication_gives_the_same_run(liaoning, quarter):
    first = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    before = list(
        first.entries.values_list("kind", "region", "enterprise", "score", "rank", "mark", "explanation")
    )
    again = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    assert again.pk == first.pk and RankingRun.objects.count() == 1
    after = list(
        again.entries.values_list("kind", "region", "enterprise", "score", "rank", "mark", "explanation")
    )
    assert after == before


def test_a_published_run_is_never_changed(liaoning, quarter, cast):
    run = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    RankingRun.objects.filter(pk=run.pk).update(published_at=timezone.now(), published_by=cast.admin)
    scores = list(run.entries.values_list("pk", "score"))
    with pytest.raises(RuleViolation, match="published; it is never changed"):
        ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    assert list(run.entries.values_list("pk", "score")) == scores


def test_a_run_killed_halfway_leaves_the_previous_one(liaoning, quarter):
    run = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    kept = list(run.entries.values_list("pk", "score"))
    computed_at = run.computed_at
    with (
        mock.patch("hazards.services.rankings.compute._write_entries", side_effect=RuntimeError("killed")),
        pytest.raises(RuntimeError),
    ):
        ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    run.refresh_from_db()
    assert list(run.entries.values_list("pk", "score")) == kept and run.computed_at == computed_at


def test_a_veto_sends_the_best_city_to_the_black_list(liaoning, quarter, cast):
    RankingDeduction.objects.create(
        year=YEAR, quarter=QUARTER, region=liaoning.counties["heping"], accidents=1, deaths=1, veto=True,
        reason="较大生产安全事故", entered_by=cast.province_supervisor,
    )  # fmt: skip
    config = RankingConfiguration.current()
    cities = entries(ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province))
    assert cities["210100"].veto and cities["210100"].mark == "black"
    assert cities["210100"].deduction_points == config.accident_points + config.death_points


def test_the_change_of_rank_since_last_quarter(liaoning, quarter):
    ranking_compute(year=YEAR, quarter=2, scope=liaoning.province)
    previous = entries(RankingRun.objects.get(quarter=2))
    cities = entries(ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province))
    for code, entry in cities.items():
        assert entry.previous_rank == previous[code].rank
        assert entry.rank_change == previous[code].rank - entry.rank


def test_a_city_run_ranks_its_counties(liaoning, quarter):
    counties = entries(ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.shenyang))
    assert set(counties) == {"210102", "210103"}
    assert counties["210102"].rank == 1


def test_a_county_cannot_be_a_ranking_scope(liaoning):
    with pytest.raises(RuleViolation, match="a county has none"):
        ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.counties["heping"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026Q5", "Write the quarter as a year and its number"),
        ("2026-3", "Write the quarter as a year and its number"),
        ("", "Write the quarter as a year and its number"),
        ("1999Q4", "There is no ranking before 2000."),
        ("2999Q1", "This quarter has not begun yet."),
    ],
)
def test_a_quarter_that_cannot_be_ranked_is_refused(text, message):
    with pytest.raises(RuleViolation, match=message):
        parse_quarter(text)


def test_the_current_quarter_can_be_drafted():
    today = timezone.localdate()
    assert parse_quarter(f"{today.year}q{(today.month - 1) // 3 + 1}") == (
        today.year,
        (today.month - 1) // 3 + 1,
    )


def test_the_command_drafts_the_run_and_refuses_bad_input(liaoning, quarter, capsys):
    call_command("compute_ranking", "2025Q3")
    out = capsys.readouterr().out
    assert "2025 Q3 辽宁省 (210000): a draft of 6 entries." in out and "沈阳市" in out
    with pytest.raises(CommandError, match=re.escape("This quarter has not begun yet.")):
        call_command("compute_ranking", "2999Q1")
    with pytest.raises(CommandError, match=re.escape("No region has the code '999999'.")):
        call_command("compute_ranking", "2025Q3", "--scope", "999999")
    with pytest.raises(CommandError, match="a county has none"):
        call_command("compute_ranking", "2025Q3", "--scope", "210102")


def test_runs_are_seen_within_the_users_scope(liaoning, quarter, cast):
    province_run = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.province)
    shenyang_run = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.shenyang)
    dalian_run = ranking_compute(year=YEAR, quarter=QUARTER, scope=liaoning.dalian)

    def seen(user) -> set[int]:
        return set(RankingRun.objects.visible_to(user).values_list("pk", flat=True))

    assert seen(cast.province_supervisor) == {province_run.pk, shenyang_run.pk, dalian_run.pk}
    assert seen(cast.shenyang_supervisor) == {shenyang_run.pk}
    assert seen(cast.zhongshan_inspector) == set()
    assert seen(cast.heping_staff) == set()
    assert seen(cast.admin) == {province_run.pk, shenyang_run.pk, dalian_run.pk}


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"rectification_rate": -1}, "rectification_rate: a weight cannot be negative"),
        ({key.key: 0 for key in indicators()}, "__all__: at least one weight must be above zero"),
    ],
)
def test_the_configuration_refuses_weights_a_ranking_cannot_use(weights, message):
    from django.core.exceptions import ValidationError

    config = RankingConfiguration.current()
    config.weights = {**config.weights, **weights}
    with pytest.raises(ValidationError) as refused:
        config.full_clean()
    assert message in refused.value.message_dict["weights"]


def test_the_command_publishes_when_asked_and_never_twice(liaoning, quarter, capsys):
    with mock.patch("hazards.tasks.drain_outbox.delay"):
        call_command("compute_ranking", "2025Q3", "--publish")
        assert "2025 Q3 辽宁省 (210000): published of 6 entries." in capsys.readouterr().out
        run = RankingRun.objects.get(scope=liaoning.province)
        assert run.is_published and run.published_by is None
        with pytest.raises(CommandError, match="published; it is never changed"):
            call_command("compute_ranking", "2025Q3", "--publish")
    assert RankingRun.objects.get(pk=run.pk).published_at == run.published_at
