"""Which charts of a case exist, what each is called, and when each has something to show.

One table for every reader: the artifact (``artifact.replay``) stores the charts that have
data, and the case review's pages draw the same charts under the same rule, so a chart is
never shown on the page and missing from the record (or the other way round). Each entry
has a spec function (plain JSON, see the package docstring), a description (the artifact's
text alternative) and a cheap ``ready`` test: whether the inputs it needs are there at all.
Charts drawn from traces (all but the theme heatmap) also need a trace that shows data
rather than only reference lines (a cut-off, a threshold): :func:`shows_data`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._common import Spec
from ._sessions import checkin_trend_spec, divergence_spec, theme_heatmap_spec
from ._trajectory import alliance_trajectory_spec

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from supervision_workbook.alerts import Alert
    from supervision_workbook.instruments import (
        Instrument,
        RatingInstrument,
        ReflectionInstrument,
    )
    from supervision_workbook.model import SessionEntry, SupervisionCheckin


@dataclass(frozen=True)
class ChartData:
    """What the charts of a case are drawn from (each chart reads the fields it needs)."""

    sessions: Sequence[SessionEntry]
    instruments: Mapping[str, Instrument]
    alerts: Sequence[Alert] = ()
    divergence_threshold: float | None = None
    reflection: ReflectionInstrument | None = None
    checkins: Sequence[SupervisionCheckin] = ()
    checkin_instrument: RatingInstrument | None = None
    subscale: str | None = None


@dataclass(frozen=True)
class Chart:
    name: str
    description: str
    spec: Callable[[ChartData], Spec]
    ready: Callable[[ChartData], bool]
    from_traces: bool = True


def _themes(data: ChartData) -> Spec:
    if data.reflection is None:
        raise ValueError("no countertransference instrument: no theme chart")
    return theme_heatmap_spec(data.sessions, data.reflection)


def _checkin(data: ChartData) -> Spec:
    if data.checkin_instrument is None or not data.checkins:
        raise ValueError("no scorable supervision check-in: no check-in chart")
    return checkin_trend_spec(data.checkins, data.checkin_instrument)


CHARTS: dict[str, Chart] = {
    chart.name: chart
    for chart in (
        Chart(
            "trajectory",
            "Alliance over sessions (client and therapist, all items)",
            lambda d: alliance_trajectory_spec(d.sessions, d.instruments, d.alerts, d.subscale),
            lambda d: True,  # its traces decide (flags alone can be worth a chart)
        ),
        Chart(
            "divergence",
            "Therapist minus client by alliance dimension (mean item points; above zero, the "
            "therapist rated the alliance higher)",
            lambda d: divergence_spec(d.sessions, d.instruments, d.divergence_threshold),
            lambda d: True,
        ),
        Chart(
            "themes",
            "Countertransference themes by session",
            _themes,
            lambda d: (
                d.reflection is not None
                and any(s.reflection and s.reflection.themes for s in d.sessions)
            ),
            from_traces=False,
        ),
        Chart(
            "checkin",
            "Supervision check-in (supervisor and supervisee)",
            _checkin,
            lambda d: d.checkin_instrument is not None and bool(d.checkins),
        ),
    )
}
"""The charts of a case, in display order."""


def shows_data(spec: Spec) -> bool:
    """True when the chart shows more than reference lines (cut-off, threshold)."""
    for trace in spec["data"]:
        kind = trace.get("type")
        drawn = kind == "bar" or (kind == "scatter" and trace.get("mode") != "lines")
        if drawn and trace.get("x"):
            return True
    return False


def chart_spec(name: str, data: ChartData) -> Spec:
    """The named chart as plain JSON; ``ValueError`` for an unknown name or missing input."""
    chart = CHARTS.get(name)
    if chart is None:
        raise ValueError(f"unknown chart {name!r}; charts are {', '.join(CHARTS)}")
    return chart.spec(data)


def has_data(name: str, data: ChartData, spec: Spec | None = None) -> bool:
    """Whether the named chart has something to show (``spec``: one already built)."""
    chart = CHARTS[name]
    if not chart.ready(data):
        return False
    return not chart.from_traces or shows_data(spec if spec is not None else chart.spec(data))


def chart_figure(name: str, data: ChartData) -> go.Figure | None:
    """The named chart as a validated figure for a page, or None when it has no data."""
    from ._common import figure

    if not CHARTS[name].ready(data):
        return None
    spec = chart_spec(name, data)
    return figure(spec) if has_data(name, data, spec) else None
