"""Rules over one instrument's course: ``drop`` and ``reliable_change``.

Why two rules: ``drop`` compares with the previous session that has a complete response
(a sudden fall worth asking about), ``reliable_change`` compares with the first one (the
baseline, as in routine outcome monitoring; Jacobson & Truax, 1991).

Why the wording differs by measure: on an alliance measure a reliable change downwards is a
"reliable fall in the client's alliance rating"; "deterioration" is outcome language and is
kept for outcome measures such as the ORS.
"""

from __future__ import annotations

import itertools

from supervision_workbook.config import AlertConfig
from supervision_workbook.instruments import RatingInstrument
from supervision_workbook.scoring import reliable_change

from ._alert import (
    NOT_NORMED,
    Alert,
    is_alliance,
    n,
    source_key,
    statistic,
    threshold_words,
    who,
)

Points = list[tuple[int, float]]


def drops(
    instrument: RatingInstrument, respondent: str, points: Points, config: AlertConfig
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
                    f"Fall from the previous session: {who(instrument, respondent)} "
                    f"{statistic(instrument)} fell from {n(before)} (session {before_n}) to "
                    f"{n(now)} (session {now_n}), a fall of {n(fall)}, at or above the drop "
                    f"threshold of {n(threshold)} "
                    f"({threshold_words(instrument, 'drop_threshold', configured)})."
                ),
                inputs={
                    "statistic": instrument.primary,
                    "previous_session": before_n,
                    "previous": before,
                    "current": now,
                    "drop": fall,
                    "threshold": threshold,
                    "threshold_source": source_key(instrument, "drop_threshold", configured),
                },
                session_number=now_n,
                instrument_id=instrument.id,
                respondent=respondent,
            )
        )
    return alerts


def _headline(instrument: RatingInstrument, respondent: str) -> str:
    if is_alliance(instrument):
        return f"Reliable fall in the {respondent}'s alliance rating"
    return "Reliable deterioration"


def reliable_changes(
    instrument: RatingInstrument, respondent: str, points: Points, config: AlertConfig
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
                    f"{_headline(instrument, respondent)} ({NOT_NORMED}): "
                    f"{who(instrument, respondent)} {statistic(instrument)} went from "
                    f"{n(base)} (session {base_n}, the first recorded) to {n(now)} (session "
                    f"{now_n}). With SD {n(norms.sd)} and reliability "
                    f"{n(norms.reliability)}: SE = SD x sqrt(1 - r) = {n(rc.se)}; "
                    f"S_diff = sqrt(2) x SE = {n(rc.s_diff)}; RC = ({n(now)} - {n(base)}) / "
                    f"{n(rc.s_diff)} = {n(rc.rc)}, beyond -1.96."
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
                respondent=respondent,
            )
        )
    return alerts
