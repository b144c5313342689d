"""The ranking's formula on a small hand-computed example: the expected numbers are worked out here from the
formula of docs/ranking.md, not taken from the code's output."""

import pytest

from hazards.lib.ranking import (
    Measure,
    Unit,
    WeightsInvalid,
    clean_weights,
    indicators,
    score_units,
)

K = 10  # prior strength: ten hazards' worth of the pooled rate
WEIGHTS = {indicator.key: 0 for indicator in indicators()} | {"rectification_rate": 2, "overdue_at_end": 1}
UNUSED = Measure(0, 1)


def unit(key, rectified, due, overdue, enterprises, **extra) -> Unit:
    measures = {indicator.key: UNUSED for indicator in indicators()}
    measures["rectification_rate"] = Measure(rectified, due)
    measures["overdue_at_end"] = Measure(overdue, enterprises)
    return Unit(key, measures, **extra)


def example(**extra_a) -> list[Unit]:
    return [
        unit("A", 45, 50, 2, 10, **extra_a),  # 90 % of many hazards; 0.2 overdue per enterprise
        unit("B", 3, 3, 0, 5),  # 100 % of three hazards; none overdue
        unit("C", 20, 40, 6, 12),  # 50 %; 0.5 overdue per enterprise
    ]


# The formula by hand. Pooled rate m = (45 + 3 + 20) / (50 + 3 + 40) = 68 / 93.
M = 68 / 93
SHRUNK = {"A": (45 + K * M) / (50 + K), "B": (3 + K * M) / (3 + K), "C": (20 + K * M) / (40 + K)}
# Min-max: A is the best rate, C the worst; B lies between. Overdue: B best (0), C worst (0.5), A 1 - 0.2/0.5.
RECT = {"A": 1.0, "B": (SHRUNK["B"] - SHRUNK["C"]) / (SHRUNK["A"] - SHRUNK["C"]), "C": 0.0}
OVERDUE = {"A": 1 - 0.2 / 0.5, "B": 1.0, "C": 0.0}
SCORE = {key: 100 * (2 * RECT[key] + 1 * OVERDUE[key]) / 3 for key in "ABC"}


def by_key(scored) -> dict:
    return {entry.key: entry for entry in scored}


def test_scores_and_ranks_follow_the_formula():
    scored = by_key(score_units(example(), WEIGHTS, prior_strength=K, list_size=1))
    for key in "ABC":
        assert scored[key].values["rectification_rate"] == pytest.approx(SHRUNK[key])
        assert scored[key].normalised["rectification_rate"] == pytest.approx(RECT[key])
        assert scored[key].normalised["overdue_at_end"] == pytest.approx(OVERDUE[key])
        assert scored[key].score == pytest.approx(SCORE[key], abs=1e-4)
    assert SCORE["A"] == pytest.approx(86.6667, abs=1e-4) and SCORE["B"] == pytest.approx(83.8985, abs=1e-4)
    assert [scored[key].rank for key in "ABC"] == [1, 2, 3]
    assert [scored[key].mark for key in "ABC"] == ["red", "", "black"]


def test_shrinkage_keeps_the_region_with_three_hazards_out_of_first_place():
    raw = by_key(score_units(example(), WEIGHTS, prior_strength=0, list_size=1))
    assert raw["B"].rank == 1  # unshrunk, its 3 of 3 beats 45 of 50: 100 * (2 * 1 + 1) / 3
    assert raw["B"].score == pytest.approx(100.0)
    shrunk = by_key(score_units(example(), WEIGHTS, prior_strength=K, list_size=1))
    assert shrunk["A"].rank == 1 and shrunk["B"].rank == 2


def test_points_and_losses_explain_the_score():
    scored = by_key(score_units(example(), WEIGHTS, prior_strength=K, list_size=1))
    b = scored["B"]
    assert b.points["rectification_rate"] == pytest.approx(100 * 2 * RECT["B"] / 3)
    assert b.lost["rectification_rate"] == pytest.approx(100 * 2 * (1 - RECT["B"]) / 3)
    assert sum(b.points.values()) == pytest.approx(b.score)
    assert b.costliest == ["rectification_rate"]
    assert scored["A"].costliest == ["overdue_at_end"]  # it lost 100 * 1 * 0.4 / 3 there, nothing else
    assert scored["C"].costliest == ["rectification_rate", "overdue_at_end"]


def test_deductions_come_off_the_score():
    scored = by_key(score_units(example(deduction_points=10), WEIGHTS, prior_strength=K, list_size=1))
    assert scored["A"].score == pytest.approx(SCORE["A"] - 10, abs=1e-4)
    assert [scored[key].rank for key in "BAC"] == [1, 2, 3]


def test_a_veto_sends_the_best_unit_to_the_black_list():
    scored = by_key(score_units(example(veto=True), WEIGHTS, prior_strength=K, list_size=1))
    assert scored["A"].rank == 1 and scored["A"].mark == "black"
    assert scored["B"].mark == "red" and scored["C"].mark == "black"


def test_an_indicator_equal_for_all_moves_no_one():
    units = [unit(key, 1, 2, 1, 2) for key in "XYZ"]
    scored = score_units(units, WEIGHTS, prior_strength=K, list_size=1)
    assert {entry.score for entry in scored} == {50.0}
    assert [entry.key for entry in scored] == ["X", "Y", "Z"]  # equal scores by key


def test_a_unit_without_enterprises_gets_the_worst_mark_for_a_count():
    units = [unit("A", 1, 2, 0, 0), unit("B", 1, 2, 1, 4)]
    scored = by_key(score_units(units, WEIGHTS, prior_strength=K, list_size=1))
    assert scored["A"].values["overdue_at_end"] is None and scored["A"].normalised["overdue_at_end"] == 0.0


def test_the_same_units_give_the_same_result():
    first = score_units(example(), WEIGHTS, prior_strength=K, list_size=1)
    again = score_units(list(reversed(example())), WEIGHTS, prior_strength=K, list_size=1)
    assert [(e.key, e.score, e.rank, e.mark) for e in first] == [
        (e.key, e.score, e.rank, e.mark) for e in again
    ]


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        ({"rectification_rate": -1}, "rectification_rate", "a weight cannot be negative"),
        ({"rectification_rate": "heavy"}, "rectification_rate", "not a number"),
        ({"rectification_rate": "NaN"}, "rectification_rate", "not a number"),
        ({"luck": 3}, "luck", "not an indicator of the ranking"),
        ({"rectification_rate": 0, "overdue_at_end": 0}, "__all__", "at least one weight must be above zero"),
    ],
)
def test_weights_a_ranking_cannot_use_are_refused(change, key, message):
    with pytest.raises(WeightsInvalid) as refused:
        clean_weights(WEIGHTS | change)
    assert refused.value.errors[key] == message


def test_a_missing_weight_is_refused():
    weights = dict(WEIGHTS)
    del weights["inspections"]
    with pytest.raises(WeightsInvalid) as refused:
        clean_weights(weights)
    assert refused.value.errors == {"inspections": "a weight is required"}


def test_equal_scores_share_a_rank_and_no_list_splits_a_tie():
    units = [unit("A", 9, 10, 0, 5), *(unit(key, 1, 2, 1, 2) for key in "WXYZ")]
    scored = score_units(units, WEIGHTS, prior_strength=0, list_size=2)
    assert [(entry.key, entry.rank) for entry in scored] == [("A", 1), ("W", 2), ("X", 2), ("Y", 2), ("Z", 2)]
    # A alone above the tie is red; the four tied at the bottom are no one's black list.
    assert [entry.mark for entry in scored] == ["red", "", "", "", ""]
