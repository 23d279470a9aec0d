"""Unrepaired ruptures: the rule, and the state the dashboard counts.

Why the flag sits on the session where the rupture happened: supervision usually follows
that session, and a rupture left unrepaired just before the meeting is the most urgent
thing to bring: repaired ruptures go with better outcomes (Eubanks, Muran & Safran, 2018,
meta-analysis). Waiting for the next session to be recorded hid exactly that case.

Why follow-ups: a later session takes the rupture up again. It records a
``model.RuptureFollowUp`` that names the rupture's id (not a new rupture), and the latest
follow-up says how far it is repaired now. ``yes`` repairs it and closes its flag.

:func:`open_ruptures` is the one rule for "unrepaired": the flag, the case-level state and
the dashboard's count all call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from supervision_workbook.model import Resolved, Respondent, Rupture, SessionEntry

from ._alert import Alert

_WORDS = {Resolved.partly: "partly repaired", Resolved.no: "not repaired", Resolved.yes: "repaired"}


@dataclass(frozen=True)
class RuptureState:
    """A rupture logged as not or partly repaired, and what later sessions did with it.

    ``resolved`` is the latest word on it (the last follow-up's, else the log's);
    ``repaired_in`` the session whose follow-up repaired it, if any.
    """

    rupture: Rupture
    session: int
    resolved: Resolved
    follow_ups: tuple[int, ...]
    repaired_in: int | None

    @property
    def open(self) -> bool:
        return self.repaired_in is None


def rupture_states(sessions: Sequence[SessionEntry]) -> list[RuptureState]:
    """Every rupture logged as not or partly repaired, in session order, with its follow-ups.

    A follow-up counts only in a later session than the rupture's own; one that names an
    unknown rupture is ignored (it cannot close anything).
    """
    order = sorted(sessions, key=lambda s: s.number)
    states = []
    for session in order:
        for rupture in session.ruptures:
            if rupture.resolved == Resolved.yes:
                continue
            resolved, seen, repaired_in = rupture.resolved, [], None
            for later in order:
                if later.number <= session.number:
                    continue
                for follow in later.follow_ups:
                    if follow.rupture_id != rupture.id:
                        continue
                    seen.append(later.number)
                    resolved = follow.resolved
                    repaired_in = later.number if resolved == Resolved.yes else None
            states.append(RuptureState(rupture, session.number, resolved, tuple(seen), repaired_in))
    return states


def open_ruptures(sessions: Sequence[SessionEntry]) -> list[RuptureState]:
    """Ruptures still not repaired: what the dashboard's "unrepaired ruptures" counts."""
    return [s for s in rupture_states(sessions) if s.open]


def unrepaired_ruptures(sessions: Sequence[SessionEntry]) -> list[Alert]:
    """The ``unrepaired_rupture`` flags: one per session that logged such ruptures."""
    by_session: dict[int, list[RuptureState]] = {}
    for state in rupture_states(sessions):
        by_session.setdefault(state.session, []).append(state)
    alerts = []
    for number, states in by_session.items():
        parts = [_describe(s) for s in states]
        alerts.append(
            Alert(
                rule="unrepaired_rupture",
                message=f"Rupture left unrepaired in session {number}: {' '.join(parts)}",
                inputs={"ruptures": [_inputs(s) for s in states]},  # type: ignore[dict-item]
                session_number=number,
                instrument_id="rupture-log",
                respondent=Respondent.therapist.value,
            )
        )
    return alerts


def _describe(state: RuptureState) -> str:
    r = state.rupture
    text = (
        f"a {r.type.value} rupture (salience {r.salience} of 5) was "
        f"{_WORDS[r.resolved]} by the end of the session"
    )
    if state.repaired_in is not None:
        return f"{text}; taken up and repaired in session {state.repaired_in}."
    if state.follow_ups:
        taken = ", ".join(str(n) for n in state.follow_ups)
        return f"{text}; taken up in session {taken}, still {_WORDS[state.resolved]}."
    return f"{text}, and no later session has taken it up yet."


def _inputs(state: RuptureState) -> dict[str, object]:
    r = state.rupture
    return {
        "rupture_id": r.id,
        "rupture_session": state.session,
        "type": r.type.value,
        "resolved": r.resolved.value,
        "resolved_now": state.resolved.value,
        "salience": r.salience,
        "markers": list(r.markers),
        "strategies": list(r.strategies),
        "follow_up_sessions": list(state.follow_ups),
        "repaired_in": state.repaired_in,
    }
