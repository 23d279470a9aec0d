"""Alert rules, told as the stories a supervisor would tell about a case."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta

import pytest

from supervision_workbook.alerts import NOT_NORMED, Alert, case_alerts, response_alerts
from supervision_workbook.config import AlertConfig, ReliableChangeNorms
from supervision_workbook.instruments import load_instruments
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
    }  # fmt: skip
    assert (alert.session_number, alert.instrument_id, alert.respondent) == (4, CHECKIN, "client")
    assert "mean item score is 3.33, below the cut-off of 3.5" in alert.message
    assert "not a normed cut-off" in alert.message


def test_a_client_rating_above_the_cut_off_raises_nothing():
    # 4 4 4 4 2 4, item 5 reversed to 4: every item 4, mean 4.
    assert response_alerts(INSTRUMENTS[CHECKIN], [4, 4, 4, 4, 2, 4], DEFAULTS) == []


def test_an_srs_of_exactly_36_is_flagged_only_when_the_workspace_says_at_or_below():
    srs = INSTRUMENTS["srs"]
    answers = [9, 9, 9, 9]  # total 36
    assert fired(response_alerts(srs, answers, DEFAULTS), "cutoff") == []
    strict = AlertConfig(cutoff_comparison="<=")
    (alert,) = fired(response_alerts(srs, answers, strict), "cutoff")
    assert "total is 36, at or below the cut-off of 36" in alert.message
    assert alert.inputs["comparison"] == "<="


def test_a_half_finished_checkin_is_not_compared_with_the_cut_off():
    # Items 1-2 unanswered; the 1s would fire the item rule but not a cut-off on partial data.
    alerts = response_alerts(INSTRUMENTS[CHECKIN], [None, None, 1, 1, 5, 1], DEFAULTS)
    assert fired(alerts, "cutoff") == []
    assert len(fired(alerts, "item_threshold")) == 4


def test_the_therapist_form_has_no_cut_off_of_its_own():
    alerts = response_alerts(INSTRUMENTS[T_CHECKIN], [2, 2, 2, 2, 4, 2], DEFAULTS)
    assert fired(alerts, "cutoff") == []


# --- item threshold ---------------------------------------------------------------------------


def test_one_low_item_is_flagged_even_when_the_mean_looks_fine():
    # 4 4 4 4 2 2: item 5 reverses to 4; item 6 is 2, at the threshold of 2. Mean 22 / 6 = 3.67.
    alerts = response_alerts(INSTRUMENTS[CHECKIN], [4, 4, 4, 4, 2, 2], DEFAULTS, 2)
    assert [a.rule for a in alerts] == ["item_threshold"]
    (alert,) = alerts
    assert alert.inputs["item_index"] == 5 and alert.inputs["scored"] == 2
    assert alert.inputs["threshold_source"] == "instrument"
    assert "Item 6 (Bond), scored 2, at or below the item threshold of 2" in alert.message


def test_strong_agreement_with_the_reverse_worded_item_counts_as_a_low_item():
    # Item 5 answered 5 scores 6 - 5 = 1.
    alerts = response_alerts(INSTRUMENTS[CHECKIN], [4, 4, 4, 4, 5, 4], DEFAULTS)
    (alert,) = fired(alerts, "item_threshold")
    assert alert.inputs["item_index"] == 4
    assert (alert.inputs["answer"], alert.inputs["scored"], alert.inputs["reverse"]) == (5, 1, True)
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
    assert "Item 2 (Goals and topics), scored 4.9" in alert.message
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
        "threshold": 0.5, "threshold_source": "instrument",
    }  # fmt: skip
    assert "fell from 4 (session 1) to 3.5 (session 2), a drop of 0.5" in alert.message


def test_an_srs_fall_of_exactly_one_point_is_flagged_despite_decimal_arithmetic():
    # 32.3 -> 31.3: in binary floating point 32.3 - 31.3 is 0.9999999999999964.
    alerts = case(
        session(1, client("srs", 8.3, 8.0, 8.0, 8.0)),
        session(2, client("srs", 7.3, 8.0, 8.0, 8.0)),
    )
    (alert,) = fired(alerts, "drop")
    assert alert.inputs["drop"] == 1.0
    assert "a drop of 1, at or above the drop threshold of 1" in alert.message


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
    assert fired(case(*sessions), "drop")[0].inputs["threshold_source"] == "instrument"
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
    assert "RC = (24 - 30) / 2.83 = -2.12, beyond -1.96" in alert.message


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
    assert alert.inputs["dimension"] == "bond"
    assert (alert.inputs["therapist_mean"], alert.inputs["client_mean"]) == (5, 3)
    assert alert.inputs["difference"] == 2
    assert "the difference of 2 item points is more than the divergence threshold of 1" in (
        alert.message
    )


def test_a_difference_of_exactly_the_threshold_or_a_client_ahead_is_not_divergence():
    alerts = case(
        # bond: therapist 4, client 3: difference 1, not more than 1.
        session(1, client(CHECKIN, 4, 4, 3, 4, 2, 3), therapist(T_CHECKIN, 4, 4, 4, 4, 2, 4)),
        # client higher than therapist on every dimension.
        session(2, client(CHECKIN, 5, 5, 5, 5, 1, 5), therapist(T_CHECKIN, 3, 3, 3, 3, 3, 3)),
    )
    assert fired(alerts, "divergence") == []


def test_a_wai_sr_client_form_is_compared_with_the_therapist_checkin_on_the_same_scale():
    # WAI-SR bond items 3, 5, 7, 9 answered 2 (mean 2); therapist check-in bond 4 and 4.
    wai = client("wai-sr-client", 4, 4, 2, 4, 2, 4, 2, 4, 2, 4, 4, 4)
    alerts = case(session(1, wai, therapist(T_CHECKIN, 4, 4, 4, 4, 2, 4)))
    (alert,) = fired(alerts, "divergence")
    assert alert.inputs["client_instrument"] == "wai-sr-client"
    assert (alert.inputs["dimension"], alert.inputs["difference"]) == ("bond", 2)


def test_a_client_srs_and_a_therapist_checkin_are_on_different_scales_and_not_compared():
    # SRS relationship line at 2 of 10 against a therapist bond of 5 of 5: no common footing.
    alerts = case(session(1, client("srs", 2, 2, 2, 2), therapist(T_CHECKIN, 5, 5, 5, 5, 1, 5)))
    assert fired(alerts, "divergence") == []


# --- unrepaired rupture -------------------------------------------------------------------------


def test_a_rupture_left_partly_repaired_is_flagged_at_the_next_session():
    withdrawal = rupture(RuptureType.withdrawal, Resolved.partly, salience=4)
    alerts = case(session(2, ruptures=(withdrawal,)), session(3))
    (alert,) = fired(alerts, "unrepaired_rupture")
    assert alert.session_number == 3
    assert alert.inputs["rupture_session"] == 2 and alert.inputs["type"] == "withdrawal"
    assert alert.inputs["resolved"] == "partly" and alert.inputs["rupture_id"] == withdrawal.id
    assert "a withdrawal rupture in session 2 (salience 4 of 5) was partly repaired" in (
        alert.message
    )
    assert "flagged at session 3" in alert.message


def test_a_rupture_in_the_latest_session_waits_for_the_next_one():
    confrontation = rupture(RuptureType.confrontation, Resolved.no)
    assert (
        fired(case(session(1), session(2, ruptures=(confrontation,))), "unrepaired_rupture") == []
    )


def test_a_repaired_rupture_is_not_flagged():
    repaired = rupture(RuptureType.mixed, Resolved.yes)
    assert fired(case(session(1, ruptures=(repaired,)), session(2)), "unrepaired_rupture") == []


def test_when_a_session_was_not_recorded_the_next_recorded_one_carries_the_flag():
    unrepaired = rupture(RuptureType.confrontation, Resolved.no)
    alerts = case(session(5), session(3, ruptures=(unrepaired,)))  # given out of order
    (alert,) = fired(alerts, "unrepaired_rupture")
    assert alert.session_number == 5 and "not repaired" in alert.message


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
        (2, "cutoff"), (2, "item_threshold"), (2, "drop"), (3, "unrepaired_rupture"),
    ]  # fmt: skip
    payload = json.dumps([a.model_dump(mode="json") for a in alerts])
    restored = [Alert.model_validate(item) for item in json.loads(payload)]
    assert restored == alerts
    assert all(a.message and a.inputs for a in restored)
