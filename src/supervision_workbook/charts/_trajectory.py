"""The alliance trajectory: client and therapist over sessions, with alerts and ruptures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..model import Resolved, Respondent, RuptureType, SessionEntry
from ._common import (
    GREY,
    INK,
    ORANGE,
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

    from ..alerts import Alert
    from ..instruments import Instrument

#: Rupture type -> marker symbol; ``-open`` is appended when the rupture was not fully repaired.
RUPTURE_SYMBOL: dict[RuptureType, tuple[str, str]] = {
    RuptureType.withdrawal: ("triangle-down", SKY),
    RuptureType.confrontation: ("triangle-up", ORANGE),
    RuptureType.mixed: ("diamond", GREY),
}

_REPAIR_WORDS = {
    Resolved.yes: "repaired",
    Resolved.partly: "partly repaired",
    Resolved.no: "not repaired",
}


def _band_axis() -> dict[str, object]:
    """Hidden overlay axis (0 = bottom, 1 = top) for markers that are not scores: alerts
    along the top, ruptures along the bottom, so they never hide a data point."""
    return {"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True}


_ALERT_Y = 0.96
_RUPTURE_Y, _RUPTURE_STACK = 0.04, 0.07


# --- alliance trajectory ---------------------------------------------------------------------
def alliance_trajectory(
    sessions: Sequence[SessionEntry],
    instruments: Mapping[str, Instrument],
    alerts: Sequence[Alert] = (),
    subscale: str | None = None,
) -> go.Figure:
    """Client and therapist alliance over sessions, overlaid (the binocular view); see
    :func:`alliance_trajectory_spec`."""
    return figure(alliance_trajectory_spec(sessions, instruments, alerts, subscale))


def alliance_trajectory_spec(
    sessions: Sequence[SessionEntry],
    instruments: Mapping[str, Instrument],
    alerts: Sequence[Alert] = (),
    subscale: str | None = None,
) -> Spec:
    """Client and therapist alliance over sessions, overlaid (the binocular view).

    One line per (instrument, respondent) for the client and therapist forms, showing the
    instrument's primary statistic of the total, or of ``subscale`` (a subscale id such as
    ``bond``, or a shared dimension name). A dotted cut-off line is drawn for instruments
    that have one (totals only: cut-offs are defined on the total). Alert markers (x) run
    along the top, one per flagged session, the hover naming each rule that fired there
    (the messages in full are in the alert list shown beside the chart); rupture markers
    run along the bottom, one trace per rupture type, filled when repaired and open when not.
    """
    ordered = sorted(sessions, key=lambda s: s.number)
    series: dict[tuple[str, Respondent], list[tuple[int, float, str]]] = {}
    names: dict[str, str] = {}
    for session in ordered:
        for response in session.responses:
            if response.respondent not in (Respondent.client, Respondent.therapist):
                continue
            inst = rating_instrument(instruments, response.instrument_id)
            if inst is None:
                continue
            value = primary_value(inst, response.answers, subscale)
            if value is None:
                continue
            names[inst.id] = inst.name
            series.setdefault((inst.id, response.respondent), []).append(
                (session.number, value, session.date.isoformat())
            )

    numbers = [s.number for s in ordered]
    traces: list[Spec] = []
    # Client first, then therapist: the legend reads in the order of the binocular view.
    keys = sorted(series, key=lambda k: (k[1] != Respondent.client, k[0]))
    for inst_id, who in keys:
        points = series[(inst_id, who)]
        traces.append(
            respondent_trace(
                who,
                f"{who.value.capitalize()}: {names[inst_id]}",
                [p[0] for p in points],
                [p[1] for p in points],
                "Session %{x} (%{customdata})<br>%{fullData.name}: %{y}<extra></extra>",
                customdata=[p[2] for p in points],
            )
        )

    if subscale is None and numbers:
        for inst_id in sorted(names):
            inst = rating_instrument(instruments, inst_id)
            if inst is None or inst.cutoff is None:
                continue
            cut = rnd(inst.cutoff.value)
            label = esc(f"Cut-off, {inst.name}: {cut:g}")
            traces.append(
                {
                    "type": "scatter",
                    "x": [min(numbers), max(numbers)],
                    "y": [cut, cut],
                    "name": label,
                    "mode": "lines",
                    "line": {"color": GREY, "dash": "dot", "width": 1.5},
                    "hovertext": label,  # one value for both ends of the line
                    "hoverinfo": "text",
                }
            )

    traces.extend(_alert_traces(alerts))
    traces.extend(_rupture_traces(ordered))

    scope = "all items" if subscale is None else subscale
    stats = {inst.primary for inst in (rating_instrument(instruments, i) for i in names) if inst}
    statistic = {
        frozenset({"mean"}): "Mean item score",
        frozenset({"sum"}): "Sum of item scores",
    }.get(frozenset(stats), "Score")
    return {
        "data": traces,
        "layout": layout(
            f"Alliance over sessions: client and therapist ({scope})",
            "Session",
            f"{statistic} ({scope})",
            xaxis=session_ticks(numbers),
            yaxis2=_band_axis(),
        ),
    }


def _alert_reasons(messages: Sequence[str]) -> list[str]:
    """The reasons of one session's alerts, each stated once: the lead-in of each message
    (every alert message opens with its rule in words, "Low item: ..."), with a count when
    several alerts share it. The messages in full are in the alert list beside the chart
    (the artifact's summary, the case review's list of flags); repeating all of them in the
    hover of a 20-session case stored every message twice (about 20 kB)."""
    counts: dict[str, int] = {}
    for message in messages:
        lead = message.split(": ", 1)[0] if ": " in message else message
        counts[lead] = counts.get(lead, 0) + 1
    return [lead if n == 1 else f"{lead} ({n} alerts)" for lead, n in counts.items()]


def _alert_traces(alerts: Sequence[Alert]) -> list[Spec]:
    """One marker per flagged session; its hover text names each rule that fired there."""
    by_session: dict[int, list[str]] = {}
    for alert in alerts:
        if alert.session_number is None:
            continue
        by_session.setdefault(alert.session_number, []).append(alert.message)
    if not by_session:
        return []
    x = sorted(by_session)
    hover = []
    for n in x:
        messages = by_session[n]
        head = f"Session {n}: {len(messages)} alert" + ("s" if len(messages) != 1 else "")
        hover.append("<br>".join(esc(line) for line in [head, *_alert_reasons(messages)]))
    return [
        {
            "type": "scatter",
            "x": x,
            "y": [_ALERT_Y] * len(x),
            "yaxis": "y2",
            "name": "Alerts (hover for the rules)",
            "mode": "markers",
            "marker": {"symbol": "x", "size": 11, "color": INK},
            "hovertext": hover,
            "hoverinfo": "text",
        }
    ]


def _rupture_traces(sessions: Sequence[SessionEntry]) -> list[Spec]:
    """One trace per rupture type; filled marker = repaired, open marker = not (yet)."""
    points: dict[RuptureType, list[tuple[int, float, str, str]]] = {}
    for session in sessions:
        for k, rupture in enumerate(session.ruptures):
            base, _colour = RUPTURE_SYMBOL[rupture.type]
            symbol = base if rupture.resolved is Resolved.yes else f"{base}-open"
            hover = (
                f"Session {session.number}: {rupture.type.value} rupture "
                f"(salience {rupture.salience}/5), {_REPAIR_WORDS[rupture.resolved]}"
            )
            y = rnd(min(_RUPTURE_Y + k * _RUPTURE_STACK, 0.9))
            points.setdefault(rupture.type, []).append((session.number, y, symbol, esc(hover)))
    traces: list[Spec] = []
    for rtype in RuptureType:
        if rtype not in points:
            continue
        pts = points[rtype]
        _base, colour = RUPTURE_SYMBOL[rtype]
        traces.append(
            {
                "type": "scatter",
                "x": [p[0] for p in pts],
                "y": [p[1] for p in pts],
                "yaxis": "y2",
                "name": f"Rupture: {rtype.value} (filled = repaired)",
                "mode": "markers",
                "marker": {
                    "symbol": [p[2] for p in pts],
                    "size": 12,
                    "color": colour,
                    "line": {"color": colour, "width": 2},
                },
                "hovertext": [p[3] for p in pts],
                "hoverinfo": "text",
            }
        )
    return traces
