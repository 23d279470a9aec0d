"""Alerts: the rules that draw a supervisor's attention to a session, as pure functions.

Every :class:`Alert` carries the rule that fired (``rule``), the numbers it used
(``inputs``, machine-readable) and a ``message`` that states both in words, so a trainee
can check the arithmetic instead of trusting a red dot. The rules (docs/ARCHITECTURE.md),
all tuned by :class:`~supervision_workbook.config.AlertConfig`:

``cutoff``
    A complete response to a rating instrument that has a cut-off is below it (``<`` or
    ``<=`` as configured) on the instrument's primary statistic.
``item_threshold``
    One item, after reverse scoring, at or below the item threshold (configuration first,
    then the instrument file).
``drop``
    The primary statistic fell from the previous session that has a complete response of the
    same instrument and respondent by at least the drop threshold (configuration first,
    then the instrument file).
``reliable_change``
    Jacobson & Truax reliable deterioration from the first session with a complete response
    (the baseline, as in routine outcome monitoring; session-to-session falls are the drop
    rule). Only for instruments whose SD and reliability the user supplied, and labelled as
    computed from those norms, not normed.
``divergence``
    In one session, the therapist's mean item score on a shared dimension (goal, task, bond,
    through each instrument's ``dimensions`` map) is higher than the client's by more than
    the threshold. Different instruments are compared only when their scales have the same
    range; other pairs are skipped, because a mean on 0-10 and one on 1-5 are not comparable.
``unrepaired_rupture``
    A rupture marked "no" or "partly" resolved in one session, flagged at the next recorded
    session (if there is one), so it is picked up rather than forgotten.
``recurring_theme``
    A countertransference theme at or above ``theme_strong_at`` in at least
    ``theme_recur_count`` of the last ``theme_window`` sessions, flagged at each session
    where it is strong again.

Incomplete responses are shown with their partial scores elsewhere, but only the item rule
reads them here: a cut-off or a drop computed from some of the items would look exactly
like a real one. :func:`case_alerts` skips responses it cannot use: instruments that are
not in ``instruments`` (a program's own instrument missing on this machine) and answers
that :func:`~supervision_workbook.scoring.score` refuses. One bad response must not hide
every other alert of a case; the views that show scores report the reason.
:func:`response_alerts`, given one response in hand, raises ``ScoringError`` instead.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, JsonValue

from supervision_workbook.config import AlertConfig
from supervision_workbook.instruments import Instrument, RatingInstrument, ReflectionInstrument
from supervision_workbook.model import Resolved, Respondent, SessionEntry
from supervision_workbook.scoring import (
    Score,
    ScoringError,
    dimension_stats,
    format_number,
    primary,
    reliable_change,
    score,
)

Rule = Literal[
    "cutoff",
    "item_threshold",
    "drop",
    "reliable_change",
    "divergence",
    "unrepaired_rupture",
    "recurring_theme",
]
RULES: tuple[str, ...] = get_args(Rule)

NOT_NORMED = "computed from the norms you supplied, not normed"

_n = format_number


class Alert(BaseModel):
    """One fired rule. Serialises to plain JSON (``model_dump(mode="json")``).

    ``message`` and ``inputs`` hold numbers, ids and the project's own labels only: never
    free text the trainee typed and never licensed item wording (items are named
    "Item 3 (Bond)"), so an alert can be stored in an artifact's summary as it is. It is
    still escaped wherever it is shown, like any text.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: Rule
    message: str
    inputs: dict[str, JsonValue]
    session_number: int | None = None
    instrument_id: str | None = None
    respondent: str | None = None


def _respondent(value: Respondent | str | None) -> str | None:
    return value.value if isinstance(value, Respondent) else value


def _who(instrument: RatingInstrument, respondent: str | None) -> str:
    if respondent and len(instrument.respondents) > 1:
        return f"{instrument.name} (rated by the {respondent})"
    return instrument.name


def _statistic(instrument: RatingInstrument) -> str:
    return "mean item score" if instrument.primary == "mean" else "total"


def _source(configured: bool) -> str:
    return "config" if configured else "instrument"


def _source_words(configured: bool) -> str:
    return "set in supervision-workbook.toml" if configured else "the instrument's default"


def response_alerts(
    instrument: Instrument,
    answers: Sequence[float | None],
    config: AlertConfig,
    session_number: int | None = None,
    *,
    respondent: Respondent | str | None = None,
) -> list[Alert]:
    """Alerts that one response raises on its own: cut-off and item threshold.

    Non-rating instruments raise none. Answers that cannot be scored raise
    :class:`~supervision_workbook.scoring.ScoringError`.
    """
    if not isinstance(instrument, RatingInstrument):
        return []
    return _from_score(
        instrument,
        answers,
        score(instrument, answers),
        config,
        session_number,
        _respondent(respondent),
    )


def _from_score(
    instrument: RatingInstrument,
    answers: Sequence[float | None],
    result: Score,
    config: AlertConfig,
    session_number: int | None,
    respondent: str | None,
) -> list[Alert]:
    alerts: list[Alert] = []
    common = {
        "session_number": session_number,
        "instrument_id": instrument.id,
        "respondent": respondent,
    }
    who = _who(instrument, respondent)
    if instrument.cutoff is not None and result.complete:
        value = primary(instrument, result.total)
        cut = instrument.cutoff.value
        comparison = config.cutoff_comparison
        below = value < cut if comparison == "<" else value <= cut
        if below:
            words = "below" if comparison == "<" else "at or below"
            note = f" ({instrument.cutoff.note})" if instrument.cutoff.note else ""
            alerts.append(
                Alert(
                    rule="cutoff",
                    message=(
                        f"Below the cut-off: {who} {_statistic(instrument)} is {_n(value)}, "
                        f"{words} the cut-off of {_n(cut)}{note}."
                    ),
                    inputs={
                        "value": value,
                        "statistic": instrument.primary,
                        "cutoff": cut,
                        "comparison": comparison,
                    },
                    **common,
                )
            )
    configured = instrument.id in config.item_threshold
    threshold = config.item_threshold.get(instrument.id, instrument.item_threshold)
    if threshold is not None:
        for i, value in enumerate(result.items):
            if value is None or value > threshold:
                continue
            item = instrument.items[i]
            answered = answers[i]
            reverse = (
                f" (reverse-scored: answered {_n(answered)})"
                if item.reverse and answered is not None
                else ""
            )
            alerts.append(
                Alert(
                    rule="item_threshold",
                    message=(
                        f"Low item: {who}, {instrument.item_ref(i)}, scored {_n(value)}"
                        f"{reverse}, at or below the item threshold of {_n(threshold)} "
                        f"({_source_words(configured)})."
                    ),
                    inputs={
                        "item_index": i,
                        "item_id": item.id,
                        "answer": answered,
                        "scored": value,
                        "reverse": item.reverse,
                        "threshold": threshold,
                        "threshold_source": _source(configured),
                    },
                    **common,
                )
            )
    return alerts


def case_alerts(
    sessions: Sequence[SessionEntry],
    instruments: Mapping[str, Instrument],
    config: AlertConfig,
) -> list[Alert]:
    """Every rule over a case's sessions, ordered by session number and then by rule."""
    order = sorted(sessions, key=lambda s: s.number)
    alerts: list[Alert] = []
    # (instrument id, respondent) -> [(session number, primary value)] of complete responses.
    series: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for session in order:
        latest: dict[tuple[str, str], float] = {}
        scored: list[tuple[RatingInstrument, str, Score]] = []
        for response in session.responses:
            instrument = instruments.get(response.instrument_id)
            if not isinstance(instrument, RatingInstrument):
                continue
            who = response.respondent.value
            try:
                result = score(instrument, response.answers)
            except ScoringError:
                continue  # shown, with the reason, wherever the score is displayed
            alerts += _from_score(instrument, response.answers, result, config, session.number, who)
            if result.complete:
                latest[(instrument.id, who)] = primary(instrument, result.total)
                scored.append((instrument, who, result))
        for key, value in latest.items():
            series.setdefault(key, []).append((session.number, value))
        alerts += _divergence(session.number, scored, config)
    for (instrument_id, who), points in series.items():
        instrument = instruments[instrument_id]
        assert isinstance(instrument, RatingInstrument)
        alerts += _drops(instrument, who, points, config)
        alerts += _reliable_changes(instrument, who, points, config)
    alerts += _unrepaired_ruptures(order)
    alerts += _recurring_themes(order, instruments, config)
    return sorted(alerts, key=lambda a: (a.session_number or 0, RULES.index(a.rule)))


def _drops(
    instrument: RatingInstrument, who: str, points: list[tuple[int, float]], config: AlertConfig
) -> list[Alert]:
    configured = instrument.id in config.drop
    threshold = config.drop.get(instrument.id, instrument.drop_threshold)
    if threshold is None:
        return []
    alerts = []
    for (before_n, before), (now_n, now) in itertools.pairwise(points):
        fall = round(before - now, 9)
        if fall < threshold:
            continue
        alerts.append(
            Alert(
                rule="drop",
                message=(
                    f"Drop from the previous session: {_who(instrument, who)} "
                    f"{_statistic(instrument)} fell from {_n(before)} (session {before_n}) to "
                    f"{_n(now)} (session {now_n}), a drop of {_n(fall)}, at or above the drop "
                    f"threshold of {_n(threshold)} ({_source_words(configured)})."
                ),
                inputs={
                    "statistic": instrument.primary,
                    "previous_session": before_n,
                    "previous": before,
                    "current": now,
                    "drop": fall,
                    "threshold": threshold,
                    "threshold_source": _source(configured),
                },
                session_number=now_n,
                instrument_id=instrument.id,
                respondent=who,
            )
        )
    return alerts


def _reliable_changes(
    instrument: RatingInstrument, who: str, points: list[tuple[int, float]], config: AlertConfig
) -> list[Alert]:
    norms = config.reliable_change.get(instrument.id)
    if norms is None or len(points) < 2:
        return []
    base_n, base = points[0]
    alerts = []
    for now_n, now in points[1:]:
        rc = reliable_change(base, now, norms.sd, norms.reliability)
        if rc.direction != "deterioration":
            continue
        alerts.append(
            Alert(
                rule="reliable_change",
                message=(
                    f"Reliable deterioration ({NOT_NORMED}): {_who(instrument, who)} "
                    f"{_statistic(instrument)} went from {_n(base)} (session {base_n}, the first "
                    f"recorded) to {_n(now)} (session {now_n}). With SD {_n(norms.sd)} and "
                    f"reliability {_n(norms.reliability)}: SE = SD x sqrt(1 - r) = {_n(rc.se)}; "
                    f"S_diff = sqrt(2) x SE = {_n(rc.s_diff)}; RC = ({_n(now)} - {_n(base)}) / "
                    f"{_n(rc.s_diff)} = {_n(rc.rc)}, beyond -1.96."
                ),
                inputs={
                    "label": NOT_NORMED,
                    "statistic": instrument.primary,
                    "baseline_session": base_n,
                    "baseline": base,
                    "current": now,
                    "sd": norms.sd,
                    "reliability": norms.reliability,
                    "se": rc.se,
                    "s_diff": rc.s_diff,
                    "rc": rc.rc,
                    "critical": 1.96,
                    "direction": rc.direction,
                    "improvement": rc.direction == "improvement",
                    "deterioration": rc.direction == "deterioration",
                },
                session_number=now_n,
                instrument_id=instrument.id,
                respondent=who,
            )
        )
    return alerts


def _divergence(
    number: int, scored: list[tuple[RatingInstrument, str, Score]], config: AlertConfig
) -> list[Alert]:
    clients = [(inst, res) for inst, who, res in scored if who == Respondent.client.value]
    therapists = [(inst, res) for inst, who, res in scored if who == Respondent.therapist.value]
    alerts = []
    for c_inst, c_res in clients:
        for t_inst, t_res in therapists:
            if (c_inst.scale.min, c_inst.scale.max) != (t_inst.scale.min, t_inst.scale.max):
                continue  # different ranges: mean item points are not comparable
            c_dims = dimension_stats(c_inst, c_res)
            t_dims = dimension_stats(t_inst, t_res)
            for dim, c_stat in c_dims.items():
                t_stat = t_dims.get(dim)
                if t_stat is None or t_stat.mean is None or c_stat.mean is None:
                    continue
                diff = round(t_stat.mean - c_stat.mean, 9)
                if diff <= config.divergence:
                    continue
                label = dim.capitalize()
                alerts.append(
                    Alert(
                        rule="divergence",
                        message=(
                            f"Therapist above client on {label}: in session {number} the "
                            f"therapist's {t_inst.name} gives {label} a mean of "
                            f"{_n(t_stat.mean)} and the client's {c_inst.name} gives "
                            f"{_n(c_stat.mean)}; the difference of {_n(diff)} item points is "
                            f"more than the divergence threshold of {_n(config.divergence)}."
                        ),
                        inputs={
                            "dimension": dim,
                            "client_instrument": c_inst.id,
                            "therapist_instrument": t_inst.id,
                            "client_mean": c_stat.mean,
                            "therapist_mean": t_stat.mean,
                            "difference": diff,
                            "threshold": config.divergence,
                            "scale": [c_inst.scale.min, c_inst.scale.max],
                        },
                        session_number=number,
                        instrument_id=c_inst.id,
                        respondent=None,
                    )
                )
    return alerts


_RESOLVED_WORDS = {Resolved.partly: "partly repaired", Resolved.no: "not repaired"}


def _unrepaired_ruptures(order: Sequence[SessionEntry]) -> list[Alert]:
    alerts = []
    for session, following in itertools.pairwise(order):
        for rupture in session.ruptures:
            if rupture.resolved == Resolved.yes:
                continue
            kind = rupture.type.value
            outcome = _RESOLVED_WORDS[rupture.resolved]
            alerts.append(
                Alert(
                    rule="unrepaired_rupture",
                    message=(
                        f"Rupture left unrepaired: a {kind} rupture in session {session.number} "
                        f"(salience {rupture.salience} of 5) was {outcome} "
                        f"by the end of it; flagged at session {following.number}, the next "
                        "session, so that it can be picked up."
                    ),
                    inputs={
                        "rupture_id": rupture.id,
                        "rupture_session": session.number,
                        "type": kind,
                        "resolved": rupture.resolved.value,
                        "salience": rupture.salience,
                        "markers": list(rupture.markers),
                        "strategies": list(rupture.strategies),
                    },
                    session_number=following.number,
                    instrument_id="rupture-log",
                    respondent=Respondent.therapist.value,
                )
            )
    return alerts


def _reflection_instrument(instruments: Mapping[str, Instrument]) -> ReflectionInstrument | None:
    from supervision_workbook.instruments import reflection_instrument

    return reflection_instrument(instruments)


def _recurring_themes(
    order: Sequence[SessionEntry], instruments: Mapping[str, Instrument], config: AlertConfig
) -> list[Alert]:
    reflection = _reflection_instrument(instruments)
    strong = config.theme_strong_at
    alerts = []
    for k, session in enumerate(order):
        if session.reflection is None:
            continue
        window = order[max(0, k - config.theme_window + 1) : k + 1]
        for theme, intensity in session.reflection.themes.items():
            if intensity < strong:
                continue
            hits = [
                s.number
                for s in window
                if s.reflection is not None and s.reflection.themes.get(theme, strong - 1) >= strong
            ]
            if len(hits) < config.theme_recur_count:
                continue
            label = reflection.theme_label(theme) if reflection else theme
            listed = ", ".join(str(n) for n in hits)
            alerts.append(
                Alert(
                    rule="recurring_theme",
                    message=(
                        f"Recurring countertransference theme: '{label}' was strong (intensity "
                        f"{strong} or more) in {len(hits)} of the last {len(window)} sessions "
                        f"(sessions {listed}), including this one at {intensity}."
                    ),
                    inputs={
                        "theme": theme,
                        "theme_label": label,
                        "intensity": intensity,
                        "strong_at": strong,
                        "sessions": hits,
                        "count": len(hits),
                        "recur_count": config.theme_recur_count,
                        "window": config.theme_window,
                    },
                    session_number=session.number,
                    instrument_id=reflection.id if reflection else None,
                    respondent=Respondent.therapist.value,
                )
            )
    return alerts
