"""Alert rules, told as the stories a supervisor would tell about a case."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta

import pytest

from supervision_workbook.alerts import NOT_NORMED, Alert, case_alerts, response_alerts
from supervision_workbook.config import AlertConfig, ReliableChangeNorms
from supervision_workbook.instruments import Cutoff, load_instruments
from supervision_workbook.model import (
    InstrumentResponse,
    Reflection,
    Resolved,
    Respondent,
    Rupture,
    RuptureType,
    SessionEntry,
)
from supervision_workbook.scoring import ScoringError

INSTRUMENTS = load_instruments()
DEFAULTS = AlertConfig()
_serial = itertools.count(1)


def _id(prefix: str) -> str:
    return f"{prefix}-{next(_serial):04d}"


def client(instrument_id: str, *answers: float | None) -> InstrumentResponse:
    return InstrumentResponse(
        id=_id("rs"), instrument_id=instrument_id, respondent=Respondent.client,
        answers=list(answers),
    )  # fmt: skip


def therapist(instrument_id: str, *answers: float | None) -> InstrumentResponse:
    return InstrumentResponse(
        id=_id("rs"), instrument_id=instrument_id, respondent=Respondent.therapist,
        answers=list(answers),
    )  # fmt: skip


def rupture(kind: RuptureType, resolved: Resolved, salience: int = 3) -> Rupture:
    return Rupture(
        id=_id("ru"), type=kind, salience=salience, resolved=resolved, markers=["w-minimal"]
    )


def session(
    number: int,
    *responses: InstrumentResponse,
    ruptures: tuple[Rupture, ...] = (),
    themes: dict[str, int] | None = None,
) -> SessionEntry:
    return SessionEntry(
        id=_id("se"),
        number=number,
        date=date(2025, 1, 6) + timedelta(weeks=number),
        responses=list(responses),
        ruptures=list(ruptures),
        reflection=None if themes is None else Reflection(id=_id("rf"), themes=themes),
    )


def fired(alerts: list[Alert], rule: str) -> list[Alert]:
    return [a for a in alerts if a.rule == rule]


def case(*sessions: SessionEntry, config: AlertConfig = DEFAULTS) -> list[Alert]:
    return case_alerts(list(sessions), INSTRUMENTS, config)


CHECKIN = "alliance-checkin-client"
T_CHECKIN = "alliance-checkin-therapist"


# --- cut-off ----------------------------------------------------------------------------------


def test_a_client_rating_the_alliance_below_the_cut_off_is_flagged_with_the_numbers():
    # 3 3 4 3 3 4, item 5 reversed 6 - 3 = 3: total 20, mean 3.33 < 3.5.
    alerts = response_alerts(
        INSTRUMENTS[CHECKIN], [3, 3, 4, 3, 3, 4], DEFAULTS, 4, respondent=Respondent.client
    )
    (alert,) = fired(alerts, "cutoff")
    assert alert.inputs == {
        "value": pytest.approx(20 / 6), "statistic": "mean", "cutoff": 3.5, "comparison": "<",
        "comparison_source": "instrument", "cutoff_source": "project_default",
    }  # fmt: skip
    assert (alert.session_number, alert.instrument_id, alert.respondent) == (4, CHECKIN, "client")
    assert "mean item score is 3.33, below the cut-off of 3.5" in alert.message
    assert "(project default, not normed)" in alert.message


def test_a_client_rating_above_the_cut_off_raises_nothing():
    # 4 4 4 4 2 4, item 5 reversed to 4: every item 4, mean 4.
    assert response_alerts(INSTRUMENTS[CHECKIN], [4, 4, 4, 4, 2, 4], DEFAULTS) == []


def test_an_srs_of_exactly_36_is_flagged_only_when_the_workspace_says_at_or_below():
    srs = INSTRUMENTS["srs"]
    answers = [9, 9, 9, 9]  # total 36
    assert fired(response_alerts(srs, answers, DEFAULTS), "cutoff") == []
    strict = AlertConfig(cutoff_comparison={"srs": "<="})
    (alert,) = fired(response_alerts(srs, answers, strict), "cutoff")
    assert "total is 36, at or below the cut-off of 36 (published: Duncan et al. (2003)" in (
        alert.message
    )
    assert alert.inputs["comparison"] == "<=" and alert.inputs["comparison_source"] == "config"


def test_choosing_the_srs_convention_leaves_the_ors_and_the_checkin_cut_offs_alone():
    """The supervisor's program adopts "<= 36" for the SRS; an ORS of exactly 25 and a
    check-in mean of exactly 3.5 are still at their cut-offs, not below them."""
    config = AlertConfig(cutoff_comparison={"srs": "<="})
    ors_at_25 = response_alerts(INSTRUMENTS["ors"], [6.5, 6.5, 6, 6], config)
    checkin_at_3_5 = response_alerts(INSTRUMENTS[CHECKIN], [4, 4, 3, 3, 3, 4], config)
    assert fired(ors_at_25, "cutoff") == [] and fired(checkin_at_3_5, "cutoff") == []


def test_an_instrument_file_declares_its_own_comparison():
    at_or_below = INSTRUMENTS[CHECKIN].model_copy(
        update={"cutoff": Cutoff(value=3.5, comparison="<=")}
    )
    (alert,) = fired(response_alerts(at_or_below, [4, 4, 3, 3, 3, 4], DEFAULTS), "cutoff")
    assert alert.inputs["comparison"] == "<=" and alert.inputs["comparison_source"] == "instrument"


def test_a_workspace_written_before_per_instrument_comparisons_keeps_its_meaning():
    # "<" was every instrument's default; "<=" was offered for the SRS convention only.
    assert AlertConfig.model_validate({"cutoff_comparison": "<"}).cutoff_comparison == {}
    legacy = AlertConfig.model_validate({"cutoff_comparison": "<="})
    assert legacy.cutoff_comparison == {"srs": "<="}


def test_a_half_finished_checkin_is_not_compared_with_the_cut_off():
    # Items 1-2 unanswered; the 1s would fire the item rule but not a cut-off on partial data.
    alerts = response_alerts(INSTRUMENTS[CHECKIN], [None, None, 1, 1, 5, 1], DEFAULTS)
    assert fired(alerts, "cutoff") == []
    (low,) = fired(alerts, "item_threshold")  # one flag listing the four low items
    assert [item["item_index"] for item in low.inputs["items"]] == [2, 3, 4, 5]


def test_the_therapist_form_has_no_cut_off_of_its_own():
    alerts = response_alerts(INSTRUMENTS[T_CHECKIN], [2, 2, 2, 2, 4, 2], DEFAULTS)
    assert fired(alerts, "cutoff") == []


# --- item threshold ---------------------------------------------------------------------------


def test_one_low_item_is_flagged_even_when_the_mean_looks_fine():
    # 4 4 4 4 2 2: item 5 reverses to 4; item 6 is 2, at the threshold of 2. Mean 22 / 6 = 3.67.
    alerts = response_alerts(INSTRUMENTS[CHECKIN], [4, 4, 4, 4, 2, 2], DEFAULTS, 2)
    assert [a.rule for a in alerts] == ["item_threshold"]
    (alert,) = alerts
    (item,) = alert.inputs["items"]
    assert item["item_index"] == 5 and item["scored"] == 2
    assert alert.inputs["threshold_source"] == "project_default"
    assert (
        "Low item: Alliance check-in (client), Item 6 (Bond) scored 2; at or below the item "
        in (alert.message)
    )
    assert "threshold of 2 (project default, not normed)" in alert.message


def test_three_low_items_in_one_form_are_one_flag_that_lists_them():
    alerts = response_alerts(INSTRUMENTS[CHECKIN], [2, 1, 2, 4, 2, 4], DEFAULTS)
    (alert,) = fired(alerts, "item_threshold")
    assert "Low items:" in alert.message
    for ref in ("Item 1 (Goal) scored 2", "Item 2 (Task) scored 1", "Item 3 (Bond) scored 2"):
        assert ref in alert.message


def test_low_items_on_both_forms_of_one_session_are_still_one_flag():
    alerts = case(
        session(1, client(CHECKIN, 2, 4, 4, 4, 2, 4), therapist(T_CHECKIN, 4, 4, 1, 4, 2, 4))
    )
    (alert,) = fired(alerts, "item_threshold")
    assert alert.respondent is None and len(alert.inputs["parts"]) == 2
    assert "(client)" in alert.message and "(therapist)" in alert.message


def test_strong_agreement_with_the_reverse_worded_item_counts_as_a_low_item():
    # Item 5 answered 5 scores 6 - 5 = 1.
    alerts = response_alerts(INSTRUMENTS[CHECKIN], [4, 4, 4, 4, 5, 4], DEFAULTS)
    (alert,) = fired(alerts, "item_threshold")
    (item,) = alert.inputs["items"]
    assert item["item_index"] == 4
    assert (item["answer"], item["scored"], item["reverse"]) == (5, 1, True)
    assert "scored 1 (reverse-scored: answered 5)" in alert.message


def test_items_above_the_threshold_raise_nothing():
    alerts = response_alerts(INSTRUMENTS[CHECKIN], [3, 3, 3, 3, 3, 3], DEFAULTS)
    assert fired(alerts, "item_threshold") == []


def test_a_program_sets_an_item_threshold_for_the_srs_in_its_configuration():
    srs = INSTRUMENTS["srs"]
    answers = [9.5, 4.9, 9.5, 9.5]  # total 33.4
    assert fired(response_alerts(srs, answers, DEFAULTS), "item_threshold") == []
    config = AlertConfig(item_threshold={"srs": 5.0})
    (alert,) = fired(response_alerts(srs, answers, config), "item_threshold")
    assert alert.inputs["threshold_source"] == "config"
    assert "Item 2 (Goals) scored 4.9" in alert.message
    assert "set in supervision-workbook.toml" in alert.message


def test_the_rupture_log_raises_no_response_alerts():
    assert response_alerts(INSTRUMENTS["rupture-log"], [], DEFAULTS) == []


# --- drop -------------------------------------------------------------------------------------


def test_a_half_point_fall_in_the_clients_checkin_is_flagged_at_the_later_session():
    alerts = case(
        session(1, client(CHECKIN, 4, 4, 4, 4, 2, 4)),  # all items 4: mean 4
        session(2, client(CHECKIN, 4, 4, 3, 3, 2, 3)),  # 4 4 3 3 4 3 = 21: mean 3.5
    )
    (alert,) = fired(alerts, "drop")
    assert alert.session_number == 2 and alert.respondent == "client"
    assert alert.inputs == {
        "statistic": "mean", "previous_session": 1, "previous": 4, "current": 3.5, "drop": 0.5,
        "threshold": 0.5, "threshold_source": "project_default",
    }  # fmt: skip
    assert "fell from 4 (session 1) to 3.5 (session 2), a fall of 0.5" in alert.message
    assert "drop threshold of 0.5 (project default, not normed)" in alert.message


def test_an_srs_fall_of_exactly_one_point_is_flagged_despite_decimal_arithmetic():
    # 32.3 -> 31.3: in binary floating point 32.3 - 31.3 is 0.9999999999999964.
    alerts = case(
        session(1, client("srs", 8.3, 8.0, 8.0, 8.0)),
        session(2, client("srs", 7.3, 8.0, 8.0, 8.0)),
    )
    (alert,) = fired(alerts, "drop")
    assert alert.inputs["drop"] == 1.0
    assert "a fall of 1, at or above the drop threshold of 1" in alert.message


def test_an_ors_fall_of_five_cites_the_published_reliable_change():
    alerts = case(
        session(1, client("ors", 7, 7, 7, 7)),  # 28
        session(2, client("ors", 6, 6, 5.5, 5.5)),  # 23: a fall of 5
    )
    (alert,) = fired(alerts, "drop")
    assert alert.inputs["threshold_source"] == "published"
    assert "published: the reliable change of 5 points reported for the ORS" in alert.message


def test_a_smaller_fall_is_not_a_drop():
    alerts = case(
        session(1, client("srs", 9.1, 9.0, 9.0, 9.0)),  # 36.1
        session(2, client("srs", 9.1, 8.1, 9.0, 9.0)),  # 35.2, a fall of 0.9
    )
    assert fired(alerts, "drop") == []


def test_a_drop_compares_the_same_respondent_only():
    alerts = case(
        session(1, client(CHECKIN, 3, 3, 3, 3, 3, 3), therapist(T_CHECKIN, 5, 5, 5, 5, 1, 5)),
        session(2, client(CHECKIN, 4, 4, 4, 4, 2, 4), therapist(T_CHECKIN, 4, 4, 4, 4, 2, 4)),
    )
    (alert,) = fired(alerts, "drop")
    assert (alert.instrument_id, alert.respondent) == (T_CHECKIN, "therapist")


def test_a_session_without_the_instrument_is_skipped_when_looking_back():
    alerts = case(
        session(1, client("srs", 9.5, 9.5, 9.5, 9.5)),  # 38
        session(2),
        session(3, client("srs", 9.0, 9.0, 9.0, 9.0)),  # 36
    )
    (alert,) = fired(alerts, "drop")
    assert alert.session_number == 3 and alert.inputs["previous_session"] == 1


def test_the_workspace_drop_threshold_overrides_the_instruments_default():
    sessions = (
        session(1, client("srs", 9.5, 9.5, 9.5, 9.5)),  # 38
        session(2, client("srs", 9.0, 9.0, 9.0, 9.0)),  # 36: a drop of 2
    )
    assert fired(case(*sessions), "drop")[0].inputs["threshold_source"] == "project_default"
    assert fired(case(*sessions, config=AlertConfig(drop={"srs": 2.5})), "drop") == []
    (alert,) = fired(case(*sessions, config=AlertConfig(drop={"srs": 1.5})), "drop")
    assert alert.inputs["threshold_source"] == "config"
    assert "drop threshold of 1.5 (set in supervision-workbook.toml)" in alert.message


def test_one_unscorable_response_does_not_hide_the_rest_of_the_case():
    alerts = case(
        session(1, client(CHECKIN, 4, 4, 4, 4, 2, 4), client("srs", 9, 9, 9)),  # 3 of 4 answers
        session(2, client(CHECKIN, 3, 3, 3, 3, 3, 3)),
    )
    assert {a.rule for a in alerts} == {"cutoff", "drop"}
    with pytest.raises(ScoringError, match="srs expects 4 answers, got 3"):
        response_alerts(INSTRUMENTS["srs"], [9, 9, 9], DEFAULTS)


# --- reliable change ----------------------------------------------------------------------------

ORS_NORMS = AlertConfig(reliable_change={"ors": ReliableChangeNorms(sd=5, reliability=0.84)})


def ors_case(*totals_as_items: tuple[float, ...]) -> list[SessionEntry]:
    return [session(n, client("ors", *items)) for n, items in enumerate(totals_as_items, 1)]


def test_reliable_deterioration_is_computed_only_from_norms_the_user_supplied():
    sessions = ors_case((7.5, 7.5, 7.5, 7.5), (7, 7, 6.5, 6.5), (6, 6, 6, 6))  # 30, 27, 24
    assert fired(case(*sessions), "reliable_change") == []
    # SD 5, r .84: SE = 2, S_diff = 2.83. Session 2: (27 - 30) / 2.83 = -1.06, not reliable.
    # Session 3: (24 - 30) / 2.83 = -2.12, beyond -1.96: reliable deterioration.
    (alert,) = fired(case(*sessions, config=ORS_NORMS), "reliable_change")
    assert alert.session_number == 3
    assert alert.inputs["label"] == NOT_NORMED
    assert alert.inputs["baseline_session"] == 1
    assert alert.inputs["rc"] == pytest.approx(-2.1213, abs=1e-4)
    assert alert.inputs["direction"] == "deterioration" and not alert.inputs["improvement"]
    assert NOT_NORMED in alert.message
    assert alert.message.startswith("Reliable deterioration")  # the ORS measures outcome
    assert "RC = (24 - 30) / 2.83 = -2.12, beyond -1.96" in alert.message


def test_a_reliable_fall_on_an_alliance_measure_is_not_called_deterioration():
    norms = AlertConfig(reliable_change={CHECKIN: ReliableChangeNorms(sd=0.5, reliability=0.8)})
    alerts = case(
        session(1, client(CHECKIN, 5, 5, 5, 5, 1, 5)),  # mean 5
        session(2, client(CHECKIN, 4, 4, 3, 4, 2, 4)),  # mean 3.83
        config=norms,
    )
    (alert,) = fired(alerts, "reliable_change")
    assert alert.message.startswith("Reliable fall in the client's alliance rating")
    assert "deterioration" not in alert.message


def test_reliable_improvement_is_not_an_alert():
    sessions = ors_case((5, 5, 5, 5), (7, 7, 7, 7))  # 20 -> 28: RC = +2.83
    assert fired(case(*sessions, config=ORS_NORMS), "reliable_change") == []


# --- divergence ---------------------------------------------------------------------------------


def test_a_therapist_who_feels_closer_than_the_client_does_is_flagged_on_bond():
    # Client bond items 3 and 6: 3 and 3 (mean 3). Therapist bond: 5 and 5 (mean 5).
    # Goal and task agree (4 and 4), so only bond diverges: 5 - 3 = 2 > 1.
    alerts = case(
        session(3, client(CHECKIN, 4, 4, 3, 4, 2, 3), therapist(T_CHECKIN, 4, 4, 5, 4, 2, 5))
    )
    (alert,) = fired(alerts, "divergence")
    assert alert.session_number == 3
    (gap,) = alert.inputs["dimensions"]
    assert (gap["dimension"], gap["therapist_mean"], gap["client_mean"]) == ("bond", 5, 3)
    assert (gap["difference"], gap["therapist"]) == (2, "above")
    assert "Bond: therapist 5, client 3 (therapist above by 2)" in alert.message
    assert "more than the divergence threshold of 1 (project default, not normed)" in (
        alert.message
    )


def test_a_therapist_far_below_the_client_is_flagged_too():
    # The client rates every dimension 5; the trainee, feeling inadequate, rates 3 across.
    alerts = case(
        session(2, client(CHECKIN, 5, 5, 5, 5, 1, 5), therapist(T_CHECKIN, 3, 3, 3, 3, 3, 3))
    )
    (alert,) = fired(alerts, "divergence")  # three dimensions, one flag
    assert [g["therapist"] for g in alert.inputs["dimensions"]] == ["below"] * 3
    assert "Goal: therapist 3, client 5 (therapist below by 2)" in alert.message
    assert "Task:" in alert.message and "Bond:" in alert.message


def test_a_difference_of_exactly_the_threshold_is_not_divergence():
    alerts = case(
        # bond: therapist 4, client 3: difference 1, not more than 1.
        session(1, client(CHECKIN, 4, 4, 3, 4, 2, 3), therapist(T_CHECKIN, 4, 4, 4, 4, 2, 4)),
        # bond: therapist 3, client 4: 1 below, not more than 1.
        session(2, client(CHECKIN, 4, 4, 4, 4, 2, 4), therapist(T_CHECKIN, 4, 4, 3, 4, 2, 3)),
    )
    assert fired(alerts, "divergence") == []


def test_a_wai_sr_client_form_is_not_set_against_the_therapist_checkin():
    # Both are 1-5, but the anchors differ ("Seldom" is not "Not at all"): not parallel forms.
    wai = client("wai-sr-client", 4, 4, 2, 4, 2, 4, 2, 4, 2, 4, 4, 4)
    alerts = case(session(1, wai, therapist(T_CHECKIN, 4, 4, 4, 4, 2, 4)))
    assert fired(alerts, "divergence") == []


def test_the_wai_sr_client_and_therapist_forms_are_declared_counterparts():
    # WAI-SR bond items 3, 5, 7, 9: client 2, therapist 4.
    wai_c = client("wai-sr-client", 4, 4, 2, 4, 2, 4, 2, 4, 2, 4, 4, 4)
    wai_t = therapist("wai-sr-therapist", 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4)
    (alert,) = fired(case(session(1, wai_c, wai_t)), "divergence")
    assert alert.inputs["therapist_instrument"] == "wai-sr-therapist"
    assert [g["dimension"] for g in alert.inputs["dimensions"]] == ["bond"]


def test_a_client_srs_and_a_therapist_checkin_are_on_different_scales_and_not_compared():
    # SRS relationship line at 2 of 10 against a therapist bond of 5 of 5: no common footing.
    alerts = case(session(1, client("srs", 2, 2, 2, 2), therapist(T_CHECKIN, 5, 5, 5, 5, 1, 5)))
    assert fired(alerts, "divergence") == []


# --- unrepaired rupture -------------------------------------------------------------------------


def test_a_rupture_left_partly_repaired_is_flagged_in_its_own_session():
    withdrawal = rupture(RuptureType.withdrawal, Resolved.partly, salience=4)
    alerts = case(session(2, ruptures=(withdrawal,)), session(3))
    (alert,) = fired(alerts, "unrepaired_rupture")
    assert alert.session_number == 2
    (state,) = alert.inputs["ruptures"]
    assert state["rupture_session"] == 2 and state["type"] == "withdrawal"
    assert state["resolved"] == "partly" and state["rupture_id"] == withdrawal.id
    assert "Rupture left unrepaired in session 2: a withdrawal rupture (salience 4 of 5) was " in (
        alert.message
    )
    assert "partly repaired by the end of the session" in alert.message


def test_a_rupture_in_the_session_just_before_supervision_reaches_the_meeting():
    confrontation = rupture(RuptureType.confrontation, Resolved.no, salience=5)
    alerts = case(session(1), session(2, ruptures=(confrontation,)))
    (alert,) = fired(alerts, "unrepaired_rupture")
    assert alert.session_number == 2
    assert "no later session has taken it up yet" in alert.message


def test_a_repaired_rupture_is_not_flagged():
    repaired = rupture(RuptureType.mixed, Resolved.yes)
    assert fired(case(session(1, ruptures=(repaired,)), session(2)), "unrepaired_rupture") == []


def test_two_unrepaired_ruptures_in_one_session_are_one_flag():
    first = rupture(RuptureType.withdrawal, Resolved.no)
    second = rupture(RuptureType.confrontation, Resolved.partly)
    (alert,) = fired(case(session(3, ruptures=(first, second))), "unrepaired_rupture")
    assert [r["rupture_id"] for r in alert.inputs["ruptures"]] == [first.id, second.id]


# --- recurring countertransference theme ---------------------------------------------------------


def test_feeling_helpless_in_three_of_the_last_five_sessions_is_flagged():
    alerts = case(
        session(1, themes={"helpless-inadequate": 3}),
        session(2, themes={"helpless-inadequate": 1}),
        session(3, themes={"helpless-inadequate": 4}),
        session(4, themes={"helpless-inadequate": 3, "positive": 4}),
        session(5, themes={"helpless-inadequate": 1}),
    )
    (alert,) = fired(alerts, "recurring_theme")
    assert alert.session_number == 4
    assert alert.inputs["theme"] == "helpless-inadequate"
    assert alert.inputs["sessions"] == [1, 3, 4]
    assert "'Helpless / inadequate' was strong (intensity 3 or more) in 3 of the last 4" in (
        alert.message
    )


def test_strong_feelings_that_fall_out_of_the_window_do_not_recur():
    alerts = case(
        *(session(n, themes={"disengaged": 4 if n in (1, 4, 7) else 0}) for n in range(1, 8))
    )
    assert fired(alerts, "recurring_theme") == []


def test_a_moderate_theme_every_session_is_not_a_strong_one():
    alerts = case(*(session(n, themes={"parental-protective": 2}) for n in range(1, 6)))
    assert fired(alerts, "recurring_theme") == []


def test_a_program_can_make_the_theme_rule_more_sensitive():
    config = AlertConfig(theme_strong_at=2, theme_recur_count=2, theme_window=3)
    alerts = case(
        session(1, themes={"parental-protective": 2}),
        session(2, themes={"parental-protective": 2}),
        config=config,
    )
    (alert,) = fired(alerts, "recurring_theme")
    assert alert.session_number == 2 and alert.inputs["count"] == 2


# --- alerts as data -------------------------------------------------------------------------------


def test_a_case_review_lists_alerts_by_session_and_they_serialise_to_plain_json():
    unrepaired = rupture(RuptureType.mixed, Resolved.no)
    alerts = case(
        session(1, client(CHECKIN, 4, 4, 4, 4, 2, 4)),
        session(2, client(CHECKIN, 3, 3, 3, 3, 3, 2), ruptures=(unrepaired,)),
        session(3, client(CHECKIN, 4, 4, 4, 4, 2, 4)),
    )
    assert [(a.session_number, a.rule) for a in alerts] == [
        (2, "cutoff"), (2, "item_threshold"), (2, "drop"), (2, "unrepaired_rupture"),
    ]  # fmt: skip
    payload = json.dumps([a.model_dump(mode="json") for a in alerts])
    restored = [Alert.model_validate(item) for item in json.loads(payload)]
    assert restored == alerts
    assert all(a.message and a.inputs for a in restored)


def test_the_configuration_template_offers_no_unsourced_reliable_change_norms():
    from supervision_workbook.config import DEFAULT_CONFIG_TEXT

    assert "7.7" not in DEFAULT_CONFIG_TEXT and "0.93" not in DEFAULT_CONFIG_TEXT
    assert "test-retest" in DEFAULT_CONFIG_TEXT
    assert "[alerts.cutoff_comparison]" in DEFAULT_CONFIG_TEXT
