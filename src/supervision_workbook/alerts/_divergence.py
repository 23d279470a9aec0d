"""The ``divergence`` rule: client and therapist see the alliance differently.

Why only declared parallel forms: two forms can share a 1-5 range and still not be
comparable (the WAI-SR's "Seldom ... Always" is not our check-in's "Not at all ...
Completely"). A client form is compared with a therapist form only when one of the two
files names the other as its ``counterpart`` and both scales have the same range.

Why both ways: meta-analyses find that clients rate the alliance *higher* than therapists on
average (Tryon, Blackwell & Hammel, 2007, d = .63; Lev Ari et al., 2025, g = .41). A
therapist far above the client may be missing a strain the client feels; a therapist far
below may be caught in a helpless or inadequate countertransference. Both are worth a word.

Why one alert per session: a gap on three dimensions is one conversation, so the alert lists
the dimensions instead of raising three flags.
"""

from __future__ import annotations

from supervision_workbook.config import AlertConfig
from supervision_workbook.instruments import RatingInstrument
from supervision_workbook.model import Respondent
from supervision_workbook.scoring import Score, dimension_stats

from ._alert import CONFIGURED, PROJECT_DEFAULT, Alert, n

#: The configuration's default divergence threshold (a project default, not normed).
DEFAULT_THRESHOLD = AlertConfig.model_fields["divergence"].default

Scored = list[tuple[RatingInstrument, str, Score]]


def parallel(client: RatingInstrument, therapist: RatingInstrument) -> bool:
    """True when the two forms are declared counterparts on the same scale range."""
    declared = client.counterpart == therapist.id or therapist.counterpart == client.id
    same = (client.scale.min, client.scale.max) == (therapist.scale.min, therapist.scale.max)
    return declared and same


def divergence(number: int, scored: Scored, config: AlertConfig) -> list[Alert]:
    clients = [(i, r) for i, who, r in scored if who == Respondent.client.value]
    therapists = [(i, r) for i, who, r in scored if who == Respondent.therapist.value]
    alerts = []
    for c_inst, c_res in clients:
        for t_inst, t_res in therapists:
            if not parallel(c_inst, t_inst):
                continue
            alert = _pair(number, c_inst, c_res, t_inst, t_res, config.divergence)
            if alert is not None:
                alerts.append(alert)
    return alerts


def _pair(
    number: int,
    c_inst: RatingInstrument,
    c_res: Score,
    t_inst: RatingInstrument,
    t_res: Score,
    threshold: float,
) -> Alert | None:
    c_dims = dimension_stats(c_inst, c_res)
    t_dims = dimension_stats(t_inst, t_res)
    gaps: list[dict[str, object]] = []
    words: list[str] = []
    for dim, c_stat in c_dims.items():
        t_stat = t_dims.get(dim)
        if t_stat is None or t_stat.mean is None or c_stat.mean is None:
            continue
        diff = round(t_stat.mean - c_stat.mean, 9)
        if abs(diff) <= threshold:
            continue
        side = "above" if diff > 0 else "below"
        words.append(
            f"{dim.capitalize()}: therapist {n(t_stat.mean)}, client {n(c_stat.mean)} "
            f"(therapist {side} by {n(abs(diff))})"
        )
        gaps.append(
            {
                "dimension": dim,
                "client_mean": c_stat.mean,
                "therapist_mean": t_stat.mean,
                "difference": diff,
                "therapist": side,
            }
        )
    if not gaps:
        return None
    default = threshold == DEFAULT_THRESHOLD
    return Alert(
        rule="divergence",
        message=(
            f"Client and therapist see the alliance differently: in session {number}, "
            f"{t_inst.name} against {c_inst.name} in mean item points, {'; '.join(words)}. "
            f"Each gap is more than the divergence threshold of {n(threshold)} "
            f"({PROJECT_DEFAULT if default else CONFIGURED})."
        ),
        inputs={
            "dimensions": gaps,  # type: ignore[dict-item]
            "client_instrument": c_inst.id,
            "therapist_instrument": t_inst.id,
            "threshold": threshold,
            "threshold_source": "project_default" if default else "config",
            "scale": [c_inst.scale.min, c_inst.scale.max],
        },
        session_number=number,
        instrument_id=c_inst.id,
        respondent=None,
    )
