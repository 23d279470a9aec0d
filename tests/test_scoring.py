"""Scoring: hand-worked examples for every shipped rating instrument, and clear refusals."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supervision_workbook.instruments import RatingInstrument, load_instruments
from supervision_workbook.scoring import (
    ScoringError,
    Stat,
    dimension_stats,
    primary,
    reliable_change,
    score,
)

INSTRUMENTS = load_instruments()


def rating(instrument_id: str) -> RatingInstrument:
    inst = INSTRUMENTS[instrument_id]
    assert isinstance(inst, RatingInstrument)
    return inst


def sums_and_means(result) -> dict[str, tuple[float, float | None]]:
    stats = {**result.subscales, "total": result.total}
    return {name: (stat.sum, stat.mean) for name, stat in stats.items()}


# --- hand-worked examples -------------------------------------------------------------------


def test_a_client_alliance_checkin_reverse_scores_item_five():
    inst = rating("alliance-checkin-client")
    # Items: 1 goal, 2 task, 3 bond, 4 goal, 5 task (reverse), 6 bond.
    # Answers 4 3 5 4 2 5; item 5 reverses to 1 + 5 - 2 = 4.
    # goal = 4 + 4 = 8 (mean 4); task = 3 + 4 = 7 (mean 3.5); bond = 5 + 5 = 10 (mean 5);
    # total = 25, mean 25 / 6 = 4.1667.
    result = score(inst, [4, 3, 5, 4, 2, 5])
    assert result.items == (4, 3, 5, 4, 4, 5)
    assert sums_and_means(result) == {
        "goal": (8, 4), "task": (7, 3.5), "bond": (10, 5), "total": (25, pytest.approx(25 / 6)),
    }  # fmt: skip
    assert result.complete
    assert primary(inst, result.total) == pytest.approx(4.1667, abs=1e-4)


def test_a_therapist_alliance_checkin():
    inst = rating("alliance-checkin-therapist")
    # Answers 5 4 4 5 1 4; item 5 reverses to 6 - 1 = 5.
    # goal = 5 + 5 = 10 (5); task = 4 + 5 = 9 (4.5); bond = 4 + 4 = 8 (4); total 27, mean 4.5.
    result = score(inst, [5, 4, 4, 5, 1, 4])
    assert sums_and_means(result) == {
        "goal": (10, 5), "task": (9, 4.5), "bond": (8, 4), "total": (27, 4.5),
    }  # fmt: skip
    assert primary(inst, result.total) == 4.5


def test_a_supervision_checkin():
    inst = rating("supervision-checkin")
    # Answers 4 3 5 2 4 5, no reverse items.
    # goal = 4 + 2 = 6 (3); task = 3 + 4 = 7 (3.5); bond = 5 + 5 = 10 (5); total 23, mean 3.8333.
    result = score(inst, [4, 3, 5, 2, 4, 5])
    assert sums_and_means(result) == {
        "goal": (6, 3), "task": (7, 3.5), "bond": (10, 5), "total": (23, pytest.approx(23 / 6)),
    }  # fmt: skip


def test_a_wai_sr_client_form_uses_the_published_subscales():
    inst = rating("wai-sr-client")
    answers = [4, 5, 3, 2, 4, 3, 5, 1, 4, 3, 2, 5]  # items 1 to 12
    # Task  = items 1, 2, 10, 12 = 4 + 5 + 3 + 5 = 17, mean 4.25
    # Bond  = items 3, 5, 7, 9   = 3 + 4 + 5 + 4 = 16, mean 4
    # Goal  = items 4, 6, 8, 11  = 2 + 3 + 1 + 2 = 8,  mean 2
    # Total = 41, mean 41 / 12 = 3.4167 (the primary statistic)
    result = score(inst, answers)
    assert sums_and_means(result) == {
        "task": (17, 4.25), "bond": (16, 4), "goal": (8, 2), "total": (41, pytest.approx(41 / 12)),
    }  # fmt: skip
    assert primary(inst, result.total) == pytest.approx(3.4167, abs=1e-4)


def test_a_wai_sr_therapist_form():
    inst = rating("wai-sr-therapist")
    answers = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2]
    # Task  = items 1, 2, 10, 12 = 1 + 2 + 5 + 2 = 10, mean 2.5
    # Bond  = items 3, 5, 7, 9   = 3 + 5 + 2 + 4 = 14, mean 3.5
    # Goal  = items 4, 6, 8, 11  = 4 + 1 + 3 + 1 = 9,  mean 2.25
    # Total = 33, mean 2.75
    assert sums_and_means(score(inst, answers)) == {
        "task": (10, 2.5), "bond": (14, 3.5), "goal": (9, 2.25), "total": (33, 2.75),
    }  # fmt: skip


def test_an_srs_total_adds_four_lines_read_to_a_tenth():
    inst = rating("srs")
    # 9.1 + 8.7 + 9.0 + 9.3 = 36.1 (primary: the sum); mean 9.025.
    result = score(inst, [9.1, 8.7, 9.0, 9.3])
    assert result.total == Stat(sum=36.1, mean=9.025, answered=4, items=4)
    assert [s.sum for s in result.subscales.values()] == [9.1, 8.7, 9.0, 9.3]
    assert primary(inst, result.total) == 36.1


def test_an_ors_total():
    inst = rating("ors")
    # 5.5 + 6.2 + 4.8 + 7.0 = 23.5; mean 5.875.
    result = score(inst, [5.5, 6.2, 4.8, 7.0])
    assert (result.total.sum, result.total.mean) == (23.5, 5.875)
    assert primary(inst, result.total) == 23.5


def test_every_shipped_rating_instrument_has_a_hand_worked_example_above():
    covered = {
        "alliance-checkin-client", "alliance-checkin-therapist", "supervision-checkin",
        "wai-sr-client", "wai-sr-therapist", "srs", "ors",
    }  # fmt: skip
    assert covered == {i for i, inst in INSTRUMENTS.items() if inst.kind == "rating"}


def test_shared_dimensions_pool_item_points():
    inst = rating("alliance-checkin-client")
    dims = dimension_stats(inst, score(inst, [4, 3, 5, 4, 2, 5]))
    # goal (4 + 4) / 2 = 4; task (3 + 4) / 2 = 3.5; bond (5 + 5) / 2 = 5
    assert {d: s.mean for d, s in dims.items()} == {"goal": 4, "task": 3.5, "bond": 5}


# --- unanswered items -------------------------------------------------------------------------


def test_an_unanswered_item_leaves_the_score_incomplete_and_is_not_guessed():
    inst = rating("alliance-checkin-client")
    # Item 2 (task) unanswered; item 5 (task, reverse) 2 -> 4.
    # task = 4 over 1 of 2 items (mean 4); total = 4 + 5 + 4 + 4 + 5 = 22 over 5 items, mean 4.4.
    result = score(inst, [4, None, 5, 4, 2, 5])
    assert not result.complete
    assert result.subscales["task"] == Stat(sum=4, mean=4, answered=1, items=2)
    assert result.total == Stat(sum=22, mean=4.4, answered=5, items=6)


def test_a_response_with_nothing_answered_has_no_mean():
    inst = rating("wai-sr-client")
    result = score(inst, [None] * 12)
    assert result.total == Stat(sum=0, mean=None, answered=0, items=12)
    with pytest.raises(ScoringError, match="no item is answered"):
        primary(inst, result.total)


# --- refusals a user can act on -------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument_id", "answers", "message"),
    [
        ("wai-sr-client", [3] * 11, "wai-sr-client expects 12 answers, got 11"),
        ("srs", [9, 8, 9, 9, 9], "srs expects 4 answers, got 5"),
        (
            "srs",
            [9, 10.5, 9, 9],
            "srs, Item 2 (Goals): 10.5 is outside the scale 0 to 10",
        ),
        ("wai-sr-client", [0, *[3] * 11], "Item 1 (Task): 0 is outside the scale 1 to 5"),
        ("alliance-checkin-client", [4, 2.5, 4, 4, 4, 4], "2.5 is not a point on the scale 1 to 5"),
        ("ors", [5.55, 5, 5, 5], "5.55 is not a point on the scale 0 to 10 in steps of 0.1"),
        ("ors", [5, math.nan, 5, 5], "Item 2 (Close others): the answer is not a number (NaN)"),
        ("ors", [5, "7", 5, 5], "'7' is not a number"),
        ("srs", [math.inf, 5, 5, 5], "inf is outside the scale"),
    ],
)
def test_answers_that_do_not_fit_are_refused_with_a_clear_message(instrument_id, answers, message):
    with pytest.raises(ScoringError) as info:
        score(rating(instrument_id), answers)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            [9, 10.5, 9, 9],
            "srs, Item 2 (Goals): 10.5 is outside the scale 0 to 10 in steps of 0.1",
        ),
        ([9, 9, True, 9], "srs, Item 3 (Task): True is not a number"),
        (
            [9, 9, 9, math.nan],
            "srs, Item 4 (Whole session): the answer is not a number (NaN); leave the item "
            "unanswered (None) instead",
        ),
    ],
)
def test_a_refusal_names_the_form_and_the_item_in_full(answers, message):
    with pytest.raises(ScoringError) as info:
        score(rating("srs"), answers)
    assert str(info.value) == message


def test_a_valid_response_is_scored_without_naming_its_items(monkeypatch):
    # Item names ("wai-sr-client, Item 3 (Bond)") are built only for a refusal: every
    # chart, alert and artifact cell scores every response, so naming each answer showed.
    named: list[int] = []
    original = RatingInstrument.item_ref

    def counting(self: RatingInstrument, index: int) -> str:
        named.append(index)
        return original(self, index)

    monkeypatch.setattr(RatingInstrument, "item_ref", counting)
    score(rating("wai-sr-client"), [3, None, 4, 5, 1, 2, 3, 4, 5, 4, 3, 2])
    assert named == []
    with pytest.raises(ScoringError, match="Item 2"):
        score(rating("wai-sr-client"), [3, 9, *[3] * 10])
    assert named == [1]


def test_only_rating_instruments_are_scored():
    with pytest.raises(ScoringError, match="rupture-log is a rupture-log instrument"):
        score(INSTRUMENTS["rupture-log"], [])  # type: ignore[arg-type]


# --- reliable change ------------------------------------------------------------------------


def test_reliable_change_follows_jacobson_and_truax():
    # SD 5, r 0.84: SE = 5 * sqrt(0.16) = 2; S_diff = sqrt(2) * 2 = 2.8284.
    # 30 -> 24: RC = -6 / 2.8284 = -2.1213, beyond -1.96: reliable deterioration.
    worse = reliable_change(30, 24, sd=5, reliability=0.84)
    assert worse.se == pytest.approx(2)
    assert worse.s_diff == pytest.approx(2.8284, abs=1e-4)
    assert worse.rc == pytest.approx(-2.1213, abs=1e-4)
    assert (worse.reliable, worse.direction) == (True, "deterioration")
    # 30 -> 25: RC = -5 / 2.8284 = -1.77: not reliable.
    assert reliable_change(30, 25, 5, 0.84).direction == "no reliable change"
    # 30 -> 36: RC = +2.12: reliable improvement.
    assert reliable_change(30, 36, 5, 0.84).direction == "improvement"


# --- properties -----------------------------------------------------------------------------

_checkin_answers = st.lists(
    st.one_of(st.none(), st.integers(min_value=1, max_value=5)), min_size=6, max_size=6
)


@given(_checkin_answers)
def test_any_valid_checkin_answers_score_within_the_scale(answers):
    inst = rating("alliance-checkin-client")
    result = score(inst, answers)
    if answers[4] is not None:
        assert result.items[4] == 6 - answers[4]
    answered = [v for v in answers if v is not None]
    assert result.total.answered == len(answered)
    assert result.total.sum == pytest.approx(sum(s.sum for s in result.subscales.values()))
    if answered:
        assert 1 <= result.total.mean <= 5
