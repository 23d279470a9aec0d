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

Scores come from :mod:`supervision_workbook.scoring` and alerts from
:mod:`supervision_workbook.alerts`; this package only draws them. Modules: ``_common``
(style, template, rounding, escaping), ``_trajectory``, ``_sessions`` (themes, divergence,
check-in) and ``_caseload`` (caseload, hours).
"""

from ._caseload import CaseloadRowLike, caseload_overview, hours_progress
from ._common import STYLE, TEMPLATE
from ._sessions import checkin_trend, divergence, theme_heatmap
from ._trajectory import RUPTURE_SYMBOL, alliance_trajectory

__all__ = [
    "RUPTURE_SYMBOL",
    "STYLE",
    "TEMPLATE",
    "CaseloadRowLike",
    "alliance_trajectory",
    "caseload_overview",
    "checkin_trend",
    "divergence",
    "hours_progress",
    "theme_heatmap",
]
