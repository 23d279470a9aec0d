"""Per-case views beside the trajectory: countertransference themes, divergence, check-ins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..model import Respondent, SessionEntry, SupervisionCheckin
from ..scoring import Score, ScoringError, dimension_stats, score
from ._common import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    PATTERNS,
    PURPLE,
    SKY,
    Spec,
    esc,
    figure,
    layout,
    primary_value,
    rating_instrument,
    respondent_trace,
    rnd,
    session_ticks,
)

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from ..instruments import Instrument, RatingInstrument, ReflectionInstrument


# --- countertransference themes ----------------------------------------------------------------
def theme_heatmap(sessions: Sequence[SessionEntry], instrument: ReflectionInstrument) -> go.Figure:
    """Countertransference theme intensity by session; see :func:`theme_heatmap_spec`."""
    return figure(theme_heatmap_spec(sessions, instrument))


def theme_heatmap_spec(sessions: Sequence[SessionEntry], instrument: ReflectionInstrument) -> Spec:
    """Countertransference theme intensity (rows) by session (columns).

    Sessions without a reflection, or themes not rated, are gaps rather than zeros: "not
    recorded" is not "not felt". Each cell also prints its number, so the chart does not
    depend on reading colour.
    """
    ordered = sorted(sessions, key=lambda s: s.number)
    x = [s.number for s in ordered]
    y = [esc(theme.label) for theme in instrument.themes]
    z: list[list[int | None]] = []
    for theme in instrument.themes:
        row: list[int | None] = []
        for session in ordered:
            themes = session.reflection.themes if session.reflection is not None else {}
            row.append(themes.get(theme.id))
        z.append(row)
    scale = instrument.intensity
    heat = {
        "type": "heatmap",
        "x": x,
        "y": y,
        "z": z,
        "zmin": rnd(scale.min),
        "zmax": rnd(scale.max),
        "colorscale": [[0, "#f7fbff"], [0.5, "#6baed6"], [1, "#08306b"]],
        "colorbar": {"title": {"text": "Intensity"}, "thickness": 12},
        "texttemplate": "%{z}",
        "hoverongaps": False,
        "hovertemplate": "Session %{x}<br>%{y}: %{z}<extra></extra>",
        "xgap": 2,
        "ygap": 2,
    }
    return {
        "data": [heat],
        "layout": layout(
            "Countertransference themes by session",
            "Session",
            "Theme",
            xaxis=session_ticks(x),
            yaxis={"autorange": "reversed"},
        ),
    }


# --- divergence ------------------------------------------------------------------------------


def divergence(
    sessions: Sequence[SessionEntry],
    instruments: Mapping[str, Instrument],
    threshold: float | None = None,
) -> go.Figure:
    """Therapist minus client per session and dimension; see :func:`divergence_spec`."""
    return figure(divergence_spec(sessions, instruments, threshold))


def divergence_spec(
    sessions: Sequence[SessionEntry],
    instruments: Mapping[str, Instrument],
    threshold: float | None = None,
) -> Spec:
    """Therapist minus client per session on each shared dimension (goal, task, bond).

    Compared as the divergence alert compares them: mean item points per dimension
    (:func:`scoring.dimension_stats`), and only between forms whose scales have the same
    range (a mean on 0-10 and one on 1-5 are not comparable). When a session has several
    comparable pairs, the first client and first therapist form (in record order) are used.
    Positive bars: the therapist rates the alliance higher than the client does.
    ``threshold`` (the alert's, ``AlertConfig.divergence``) is drawn as a dotted line.
    """
    ordered = sorted(sessions, key=lambda s: s.number)
    per_dim: dict[str, list[tuple[int, float]]] = {}
    dim_order: list[str] = []
    for session in ordered:
        pair = _comparable_pair(session, instruments)
        if pair is None:
            continue
        (c_inst, c_res), (t_inst, t_res) = pair
        c_dims, t_dims = dimension_stats(c_inst, c_res), dimension_stats(t_inst, t_res)
        for dim, c_stat in c_dims.items():
            t_stat = t_dims.get(dim)
            if t_stat is None or t_stat.mean is None or c_stat.mean is None:
                continue
            if dim not in dim_order:
                dim_order.append(dim)
            per_dim.setdefault(dim, []).append(
                (session.number, rnd(t_stat.mean - c_stat.mean) or 0.0)
            )

    colours = [BLUE, ORANGE, GREEN, PURPLE, SKY, GREY]
    traces: list[Spec] = []
    for i, dim in enumerate(dim_order):
        pts = per_dim[dim]
        traces.append(
            {
                "type": "bar",
                "x": [p[0] for p in pts],
                "y": [p[1] for p in pts],
                "name": esc(dim.capitalize()),
                "marker": {
                    "color": colours[i % len(colours)],
                    "pattern": {"shape": PATTERNS[i % len(PATTERNS)]},
                },
                # %{y:+}: the signed difference, as ``{v:+g}`` writes it (+0.5, -1).
                "hovertemplate": (
                    "Session %{x}, %{fullData.name}: therapist minus client %{y:+}<extra></extra>"
                ),
            }
        )
    numbers = [s.number for s in ordered]
    if threshold is not None and numbers:
        t = rnd(threshold)
        traces.append(
            {
                "type": "scatter",
                "x": [min(numbers), max(numbers)],
                "y": [t, t],
                "mode": "lines",
                "name": esc(f"Alert threshold: +{t:g}"),
                "line": {"color": GREY, "dash": "dot", "width": 1.5},
                "hoverinfo": "skip",
            }
        )
    return {
        "data": traces,
        "layout": layout(
            "Therapist minus client, by alliance dimension",
            "Session",
            "Therapist minus client",
            subtitle="Mean item points; above zero, the therapist rated the alliance higher",
            xaxis=session_ticks(numbers),
            yaxis={"zeroline": True, "zerolinecolor": "#888888"},
            barmode="group",
        ),
    }


def _comparable_pair(
    session: SessionEntry, instruments: Mapping[str, Instrument]
) -> tuple[tuple[RatingInstrument, Score], tuple[RatingInstrument, Score]] | None:
    """The first client and therapist forms of a session that share dimensions and a range."""
    sides: dict[Respondent, list[tuple[RatingInstrument, Score]]] = {}
    for response in session.responses:
        if response.respondent not in (Respondent.client, Respondent.therapist):
            continue
        inst = rating_instrument(instruments, response.instrument_id)
        if inst is None or not inst.dimensions:
            continue
        try:
            result = score(inst, response.answers)
        except ScoringError:
            continue
        sides.setdefault(response.respondent, []).append((inst, result))
    for client in sides.get(Respondent.client, []):
        for therapist in sides.get(Respondent.therapist, []):
            c_scale, t_scale = client[0].scale, therapist[0].scale
            if (c_scale.min, c_scale.max) == (t_scale.min, t_scale.max):
                return client, therapist
    return None


# --- supervision check-in ----------------------------------------------------------------------
def checkin_trend(
    checkins: Sequence[SupervisionCheckin], instrument: RatingInstrument
) -> go.Figure:
    """The supervisory alliance over meetings; see :func:`checkin_trend_spec`."""
    return figure(checkin_trend_spec(checkins, instrument))


def checkin_trend_spec(
    checkins: Sequence[SupervisionCheckin], instrument: RatingInstrument
) -> Spec:
    """The supervisory alliance over meetings, as rated by supervisor and by supervisee."""
    ordered = sorted(checkins, key=lambda c: c.date)
    series: dict[Respondent, list[tuple[str, float]]] = {}
    for checkin in ordered:
        for response in checkin.responses:
            if response.instrument_id != instrument.id:
                continue
            value = primary_value(instrument, response.answers, None)
            if value is None:
                continue
            series.setdefault(response.respondent, []).append((checkin.date.isoformat(), value))
    traces: list[Spec] = []
    for who in Respondent:
        if who not in series:
            continue
        pts = series[who]
        traces.append(
            respondent_trace(
                who,
                f"{who.value.capitalize()}: {instrument.name}",
                [p[0] for p in pts],
                [p[1] for p in pts],
                "%{x}: %{fullData.name} %{y}<extra></extra>",
            )
        )
    if instrument.cutoff is not None and ordered:
        cut = rnd(instrument.cutoff.value)
        first, last = ordered[0].date.isoformat(), ordered[-1].date.isoformat()
        traces.append(
            {
                "type": "scatter",
                "x": [first, last],
                "y": [cut, cut],
                "mode": "lines",
                "name": esc(f"Cut-off: {cut:g}"),
                "line": {"color": GREY, "dash": "dot", "width": 1.5},
                "hoverinfo": "skip",
            }
        )
    low, high = instrument.primary_range
    return {
        "data": traces,
        "layout": layout(
            "Supervision check-in over time: supervisor and supervisee",
            "Meeting date",
            f"Score ({instrument.primary} of items)",
            xaxis={"type": "category"},
            yaxis={"range": [rnd(low), rnd(high)]},
        ),
    }
