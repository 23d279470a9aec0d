"""Which flags are open when the supervisor sits down, and what outlasts a sign-off.

Each test is a supervisor's story about one case: a rupture taken up again, a risk concern
that only a recorded response closes, a case that stays below the cut-off after the
meeting discussed it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from supervision_workbook.alerts import (
    case_alerts,
    case_flags,
    open_ruptures,
    review_flag_rows,
)
from supervision_workbook.config import AlertConfig
from supervision_workbook.instruments import load_instruments
from supervision_workbook.model import (
    Case,
    InstrumentResponse,
    Resolved,
    Respondent,
    Review,
    ReviewKind,
    RiskConcern,
    RiskLevel,
    Rupture,
    RuptureFollowUp,
    RuptureType,
    SessionEntry,
    SignOff,
    Trainee,
)

INSTRUMENTS = load_instruments()
DEFAULTS = AlertConfig()
CHECKIN = "alliance-checkin-client"
FINE = [4, 4, 4, 4, 2, 4]  # every scored item 4: mean 4
LOW = [3, 3, 3, 3, 3, 3]  # mean 3, below the 3.5 cut-off


def session(
    number: int,
    answers: list[float] | None = None,
    *,
    ruptures: tuple[Rupture, ...] = (),
    follow_ups: tuple[RuptureFollowUp, ...] = (),
    risk: RiskConcern | None = None,
) -> SessionEntry:
    responses = []
    if answers is not None:
        responses.append(
            InstrumentResponse(
                id=f"rs-{number:04d}",
                instrument_id=CHECKIN,
                respondent=Respondent.client,
                answers=list(answers),
            )
        )
    return SessionEntry(
        id=f"se-{number:04d}",
        number=number,
        date=date(2026, 1, 5) + timedelta(weeks=number),
        responses=responses,
        ruptures=list(ruptures),
        follow_ups=list(follow_ups),
        risk=risk,
    )


def withdrawal(resolved: Resolved, rid: str = "ru-0001") -> Rupture:
    return Rupture(id=rid, type=RuptureType.withdrawal, salience=5, resolved=resolved)


def follow_up(resolved: Resolved, rid: str = "ru-0001") -> RuptureFollowUp:
    return RuptureFollowUp(id=f"fu-{rid[3:]}", rupture_id=rid, resolved=resolved)


def flags(*sessions: SessionEntry, reviewed_through: int | None = None):
    return case_flags(list(sessions), INSTRUMENTS, DEFAULTS, reviewed_through=reviewed_through)


def by_rule(found, rule: str):
    return [f for f in found if f.alert.rule == rule]


# --- ruptures and their follow-ups --------------------------------------------------------


def test_a_rupture_taken_up_and_repaired_next_session_closes_its_flag():
    found = flags(
        session(3, ruptures=(withdrawal(Resolved.no),)),
        session(4, follow_ups=(follow_up(Resolved.yes),)),
    )
    (flag,) = by_rule(found, "unrepaired_rupture")
    assert flag.alert.session_number == 3
    assert (flag.open, flag.status) == (False, "repaired in session 4")
    assert "taken up and repaired in session 4" in flag.alert.message
    assert open_ruptures([session(3, ruptures=(withdrawal(Resolved.no),))])


def test_a_follow_up_that_only_partly_repairs_leaves_the_flag_open():
    found = flags(
        session(3, ruptures=(withdrawal(Resolved.no),)),
        session(4, follow_ups=(follow_up(Resolved.partly),)),
    )
    (flag,) = by_rule(found, "unrepaired_rupture")
    assert flag.open
    assert "taken up in session 4, still partly repaired" in flag.alert.message


def test_a_follow_up_on_another_rupture_or_an_earlier_session_repairs_nothing():
    sessions = [
        session(2, follow_ups=(follow_up(Resolved.yes),)),  # before the rupture happened
        session(3, ruptures=(withdrawal(Resolved.no),)),
        session(4, follow_ups=(follow_up(Resolved.yes, rid="ru-9999"),)),
    ]
    (state,) = open_ruptures(sessions)
    assert state.follow_ups == () and state.open


def test_the_dashboard_counts_unrepaired_ruptures_by_the_same_rule():
    from supervision_workbook.config import WorkspaceConfig
    from supervision_workbook.store._caseload import ReviewFacts, case_row

    repaired_later = [
        session(3, FINE, ruptures=(withdrawal(Resolved.no),)),
        session(4, FINE, follow_ups=(follow_up(Resolved.yes),)),
    ]
    facts = ReviewFacts(
        "a.ipynb", "rv-0001", "session", "submitted", "tr-0001", "Avery", "cs-0001", "C-014",
        datetime(2026, 2, 1), 4, None, None,
    )  # fmt: skip
    rows = [("a.ipynb", s.number, s.model_dump_json()) for s in repaired_later]
    row = case_row([facts], rows, WorkspaceConfig(), INSTRUMENTS)
    assert row.unrepaired_ruptures == 0 and row.flag_count == 0
    still = [("a.ipynb", 3, repaired_later[0].model_dump_json())]
    assert case_row([facts], still, WorkspaceConfig(), INSTRUMENTS).unrepaired_ruptures == 1


# --- after the sign-off ------------------------------------------------------------------------


def test_after_sign_off_discussed_flags_close_but_a_case_still_below_the_cut_off_stays_visible():
    sessions = [session(1, FINE), session(2, LOW), session(3, LOW)]
    before = flags(*sessions)
    assert {f.alert.rule for f in before if f.open} >= {"cutoff", "drop"}
    after = flags(*sessions, reviewed_through=3)
    open_after = [f for f in after if f.open]
    (state,) = open_after
    assert state.alert.rule == "still_below_cutoff" and state.alert.session_number is None
    assert "still below the cut-off since session 2" in state.alert.message
    assert "(project default, not normed)" in state.alert.message
    assert all(f.status == "discussed" for f in after if f.alert.session_number is not None)


def test_a_case_back_above_the_cut_off_leaves_no_state_after_sign_off():
    sessions = [session(1, LOW), session(2, FINE)]
    assert [f for f in flags(*sessions, reviewed_through=2) if f.open] == []


def test_a_new_session_after_the_meeting_shows_its_own_flag_not_the_state():
    sessions = [session(1, LOW), session(2, LOW)]
    found = flags(*sessions, reviewed_through=1)
    assert [(f.alert.rule, f.alert.session_number) for f in found if f.open] == [("cutoff", 2)]


def test_a_discussed_rupture_that_nobody_repaired_stays_on_the_dashboard():
    sessions = [session(2, ruptures=(withdrawal(Resolved.partly),)), session(3)]
    found = flags(*sessions, reviewed_through=3)
    (state,) = [f for f in found if f.open]
    assert state.alert.rule == "still_unrepaired"
    assert "withdrawal rupture of session 2 (salience 5 of 5) is still partly repaired" in (
        state.alert.message
    )
    assert by_rule(found, "unrepaired_rupture")[0].status == "discussed"


# --- risk -------------------------------------------------------------------------------------


def test_a_noted_risk_concern_is_a_flag_at_the_top_that_a_sign_off_does_not_close():
    concern = RiskConcern(level=RiskLevel.noted, note="Client mentioned feeling hopeless.")
    sessions = [session(1, LOW), session(2, FINE, risk=concern)]
    found = flags(*sessions, reviewed_through=2)
    assert found[0].alert.rule == "risk_concern" and found[0].open
    assert found[0].alert.session_number == 2
    # The trainee's own words stay in the record; the alert holds no free text.
    assert "hopeless" not in found[0].alert.message


def test_an_urgent_concern_says_so_and_closes_only_with_the_supervisors_response():
    urgent = RiskConcern(level=RiskLevel.urgent, note="")
    (flag,) = by_rule(flags(session(4, risk=urgent)), "risk_concern")
    assert "URGENT" in flag.alert.message and flag.open
    answered = urgent.model_copy(update={"response": "Agreed a safety plan with the clinic."})
    (closed,) = by_rule(flags(session(4, risk=answered)), "risk_concern")
    assert (closed.open, closed.status) == (False, "response recorded")


def test_no_concern_or_none_recorded_raises_no_risk_flag():
    quiet = [session(1, FINE, risk=RiskConcern()), session(2, FINE)]
    assert by_rule(flags(*quiet), "risk_concern") == []


# --- one flag per session per rule --------------------------------------------------------------


def test_every_flag_has_a_stable_key_for_the_meetings_marks():
    alerts = case_alerts(
        [session(1, FINE), session(2, LOW, ruptures=(withdrawal(Resolved.no),))],
        INSTRUMENTS,
        DEFAULTS,
    )
    keys = [a.key for a in alerts]
    assert len(keys) == len(set(keys))
    assert "cutoff:2" in keys and "unrepaired_rupture:2" in keys


# --- the export ---------------------------------------------------------------------------------


def _review(kind: ReviewKind, sessions: list[SessionEntry], signed: bool) -> Review:
    at = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)
    return Review(
        id="rv-0001",
        kind=kind,
        trainee=Trainee(id="tr-0001", name="Avery Demo"),
        case=Case(id="cs-0001", code="C-014", trainee_id="tr-0001"),
        created=at,
        updated=at,
        sessions=sessions,
        signoff=SignOff(
            id="so-0001", supervisor="Dr. S", signed_at=at, minutes=50, format="individual"
        )
        if signed
        else None,
    )


def test_the_export_has_a_row_for_every_alert_with_its_rule_session_and_state():
    sessions = [
        session(1, FINE),
        session(2, LOW, ruptures=(withdrawal(Resolved.no),)),
        session(3, LOW, risk=RiskConcern(level=RiskLevel.noted)),
    ]
    rows = review_flag_rows(_review(ReviewKind.case_review, sessions, True), INSTRUMENTS, DEFAULTS)
    seen = {(r["rule"], r["session"], r["open"]) for r in rows}
    assert ("unrepaired_rupture", "2", "no") in seen  # discussed at the signed meeting
    assert ("risk_concern", "3", "yes") in seen  # a sign-off never closes it
    assert ("still_below_cutoff", "", "yes") in seen
    assert ("still_unrepaired", "", "yes") in seen
    unsigned = review_flag_rows(
        _review(ReviewKind.case_review, sessions, False), INSTRUMENTS, DEFAULTS
    )
    assert all(r["open"] == "yes" for r in unsigned)
    assert {r["rule"] for r in unsigned} >= {"cutoff", "drop", "unrepaired_rupture"}
