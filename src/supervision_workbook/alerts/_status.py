"""Which flags are open, and the case-level states that outlast a sign-off.

One rule for "open", called by the dashboard (``store._caseload``), the case review, the
``alerts`` command and the CSV export, so they cannot disagree:

* A flag is closed as *discussed* once a signed-off case review covers its session
  (``reviewed_through``: the highest session of a signed-off case review).
* An ``unrepaired_rupture`` flag also closes when a later session's follow-up repaired every
  rupture it lists.
* A ``risk_concern`` flag closes only when the supervisor's response is recorded
  (``RiskConcern.response``); a sign-off never closes it.
* What persists after the discussion stays visible as a case-level state (session None),
  always open: ``still_below_cutoff`` ("still below cut-off since session N") while the
  latest complete response of an instrument with a cut-off is below it, and
  ``still_unrepaired`` while a discussed rupture has not been repaired.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from supervision_workbook.config import AlertConfig
from supervision_workbook.instruments import Instrument, RatingInstrument
from supervision_workbook.model import SessionEntry

from ._alert import Alert, n, statistic, who
from ._case import case_alerts, complete_series
from ._response import below_cutoff, comparison, cutoff_source
from ._ruptures import RuptureState, open_ruptures


@dataclass(frozen=True)
class Flag:
    """An alert as a supervisor sees it: ``open``, and ``status`` in one word or phrase
    (``open``, ``discussed``, ``repaired in session 6``, ``response recorded``, ``state``)."""

    alert: Alert
    open: bool
    status: str

    @property
    def key(self) -> str:
        return self.alert.key


def _status(alert: Alert, reviewed_through: int | None) -> tuple[bool, str]:
    if alert.rule == "risk_concern":
        return (False, "response recorded") if alert.inputs.get("responded") else (True, "open")
    if alert.rule == "unrepaired_rupture":
        ruptures = alert.inputs.get("ruptures")
        repaired = [r.get("repaired_in") for r in ruptures] if isinstance(ruptures, list) else []  # type: ignore[union-attr]
        if repaired and all(isinstance(r, int) for r in repaired):
            return False, f"repaired in session {max(repaired)}"  # type: ignore[type-var]
    number = alert.session_number
    if number is not None and reviewed_through is not None and number <= reviewed_through:
        return False, "discussed"
    return True, "open"


def case_flags(
    sessions: Sequence[SessionEntry],
    instruments: Mapping[str, Instrument],
    config: AlertConfig,
    *,
    reviewed_through: int | None = None,
) -> list[Flag]:
    """Every flag of a case with its status: risk concerns first, then the case-level
    states, then the session flags in session order."""
    flags = [
        Flag(a, *_status(a, reviewed_through)) for a in case_alerts(sessions, instruments, config)
    ]
    states = [
        Flag(a, True, "state")
        for a in case_states(sessions, instruments, config, reviewed_through=reviewed_through)
    ]
    risk = [f for f in flags if f.alert.rule == "risk_concern"]
    rest = [f for f in flags if f.alert.rule != "risk_concern"]
    return risk + states + rest


def open_flags(flags: Sequence[Flag]) -> list[Flag]:
    return [f for f in flags if f.open]


def case_states(
    sessions: Sequence[SessionEntry],
    instruments: Mapping[str, Instrument],
    config: AlertConfig,
    *,
    reviewed_through: int | None,
) -> list[Alert]:
    """The states that persist once their session flags were discussed (pure)."""
    if reviewed_through is None:
        return []  # nothing discussed yet: the session flags themselves are open
    states = []
    below = _still_below(sessions, instruments, config, reviewed_through)
    if below is not None:
        states.append(below)
    ruptures = [s for s in open_ruptures(sessions) if s.session <= reviewed_through]
    if ruptures:
        states.append(_still_unrepaired(ruptures))
    return states


def _still_below(
    sessions: Sequence[SessionEntry],
    instruments: Mapping[str, Instrument],
    config: AlertConfig,
    reviewed_through: int,
) -> Alert | None:
    parts: list[str] = []
    inputs: list[dict[str, object]] = []
    for (inst_id, respondent), points in complete_series(sessions, instruments).items():
        inst = instruments[inst_id]
        assert isinstance(inst, RatingInstrument)
        if inst.cutoff is None or points[-1][0] > reviewed_through:
            continue  # the latest value's own flag is still open
        run = []
        for number, value in reversed(points):
            if not below_cutoff(inst, value, config):
                break
            run.append(number)
        if not run:
            continue
        since, (latest_n, latest) = run[-1], points[-1]
        words = "below" if comparison(inst, config) == "<" else "at or below"
        parts.append(
            f"{who(inst, respondent)} {statistic(inst)} still below the cut-off since session "
            f"{since}: {n(latest)} in session {latest_n}, the latest, {words} the cut-off of "
            f"{n(inst.cutoff.value)} ({cutoff_source(inst)})."
        )
        inputs.append(
            {
                "instrument_id": inst_id,
                "respondent": respondent,
                "since_session": since,
                "latest_session": latest_n,
                "latest": latest,
                "cutoff": inst.cutoff.value,
            }
        )
    if not parts:
        return None
    return Alert(
        rule="still_below_cutoff",
        message=" ".join(parts),
        inputs={"instruments": inputs},  # type: ignore[dict-item]
        session_number=None,
        instrument_id=str(inputs[0]["instrument_id"]) if len(inputs) == 1 else None,
    )


_STILL = {"partly": "partly repaired", "no": "not repaired", "yes": "repaired"}


def _still_unrepaired(states: list[RuptureState]) -> Alert:
    parts = [
        f"the {s.rupture.type.value} rupture of session {s.session} (salience "
        f"{s.rupture.salience} of 5) is still {_STILL[s.resolved.value]}"
        + (
            f" after follow-up in session {', '.join(str(x) for x in s.follow_ups)}"
            if s.follow_ups
            else ", with no follow-up recorded"
        )
        for s in states
    ]
    return Alert(
        rule="still_unrepaired",
        message=f"Unrepaired rupture{'s' if len(states) > 1 else ''}: {'; '.join(parts)}.",
        inputs={
            "ruptures": [  # type: ignore[dict-item]
                {"rupture_id": s.rupture.id, "session": s.session, "resolved": s.resolved.value}
                for s in states
            ]
        },
        session_number=None,
        instrument_id="rupture-log",
    )


def flag_record(flag: Flag) -> dict[str, object]:
    """One flag as plain data: what the ``alerts`` command prints and the export writes."""
    a = flag.alert
    return {
        "session": a.session_number,
        "rule": a.rule,
        "open": flag.open,
        "status": flag.status,
        "message": a.message,
        "instrument": a.instrument_id,
        "respondent": a.respondent,
        "key": a.key,
    }
