"""The session workbook's chart and its last step: what is drawn, said and summarised.

A mixin of :class:`~supervision_workbook.ui.supervisee.workbook.SuperviseeWorkbook`. The
chart shows the case's recorded sessions plus this one (which replaces a recorded one of its
number), with the alerts that ``alerts.case_alerts`` finds on them; the last step shows the
summary, what was entered (``render.session_html``) and the alerts. The chart is redrawn
only when its step is on screen, since a plotly figure costs the kernel tens of ms.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from supervision_workbook.ui.render.session_html import entered_html, sessions_with, trajectory_text

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from supervision_workbook.alerts import Alert
    from supervision_workbook.model import SessionEntry

CHART_STEPS = (1, 4)
"""Steps (0-based) that show the trajectory: the alliance step and the review step."""


class SessionReviewing:
    """The chart and the review step of the session workbook."""

    def _shown_data_changed(self) -> None:
        """Ratings and ruptures are on the chart: redraw it if it is on screen."""
        self._changed()
        if not self._loading and self.flow.index in CHART_STEPS:
            self.chart.request_refresh()
            self._chart_stale = False

    def _chart_step_entered(self) -> None:
        if self._chart_stale or self.chart.draws == 0:
            self.chart.refresh()
            self._chart_stale = False
        self.warn(self.context.history.problems)  # reading files for the chart may fail

    # --- the chart and the review step ----------------------------------------------------
    def chart_sessions(self) -> list[SessionEntry]:
        """The recorded sessions plus this one (which replaces a recorded one of its number)."""
        try:
            current = self.session_entry()
        except ValueError:
            current = None
        return sessions_with(self.context.history.sessions, current)

    def current_alerts(self) -> list[Alert]:
        from supervision_workbook.alerts import case_alerts

        return case_alerts(self.chart_sessions(), self.instruments, self.config.alerts)

    def _trajectory(self) -> go.Figure | None:
        from supervision_workbook.charts import ChartData, chart_figure

        data = ChartData(self.chart_sessions(), self.instruments, self.current_alerts())
        return chart_figure("trajectory", data)

    def _trajectory_text(self) -> str:
        return trajectory_text(
            len(self.chart_sessions()),
            self.basics.number.value,
            [
                (form.instrument, form.answers, who)
                for form, who in ((self.client_form, "client"), (self.therapist_form, "you"))
            ],
        )

    def _review_entered(self) -> None:
        self._chart_step_entered()
        self.review_step.show(
            self._summary_rows(),
            self.bring.value,
            self.current_alerts,
            self.basics.number.value,
            self.warnings.summary(),
            entered_html(
                self._entered_session(), self.rupture_instrument, self.reflection_instrument
            ),
        )

    def _entered_session(self) -> SessionEntry | None:
        try:
            return self.session_entry()
        except ValueError:  # no date yet
            return None

    def _summary_rows(self) -> list[tuple[str, str]]:
        day = self.basics.date.value
        rows = [
            ("Trainee", self.context.trainee_name or "not chosen"),
            ("Case", self.context.code or "not chosen"),
            ("Session", str(self.basics.number.value)),
            ("Date", day.isoformat() if isinstance(day, date) else "not set"),
        ]
        return rows + self.parts.summary_rows(self.config.alerts.theme_strong_at)
