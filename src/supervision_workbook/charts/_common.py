"""Shared pieces of the charts: colours, the compact template, rounding, escaping, scores.

Okabe-Ito colours stay distinguishable with the common colour-vision deficits; each role
also has its own line dash and marker shape. Numbers are rounded so that stored JSON is
stable, and text is escaped because plotly renders a subset of HTML in labels.

Why plain dicts (and no plotly import here): every chart is first built as a *spec*, the
JSON-safe ``{"data": [...], "layout": {...}}`` that plotly's ``to_plotly_json`` would give
for it. The artifact stores specs as they are, so saving a review never constructs plotly
objects (their per-property validation cost about 40 ms per save) and a kernel that
re-executes an artifact never imports plotly. The public functions wrap a spec in
``go.Figure`` (:func:`figure`), which validates every property; the chart tests hold each
spec equal to the figure's own JSON, so a misspelt property is caught there.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..model import Respondent
from ..scoring import ScoringError, primary, score

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from ..instruments import Instrument, RatingInstrument

Spec = dict[str, Any]
"""A figure as plain JSON types: ``{"data": [trace, ...], "layout": {...}}``."""

#: Okabe-Ito colours.
BLUE, VERMILLION, GREEN, PURPLE = "#0072B2", "#D55E00", "#009E73", "#CC79A7"
ORANGE, SKY, GREY, INK = "#E69F00", "#56B4E9", "#6b6b6b", "#222222"

#: Respondent -> (colour, line dash, marker symbol): two cues besides colour for each role.
STYLE: dict[Respondent, tuple[str, str, str]] = {
    Respondent.client: (BLUE, "solid", "circle"),
    Respondent.therapist: (VERMILLION, "dash", "square"),
    Respondent.supervisor: (GREEN, "solid", "diamond"),
    Respondent.supervisee: (PURPLE, "dot", "triangle-up"),
}

#: How a chart's text alternative names each cue of :data:`STYLE` (so the words a screen
#: reader hears are made from the same table as the lines it describes).
_WORDS = {
    BLUE: "blue",
    VERMILLION: "orange",
    GREEN: "green",
    PURPLE: "purple",
    "solid": "solid",
    "dash": "dashed",
    "dot": "dotted",
    "circle": "circles",
    "square": "squares",
    "diamond": "diamonds",
    "triangle-up": "triangles",
}


def line_words(who: Respondent, *, markers: bool = True) -> str:
    """``solid blue line with circles``: a respondent's line in words, from :data:`STYLE`."""
    colour, dash, symbol = STYLE[who]
    words = f"{_WORDS[dash]} {_WORDS[colour]} line"
    return f"{words} with {_WORDS[symbol]}" if markers else words


def template_spec() -> Spec:
    """The only styling stored with each figure (compare plotly's default template, ~10 kB),
    as plain JSON. A fresh copy on every call: specs are handed out and may be changed.

    Where things sit, so that nothing overlaps at any width or legend length: the title in
    the top-left corner of the figure; the legend, horizontal, along the *bottom of the
    figure* (``yref: "container"``). A legend placed in the plot's own coordinates
    (``y: -0.18``) moves with the plot's height and ran over the x-axis title on short
    charts; one placed above the plot (``y > 1``) runs into the title, because plotly
    grows the top margin for the legend without counting the title. A container legend
    instead *reserves* its own band (plotly shrinks the plot to make room), and the axis
    titles and tick labels push the margins inside what is left, so the order top to bottom
    is always: title, plot, ticks, axis title (``standoff`` below the ticks), legend.

    No ``colorway``: every trace names its own colour (with a dash, marker or pattern beside
    it), so a default palette would only be stored, never used.
    """
    return {
        "layout": {
            "font": {
                "family": "system-ui, 'Segoe UI', Roboto, Arial, sans-serif",
                "size": 13,
                "color": INK,
            },
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "title": {"x": 0, "xanchor": "left", "pad": {"l": 8}},
            "xaxis": {
                "showgrid": False,
                "linecolor": "#888888",
                "ticks": "outside",
                "zeroline": False,
                "automargin": True,
                "title": {"standoff": 10},
            },
            "yaxis": {
                "gridcolor": "#e6e6e6",
                "linecolor": "#888888",
                "zeroline": False,
                "automargin": True,
                "title": {"standoff": 10},
            },
            "hovermode": "closest",
            "margin": {"l": 60, "r": 24, "t": 64, "b": 8},
            "legend": {
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "yref": "container",
                "y": 0,
                "yanchor": "bottom",
                "traceorder": "normal",
            },
        }
    }


def __getattr__(name: str) -> Any:
    """``TEMPLATE``, the template as a plotly object, built (importing plotly) on first use."""
    if name == "TEMPLATE":
        import plotly.graph_objects as go

        value = go.layout.Template(template_spec())
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def figure(spec: Spec) -> go.Figure:
    """A validated plotly figure of ``spec`` (plotly refuses an unknown property)."""
    import plotly.graph_objects as go

    return go.Figure(spec)


def rnd(x: float | None, digits: int = 3) -> float | None:
    """Round for stable, compact JSON (``-0.0`` becomes ``0.0``)."""
    if x is None:
        return None
    value = round(float(x), digits)
    return 0.0 if value == 0 else value


def esc(text: str) -> str:
    """Plain text for plotly's HTML-subset labels: ``<b>`` shows as typed, not bold."""
    return html.escape(str(text), quote=False)


def layout(
    title: str, x_title: str, y_title: str, *, subtitle: str | None = None, **extra: object
) -> dict[str, object]:
    """Every figure has a title and both axis titles, for screen readers and print.

    Axis titles stay short (a rotated y title longer than the plot is tall runs into the
    chart title); what a number means in detail goes in ``subtitle``, a second line under
    the title that every reader sees and that the artifact's text alternative repeats.
    """
    head: dict[str, object] = {"text": esc(title)}
    if subtitle:
        head["subtitle"] = {"text": esc(subtitle)}
    spec: dict[str, object] = {
        "template": template_spec(),
        "title": head,
        "xaxis": {"title": {"text": esc(x_title)}},
        "yaxis": {"title": {"text": esc(y_title)}},
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(spec.get(key), dict):
            spec[key] = {**spec[key], **value}  # type: ignore[dict-item]
        else:
            spec[key] = value
    return spec


def session_ticks(numbers: Sequence[int]) -> dict[str, object]:
    """Whole session numbers on the x axis (no "2.5")."""
    span = (max(numbers) - min(numbers)) if numbers else 0
    return {"tickmode": "linear", "dtick": 1 if span <= 20 else 5, "tick0": 0}


#: Bar fill patterns, so that bars differ by more than colour.
PATTERNS = ("", "/", "x", ".", "-", "+")


def rating_instrument(
    instruments: Mapping[str, Instrument], instrument_id: str
) -> RatingInstrument | None:
    inst = instruments.get(instrument_id)
    return inst if inst is not None and inst.kind == "rating" else None


def subscale_for(inst: RatingInstrument, wanted: str) -> str | None:
    """``wanted`` as one of the instrument's subscales: by id, or by shared dimension."""
    if wanted in inst.subscale_labels:
        return wanted
    return next((sub for sub, dim in inst.dimensions.items() if dim == wanted), None)


def primary_value(
    inst: RatingInstrument, answers: Sequence[float | None], subscale: str | None
) -> float | None:
    """The primary statistic of the total (or of one subscale); None when unscorable."""
    try:
        result = score(inst, answers)
        if subscale is None:
            return rnd(primary(inst, result.total))
        sub = subscale_for(inst, subscale)
        if sub is None or sub not in result.subscales:
            return None
        return rnd(primary(inst, result.subscales[sub]))
    except ScoringError:
        return None


def respondent_trace(
    who: Respondent,
    name: str,
    x: list[object],
    y: list[float | None],
    hovertemplate: str,
    customdata: list[object] | None = None,
) -> Spec:
    """A line of one respondent's scores, styled by :data:`STYLE`.

    The hover label is one ``hovertemplate`` for the whole trace (``%{fullData.name}`` is
    the trace's already escaped name), not a string per point: a 20-session line repeated
    its name in every label. Per-point values that the axes do not carry (the session's
    date) go in ``customdata``.
    """
    colour, dash, symbol = STYLE[who]
    trace: Spec = {
        "type": "scatter",
        "x": x,
        "y": y,
        "name": esc(name),
        "mode": "lines+markers",
        "line": {"color": colour, "dash": dash, "width": 2},
        "marker": {"color": colour, "symbol": symbol, "size": 9},
        "hovertemplate": hovertemplate,
    }
    if customdata is not None:
        trace["customdata"] = customdata
    return trace
