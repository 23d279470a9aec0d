"""What an artifact's code cells call, and what builds their stored outputs.

An artifact's first code cell is::

    from supervision_workbook.artifact.replay import Replay
    review = Replay.from_inputs('<chart inputs JSON>', '<settings JSON>')

where the chart inputs are the part of the record that the charts are drawn from, in the
compact layout of ``_chart_inputs`` (ratings, ruptures without their description, theme
intensities, the check-in; no free text, meeting or sign-off). The whole record is in the
notebook's metadata, which a kernel cannot read (it does not know the file's path).

and each chart cell is ``review.show("trajectory")``. :meth:`Replay.show` displays a raw
mimebundle: the figure as ``application/vnd.plotly.v1+json`` (so JupyterLab draws it
interactively from the saved file, without a kernel) and a short ``text/plain`` line.

``to_notebook`` stores, as each cell's output, exactly :meth:`Replay.bundle` of the same
chart, computed by this same code; that is why re-executing an artifact reproduces its
outputs and ``pytest --nbval`` passes on it. Everything here is deterministic: the figure is
plain JSON types (lists, not tuples) and its numbers are already rounded.

Charts are used as the chart package's *specs* (``charts.<name>_spec``: the figure as the
plain JSON that plotly's ``to_plotly_json`` gives for it), never as plotly objects: building
and validating a ``go.Figure`` only to turn it back into JSON cost most of a save. The chart
tests hold every spec equal to its validated figure's JSON.

This module is imported by a kernel when an artifact is re-executed, so it stays light: no
nbformat, no jsonschema, no plotly (only :meth:`Replay.figure` imports it); IPython is
imported only inside :meth:`show`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..charts import CHARTS as _REGISTRY
from ..charts import ChartData, chart_spec, has_data
from ..config import AlertConfig
from ..model import Review

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from ..alerts import Alert
    from ..instruments import Instrument, RatingInstrument, ReflectionInstrument

__all__ = ["CHARTS", "PLOTLY_MIME", "Replay"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"

#: Chart names in the order the artifact shows them (the registry in ``charts``).
CHARTS = tuple(_REGISTRY)

#: Front-end options stored with each figure: no plotly logo, resize with the page.
#: Plotly config stored with every chart. Clinical data must never leave through the chart's
#: own buttons: the "send to Chart Studio / cloud" actions are switched off explicitly rather
#: than trusting a renderer's defaults.
_PLOT_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "modeBarButtonsToRemove": ["sendDataToCloud", "sendChartToCloud", "editInChartStudio"],
}


def _plain(obj: Any) -> Any:
    """JSON types only (tuples become lists), exactly as a kernel message would carry them."""
    return json.loads(json.dumps(obj, allow_nan=False))


class Replay:
    """A review with the instruments and thresholds its artifact was built with."""

    def __init__(
        self, review: Review, instruments: Mapping[str, Instrument], alerts_config: AlertConfig
    ) -> None:
        self.review = review
        self.instruments = dict(instruments)
        self.alerts_config = alerts_config
        self._specs: dict[str, dict[str, Any]] = {}

    @classmethod
    def from_json(cls, record_json: str, settings_json: str) -> Replay:
        """The replay of a stored record and settings block (both JSON text).

        The record is validated by the model like any untrusted input; the settings are
        resolved against the shipped instruments (see ``artifact._settings``).
        """
        from ._settings import resolve

        review = Review.model_validate_json(record_json)
        settings = resolve(json.loads(settings_json), "artifact settings")
        return cls(review, settings.instruments, settings.alerts)

    @classmethod
    def from_inputs(cls, inputs_json: str, settings_json: str) -> Replay:
        """The replay of an artifact's replay cell: its chart inputs (the record without
        free text, meeting and sign-off, in the layout of ``_chart_inputs``) and settings.

        The inputs are turned back into the record's JSON shape and validated by the model
        like any untrusted input; the fields they leave out take their defaults.
        """
        from ._chart_inputs import decode
        from ._settings import resolve

        review = Review.model_validate(decode(json.loads(inputs_json)))
        settings = resolve(json.loads(settings_json), "artifact settings")
        return cls(review, settings.instruments, settings.alerts)

    # --- what the cells show -------------------------------------------------------------
    @cached_property
    def alerts(self) -> list[Alert]:
        """Every alert rule over the sessions (empty when a response cannot be scored; see
        :attr:`alert_problem`)."""
        return self._alerts[0]

    @property
    def alert_problem(self) -> str | None:
        """Why alerts could not be computed, if they could not (a response that does not
        fit its instrument, e.g. written by another version of a workspace instrument)."""
        return self._alerts[1]

    @cached_property
    def _alerts(self) -> tuple[list[Alert], str | None]:
        from ..alerts import case_alerts
        from ..scoring import ScoringError

        try:
            return case_alerts(self.review.sessions, self.instruments, self.alerts_config), None
        except ScoringError as exc:
            return [], str(exc)

    @property
    def reflection_instrument(self) -> ReflectionInstrument | None:
        from ..instruments import reflection_instrument

        return reflection_instrument(self.instruments)

    @property
    def checkin_instrument(self) -> RatingInstrument | None:
        """The rating instrument of the supervision check-in's first response."""
        checkin = self.review.checkin
        if checkin is None:
            return None
        for response in checkin.responses:
            inst = self.instruments.get(response.instrument_id)
            if inst is not None and inst.kind == "rating":
                return inst
        return None

    def figure(self, name: str) -> go.Figure:
        """The named chart (one of :data:`CHARTS`) as a (validated) plotly figure."""
        from ..charts._common import figure

        return figure(self.spec(name))

    def spec(self, name: str) -> dict[str, Any]:
        """The named chart (one of :data:`CHARTS`) as plain JSON (built once; treat it as
        read-only, :meth:`bundle` hands out copies)."""
        if name not in self._specs:
            self._specs[name] = self._build(name)
        return self._specs[name]

    @cached_property
    def chart_data(self) -> ChartData:
        """What the charts are drawn from (see ``charts.ChartData``)."""
        checkin = self.review.checkin
        return ChartData(
            sessions=self.review.sessions,
            instruments=self.instruments,
            alerts=self.alerts,
            divergence_threshold=self.alerts_config.divergence,
            reflection=self.reflection_instrument,
            checkins=[checkin] if checkin is not None else [],
            checkin_instrument=self.checkin_instrument,
        )

    def _build(self, name: str) -> dict[str, Any]:
        return chart_spec(name, self.chart_data)

    def available(self) -> list[str]:
        """The charts this review has data for, in display order (``charts.has_data``)."""
        data = self.chart_data
        return [
            name
            for name in CHARTS
            if _REGISTRY[name].ready(data) and has_data(name, data, self.spec(name))
        ]

    def bundle(self, name: str) -> dict[str, Any]:
        """The raw mimebundle :meth:`show` displays (and ``to_notebook`` stores)."""
        spec = _plain(self.spec(name))
        spec["config"] = dict(_PLOT_CONFIG)
        series = len(spec.get("data", []))
        text = (
            f"{_REGISTRY[name].description}: {series} series (open in JupyterLab to see the chart)"
        )
        return {PLOTLY_MIME: spec, "text/plain": text}

    def show(self, name: str) -> None:
        """Display the named chart in the running kernel (what a chart cell calls)."""
        from IPython.display import display

        display(self.bundle(name), raw=True)
