"""Hours against the programme's rules, and supervision hours by format (pure specs).

Inputs are duck-typed (``supervision_workbook.hours.RuleStatus`` and
``Ledger.minutes_by_format()``), so the charts layer does not import the hours package.
Each bar's text states the status and the numbers, and "behind" also has a hatch pattern,
so nothing depends on colour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

from ._common import BLUE, GREEN, GREY, INK, ORANGE, VERMILLION, Spec, esc, figure, layout, rnd

if TYPE_CHECKING:
    import plotly.graph_objects as go

_FORMAT_LABELS = {
    "individual": "Individual",
    "triadic": "Triadic",
    "group": "Group",
    "live_observation": "Live observation",
    "recording_review": "Review of a recording",
}
_STATUS_STYLE = {  # colour, hatch
    "met": (GREEN, ""),
    "on_track": (BLUE, ""),
    "behind": (VERMILLION, "x"),
    "not_met": (GREY, "."),
}


class RuleStatusLike(Protocol):
    name: str
    status: str
    actual: float
    target: float
    unit: str
    expected: float | None

    @property
    def label(self) -> str: ...


def hours_rules(statuses: Iterable[RuleStatusLike]) -> go.Figure:
    """Each rule's progress in percent of its target; see :func:`hours_rules_spec`."""
    return figure(hours_rules_spec(statuses))


def hours_rules_spec(statuses: Iterable[RuleStatusLike]) -> Spec:
    """One horizontal bar per rule: what has been done, in percent of the rule's target
    (capped at 100 for the bar; the text gives the real numbers), with a diamond where the
    straight-line pace expects the trainee to be today when the programme has dates. A rule
    with nothing to count yet (a weekly rule before its first week ends) draws no bar."""
    rows = list(statuses)
    names = [esc(r.name) for r in rows]
    share = [rnd(min(100.0, 100 * r.actual / r.target) if r.target else 0.0, 1) for r in rows]
    texts = [esc(f"{r.label}: {r.actual:g} of {r.target:g} {r.unit}") for r in rows]
    traces: list[Spec] = []
    for status, (colour, hatch) in _STATUS_STYLE.items():
        picked = [i for i, r in enumerate(rows) if r.status == status]
        if not picked:
            continue
        marker: Spec = {"color": colour}
        if hatch:
            marker["pattern"] = {"shape": hatch}
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "x": [share[i] for i in picked],
                "y": [names[i] for i in picked],
                "name": esc(rows[picked[0]].label),
                "marker": marker,
                "text": [texts[i] for i in picked],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertext": [texts[i] for i in picked],
                "hoverinfo": "text",
            }
        )
    paced = [(i, r) for i, r in enumerate(rows) if r.expected is not None and r.target]
    if paced:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [rnd(min(100.0, 100 * r.expected / r.target), 1) for _, r in paced],
                "y": [names[i] for i, _ in paced],
                "name": "Expected by today (straight-line pace)",
                "marker": {"color": INK, "symbol": "diamond", "size": 10},
                "hoverinfo": "skip",
            }
        )
    return {
        "data": traces,
        "layout": layout(
            "Hours rules",
            "Percent of the rule's target",
            "Rule",
            barmode="overlay",
            xaxis={"range": [0, 135], "ticksuffix": "%"},
            yaxis={"autorange": "reversed", "type": "category", "categoryarray": names},
            height=max(280, 120 + 34 * len(rows)),
        ),
    }


def hours_by_format(minutes: Mapping[str, Mapping[str, int]]) -> go.Figure:
    """Supervision hours per format, in person and by video; see
    :func:`hours_by_format_spec`."""
    return figure(hours_by_format_spec(minutes))


def hours_by_format_spec(minutes: Mapping[str, Mapping[str, int]]) -> Spec:
    """Stacked bars per supervision format: in person, then by video (hatched)."""
    formats = list(minutes)
    labels = [esc(_FORMAT_LABELS.get(f, f)) for f in formats]
    traces: list[Spec] = []
    for modality, name, colour, hatch in (
        ("in_person", "In person", BLUE, ""),
        ("video", "By video", ORANGE, "/"),
    ):
        hours = [rnd(minutes[f].get(modality, 0) / 60, 2) for f in formats]
        marker: Spec = {"color": colour}
        if hatch:
            marker["pattern"] = {"shape": hatch}
        traces.append(
            {
                "type": "bar",
                "x": labels,
                "y": hours,
                "name": name,
                "marker": marker,
                "hovertext": [f"{name}: {h:g} h" for h in hours],
                "hoverinfo": "text",
            }
        )
    return {
        "data": traces,
        "layout": layout("Supervision hours by format", "Format", "Hours", barmode="stack"),
    }
