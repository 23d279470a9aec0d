"""A chart on the page: a plain plotly ``go.Figure`` that is redrawn when its data changes.

How figures reach the page, and why (measured on this stack: Voila 0.5.13, plotly 7.1.0,
headless Chromium, one small line chart):

* Voila loads every installed JupyterLab extension on every page, so plotly's own renderer
  extension (``jupyterlab-plotly``, a 4.8 MB bundle of plotly.js) is downloaded with each
  page whether or not a chart is shown (10.2 MB for a page with one label; 35 kB on a
  reload with a warm browser cache). Displaying a figure as the mimetype
  ``application/vnd.plotly.v1+json`` uses that renderer: the figure costs only its JSON,
  23 kB of websocket traffic for the whole page against 14 kB for a page without a chart.
* ``fig.to_html(include_plotlyjs=True)`` inside an ``Output`` also renders, but sends the
  4.6 MB plotly.js again through the websocket with every draw (6.6 MB for one chart).
* ``include_plotlyjs="cdn"`` did not render in the measurement (no internet in the test
  machine), which is the point: it makes every page depend on a third-party server.
* ``FigureWidget`` is ruled out: a 5 MB widget bundle per figure and widget state that
  would bloat anything saved.

So the panel writes the figure's JSON as a display output into an ``ipywidgets.Output``
(by setting ``outputs`` directly, which works from any callback, inside or outside a cell
execution, and in tests without a kernel), plus a ``text/plain`` fallback, and plotly's
``config`` (:data:`PLOT_CONFIG`, the one definition the artifact layer stores with saved
charts too): no logo, and no button that offers to send the data to Chart Studio or any
other cloud service, set explicitly rather than trusting a renderer's defaults.

The drawn height is the style sheet's (``widgets/workbook.css``, rule under
``.swb-chart-output``), not the figure's: the notebook renderer's first resize, right
after it draws, deletes the layout's ``height``, and under the ``responsive`` config plotly
then sizes its container at ``height: 100%`` of a plot div that has no height of its own:
0 px, a blank chart on every page load until a filter or window change redrew it. The rule
sizes that container by its first SVG layer (always sized in pixels) instead; the browser
tests measure the drawn height (``tests/fixtures/charts.py``).

Redraws are throttled (:class:`timers.Throttle`): the first change draws at once, and
changes arriving within :data:`REDRAW_WINDOW` of a draw are coalesced into one trailing
draw of the final state, because a keyboard user moving through a radio group changes the
value at every arrow key. (A fixed 0.3 s trailing debounce made the median time from a
rating change to the redrawn chart 426 ms in Chromium; see docs/PERFORMANCE.md.)

``charts`` (and with it plotly) is imported by the caller's ``build`` function, not here, so
the kernel pays for plotly only when a chart is first drawn.

The heading: every figure from ``charts`` carries its own title, so a visible heading above
it would say nearly the same thing twice. ``heading=False`` keeps the heading for screen
readers only (visually hidden, still in the page's outline), and the panel's ``title`` is
also the figure's plain-text alternative; use a visible heading where the figure has none
(the caseload strips its figures' titles and keeps the panel's).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.artifact.replay import _PLOT_CONFIG as PLOT_CONFIG
from supervision_workbook.ui.components.text import Notice, escape
from supervision_workbook.ui.components.timers import Scheduler, Throttle, call_later

if TYPE_CHECKING:
    import plotly.graph_objects as go

log = logging.getLogger(__name__)

PLOTLY_MIME = "application/vnd.plotly.v1+json"
REDRAW_WINDOW = 0.15
"""Seconds after a draw during which further changes wait and are drawn together."""

__all__ = ["PLOTLY_MIME", "PLOT_CONFIG", "REDRAW_WINDOW", "ChartPanel", "figure_output"]


def figure_output(fig: go.Figure, alt_text: str) -> dict[str, object]:
    """The display-data output for ``fig``: plotly JSON (with :data:`PLOT_CONFIG`) plus a
    plain-text fallback."""
    data = json.loads(fig.to_json(validate=False))
    data["config"] = json.loads(json.dumps(PLOT_CONFIG))  # a copy: never share the lists
    return {
        "output_type": "display_data",
        "data": {PLOTLY_MIME: data, "text/plain": alt_text},
        "metadata": {},
    }


class ChartPanel(widgets.VBox):
    """A titled chart that rebuilds itself from ``build()`` on :meth:`refresh`.

    ``build`` returns a figure, or None when there is nothing to draw yet (then
    ``empty_text`` is shown). ``describe`` optionally returns a plain-text summary shown
    under the chart for people who cannot see it. ``heading=False`` hides the heading
    visually but keeps it for screen readers (see the module doc). :meth:`request_refresh`
    throttles (draws now, coalesces a burst), :meth:`refresh` draws now. Drawing errors
    are shown in words, not raised.
    """

    def __init__(
        self,
        build: Callable[[], go.Figure | None],
        *,
        title: str,
        empty_text: str = "Nothing to show yet.",
        describe: Callable[[], str] | None = None,
        height: str = "420px",
        delay: float = REDRAW_WINDOW,
        scheduler: Scheduler = call_later,
        heading: bool = True,
    ) -> None:
        self.build = build
        self.describe = describe
        self.title = title
        self.heading = widgets.HTML(f"<h3 class='swb-chart-title'>{escape(title)}</h3>")
        self.heading.add_class("swb-chart-heading")
        if not heading:  # out of sight and out of the layout, still read out
            self.heading.add_class("swb-sr-only")
        self.empty_text = empty_text
        self.draws = 0
        self.output = widgets.Output(layout=widgets.Layout(width="100%", min_height=height))
        self.output.add_class("swb-chart-output")
        self.summary = widgets.HTML().add_class("swb-chart-summary")
        self.problem = Notice(testid="swb-chart-problem")
        self._throttle = Throttle(delay, self._draw, scheduler=scheduler)
        super().__init__(
            [
                self.heading,
                self.output,
                self.summary,
                self.problem,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.add_class("swb-chart-panel")

    def request_refresh(self) -> None:
        """The data changed: draw now, or once at the end of the current window."""
        self._throttle.trigger()

    def refresh(self) -> None:
        """Draw now (a pending throttled draw is then no longer needed)."""
        self._throttle.cancel()
        self._draw()

    def _draw(self) -> None:
        try:
            fig = self.build()
            outputs = () if fig is None else (figure_output(fig, self.title),)
            summary = self.describe() if self.describe is not None else ""
        except Exception as exc:
            log.warning("chart %r could not be drawn: %s", self.title, exc)
            self.problem.show("error", f"The chart could not be drawn: {exc}")
            return
        self.problem.clear()
        if not outputs:
            self.output.outputs = ()
            self.summary.value = f"<p class='swb-muted'>{escape(self.empty_text)}</p>"
            return
        self.output.outputs = outputs
        self.summary.value = f"<p class='swb-chart-text'>{escape(summary)}</p>" if summary else ""
        self.draws += 1

    @property
    def figure_json(self) -> dict[str, object] | None:
        """The plotly JSON currently shown (None when empty)."""
        if not self.output.outputs:
            return None
        return self.output.outputs[0]["data"][PLOTLY_MIME]
