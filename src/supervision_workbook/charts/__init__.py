"""Charts: pure functions from records to ``plotly.graph_objects.Figure``.

Why these rules:

* ``go.Figure`` only, never ``FigureWidget``: the widget ships a 5 MB front-end bundle per
  figure, while a plain figure is a few kilobytes of JSON that the ui displays and the
  artifact stores as a static output (JupyterLab shows it interactively without a kernel).
* A small explicit template (:data:`TEMPLATE`) instead of plotly's default, which would add
  about 10 kB of styling to every stored figure.
* Deterministic JSON: every number is rounded (:func:`_r`) and built from lists in record
  order, so re-running an artifact reproduces byte-identical outputs (nbval compares them).
* Client and therapist (and supervisor and supervisee) differ by colour *and* by line dash
  and marker shape, so the binocular view survives colour-blindness and greyscale printing
  (Okabe-Ito palette).
* Every text that reaches a figure is HTML-escaped (:func:`_esc`): plotly renders a subset
  of HTML in titles, legends and hover labels, and names come from instrument files or from
  people.

Every chart has two functions: ``<name>_spec`` builds the figure as plain JSON
(``{"data": [...], "layout": {...}}``, exactly what plotly's ``to_plotly_json`` gives for
it), and ``<name>`` wraps that in a validated ``go.Figure`` for the ui. The artifact stores
specs directly, so saving a review never builds plotly objects, and nothing in this package
imports plotly until a ``go.Figure`` (or :data:`TEMPLATE`) is asked for.

Scores come from :mod:`supervision_workbook.scoring` and alerts from
:mod:`supervision_workbook.alerts`; this package only draws them. Modules: ``_common``
(style, template, rounding, escaping), ``_trajectory``, ``_sessions`` (themes, divergence,
check-in), ``_caseload`` (caseload, hours) and ``_registry`` (which charts a case has,
and when each has data: one table for the artifact and the pages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._caseload import (
    CaseloadRowLike,
    caseload_overview,
    caseload_overview_spec,
    hours_progress,
    hours_progress_spec,
)
from ._common import STYLE, Spec, line_words, template_spec
from ._hours import hours_by_format, hours_by_format_spec, hours_rules, hours_rules_spec  # noqa: F401
from ._registry import CHARTS, Chart, ChartData, chart_figure, chart_spec, has_data, shows_data
from ._sessions import (
    checkin_trend,
    checkin_trend_spec,
    divergence,
    divergence_spec,
    theme_heatmap,
    theme_heatmap_spec,
)
from ._trajectory import RUPTURE_SYMBOL, alliance_trajectory, alliance_trajectory_spec

if TYPE_CHECKING:
    from ._common import TEMPLATE

__all__ = [
    "CHARTS",
    "RUPTURE_SYMBOL",
    "STYLE",
    "TEMPLATE",
    "CaseloadRowLike",
    "Chart",
    "ChartData",
    "Spec",
    "alliance_trajectory",
    "alliance_trajectory_spec",
    "caseload_overview",
    "caseload_overview_spec",
    "chart_figure",
    "chart_spec",
    "checkin_trend",
    "checkin_trend_spec",
    "divergence",
    "divergence_spec",
    "has_data",
    "hours_progress",
    "hours_progress_spec",
    "line_words",
    "shows_data",
    "template_spec",
    "theme_heatmap",
    "theme_heatmap_spec",
]


def __getattr__(name: str) -> Any:
    """``TEMPLATE`` (a plotly object) is built on first use, so importing the charts does
    not import plotly."""
    if name == "TEMPLATE":
        from . import _common

        return _common.TEMPLATE
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
