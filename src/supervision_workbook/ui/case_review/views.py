"""The read-only views of a case in the case review: snapshot, charts, flags, ruptures.

Everything here shows the case as recorded; nothing here is edited. The trainee's
sessions come in through :meth:`CaseViews.show_case`; the HTML fragments are built (and
escaped) by :mod:`.review_html`, the charts by :mod:`charts` through ``ChartPanel`` (plain
``go.Figure`` JSON, never a FigureWidget).

Why charts are drawn when their step is entered rather than when the case opens: plotly
figures cost the kernel tens of milliseconds each and the meeting may never reach a step;
a case's sessions do not change during the meeting, so each chart is drawn once per case,
except the trajectory (redrawn when another subscale is chosen) and the check-in trend
(redrawn as the two check-in forms are filled in).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from supervision_workbook.model import Case, Respondent, SupervisionCheckin, Trainee
from supervision_workbook.ui.components.chart_panel import ChartPanel
from supervision_workbook.ui.components.saving import Scheduler, call_later
from supervision_workbook.ui.components.text import escape, stacked
from supervision_workbook.ui.render import review_html, review_tables

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from supervision_workbook.alerts import Alert, Flag
    from supervision_workbook.instruments import (
        RatingInstrument,
    )
    from supervision_workbook.model import SessionEntry
    from supervision_workbook.store import Workspace

log = logging.getLogger(__name__)

_CHOOSE = "Choose a trainee and a case to see it here."


class CaseViews:
    """The snapshot (step 1), binocular view (2), ruptures (3), themes and reflections (4)
    and the check-in trend (5) of the case that is open."""

    def __init__(self, workspace: Workspace, *, scheduler: Scheduler = call_later) -> None:
        from supervision_workbook.instruments import (
            RatingInstrument,
            reflection_instrument,
            rupture_log_instrument,
        )

        self.ws = workspace
        self.config = workspace.config
        self.instruments = workspace.instruments
        self.rupture_instrument = rupture_log_instrument(self.instruments)
        self.reflection_instrument = reflection_instrument(self.instruments)
        self.supervision_instrument: RatingInstrument = self.instruments[
            self.config.supervision_instrument
        ]  # type: ignore[assignment] - checked by the workbook
        self.sessions: list[SessionEntry] = []
        self.alerts: list[Alert] = []  # the session alerts, for the chart markers
        #: Every flag with its status (``alerts.case_flags``, the dashboard's rule).
        self.case_flags: list[Flag] = []
        self.reviewed_through: int | None = None
        self.flag_text = ""
        self.trainee_id: str | None = None
        self.review_id: str | None = None
        self.current_checkin: SupervisionCheckin | None = None
        self._checkins: tuple[str, list[SupervisionCheckin]] | None = None
        self._stale: set[str] = set()

        self.snapshot = widgets.HTML().add_class("swb-cr-snapshot")
        self.previous = widgets.HTML().add_class("swb-cr-previous-reviews")
        self.subscale = stacked(
            widgets.Dropdown(
                options=self._subscale_options(RatingInstrument),
                value="",
                description="Alliance scale shown in the trajectory",
            )
        ).add_class("swb-cr-subscale")
        self.trajectory = ChartPanel(
            self._trajectory,
            title="Both views of the alliance",
            empty_text="No alliance ratings recorded in this case yet.",
            describe=self._trajectory_text,
            scheduler=scheduler,
            heading=False,
        ).add_class("swb-cr-trajectory")
        self.divergence = ChartPanel(
            self._divergence,
            title="Where the two views differ",
            empty_text="No session has comparable client and therapist ratings.",
            describe=lambda: (
                "Bars above zero: the therapist rated that dimension higher than the "
                f"client. Dotted line: the alert threshold (+{self.config.alerts.divergence:g})."
            ),
            height="360px",
            scheduler=scheduler,
            heading=False,
        ).add_class("swb-cr-divergence")
        self.flags = widgets.HTML().add_class("swb-cr-flag-list")
        self.ruptures = widgets.HTML().add_class("swb-cr-ruptures")
        self.themes = ChartPanel(
            self._themes,
            title="Themes across sessions",
            empty_text="No countertransference reflection recorded in this case yet.",
            describe=lambda: (
                "Darker cells: stronger intensity; each cell shows its number. "
                "Blank cells: not rated in that session."
            ),
            height="360px",
            scheduler=scheduler,
            heading=False,
        ).add_class("swb-cr-themes-chart")
        self.reflections = widgets.HTML().add_class("swb-cr-reflection-list")
        self.checkin_chart = ChartPanel(
            self._checkin_trend,
            title="The supervisory alliance over time",
            empty_text="No supervision check-in yet: the trend appears once one is complete.",
            describe=self._checkin_text,
            height="360px",
            scheduler=scheduler,
            heading=False,
        ).add_class("swb-cr-checkin-chart")
        self.subscale.observe(lambda _c: self.trajectory.request_refresh(), names="value")
        self.clear()

    def _subscale_options(self, rating: type) -> list[tuple[str, str]]:
        options = [("Total (all items)", "")]
        for inst_id in (self.config.client_instrument, self.config.therapist_instrument):
            inst = self.instruments.get(inst_id)
            if not isinstance(inst, rating):
                continue
            for dim in inst.dimensions.values():
                if all(value != dim for _label, value in options):
                    options.append((dim.capitalize(), dim))
        return options

    # --- parts of steps ----------------------------------------------------------------------
    def binocular_parts(self) -> list[widgets.Widget]:
        return [
            self.subscale,
            self.trajectory,
            self.divergence,
            widgets.HTML("<h3 class='swb-form-title'>Every flag, with its reason</h3>"),
            self.flags,
        ]

    def reflection_parts(self) -> list[widgets.Widget]:
        return [
            self.themes,
            widgets.HTML("<h3 class='swb-form-title'>The trainee's reflections</h3>"),
            self.reflections,
        ]

    # --- showing a case ----------------------------------------------------------------------
    def clear(self) -> None:
        self.sessions, self.alerts, self.reviewed_through = [], [], None
        self.case_flags = []
        self.flag_text = ""
        self.current_checkin = None
        empty = f"<p class='swb-muted'>{escape(_CHOOSE)}</p>"
        for view in (self.snapshot, self.flags, self.ruptures, self.reflections):
            view.value = empty
        self.previous.value = ""
        for panel in (self.trajectory, self.divergence, self.themes, self.checkin_chart):
            panel.output.outputs = ()
            panel.summary.value = ""
        self._stale = {"binocular", "reflection"}

    def show_case(
        self,
        trainee_id: str,
        case_id: str,
        sessions: Sequence[SessionEntry],
        people: tuple[Trainee, Case] | None,
        review_id: str | None,
    ) -> None:
        """Show a case's records; charts are drawn when their step is entered."""
        from supervision_workbook.alerts import STATE_RULES, case_flags
        from supervision_workbook.ui.case_review.data import caseload_row, previous_case_reviews

        self.clear()
        if self.trainee_id != trainee_id:
            self._checkins = None
        self.trainee_id, self.review_id = trainee_id, review_id
        self.sessions = sorted(sessions, key=lambda s: s.number)
        problems = []
        try:
            row = caseload_row(self.ws, trainee_id, case_id)
            previous = [
                r
                for r in previous_case_reviews(self.ws, trainee_id, case_id)
                if r.review_id != review_id
            ]
            workbooks = self.ws.index.reviews(
                trainee_id=trainee_id, case_id=case_id, kind="session"
            )
        except Exception as exc:
            row, previous, workbooks = None, [], []
            problems.append(f"The workspace index could not be read: {exc}")
        self.reviewed_through = row.reviewed_through if row is not None else None
        try:
            self.case_flags = case_flags(
                self.sessions,
                self.instruments,
                self.config.alerts,
                reviewed_through=self.reviewed_through,
            )
        except Exception as exc:  # a case's bad data must not hide the rest of the review
            log.exception("alert rules failed on a case")
            problems.append(f"The alert rules could not run on this case: {exc}")
        self.alerts = [f.alert for f in self.case_flags if f.alert.rule not in STATE_RULES]
        self.flag_text = review_html.open_flag_text(self.case_flags, self.reviewed_through)
        if people is None:
            self.snapshot.value = "<p class='swb-muted'>This case has no readable records yet.</p>"
        else:
            trainee, case = people
            rows = review_html.snapshot_rows(
                trainee, case.code, case.opened, self.sessions, self.instruments, self.flag_text
            )
            self.snapshot.value = review_html.snapshot_html(rows)
        self.previous.value = review_html.previous_reviews_html(previous, workbooks)
        flags = review_html.flags_html(self.case_flags, self.sessions)
        if problems:
            flags = (
                "".join(f"<p class='swb-notice swb-notice-error'>{escape(p)}</p>" for p in problems)
                + flags
            )
        self.flags.value = flags
        self.ruptures.value = review_tables.ruptures_html(self.sessions, self.rupture_instrument)
        self.reflections.value = review_tables.reflections_html(
            self.sessions, self.reflection_instrument
        )

    # --- step hooks --------------------------------------------------------------------------
    def binocular_entered(self) -> None:
        if "binocular" in self._stale or self.trajectory.draws == 0:
            self.trajectory.refresh()
            self.divergence.refresh()
            self._stale.discard("binocular")

    def reflection_entered(self) -> None:
        if "reflection" in self._stale:
            self.themes.refresh()
            self._stale.discard("reflection")

    def checkin_entered(self, current: SupervisionCheckin | None) -> None:
        self.current_checkin = current
        self.checkin_chart.refresh()

    def checkin_changed(self, current: SupervisionCheckin | None) -> None:
        self.current_checkin = current
        self.checkin_chart.request_refresh()

    # --- chart builders ------------------------------------------------------------------------
    def _chart(self, name: str, **inputs: Any) -> go.Figure | None:
        """The named chart of the open case, drawn when the registry says it has data
        (``charts.CHARTS``: the same rule decides what the signed artifact stores)."""
        from supervision_workbook.charts import ChartData, chart_figure

        data = ChartData(
            sessions=self.sessions,
            instruments=self.instruments,
            alerts=self.alerts,
            divergence_threshold=self.config.alerts.divergence,
            reflection=self.reflection_instrument,
            **inputs,
        )
        return chart_figure(name, data)

    def _trajectory(self) -> go.Figure | None:
        return self._chart("trajectory", subscale=self.subscale.value or None)

    def _trajectory_text(self) -> str:
        from supervision_workbook.charts import line_words

        scope = self.subscale.label or "Total"
        n = len(self.sessions)
        return (
            f"{n} session{'s' if n != 1 else ''}, scale shown: {scope}. "
            f"Client: {line_words(Respondent.client)}; "
            f"therapist: {line_words(Respondent.therapist)}. An x above a "
            "session marks its flags (their reasons are listed in full below); markers "
            "along the bottom are ruptures, filled when repaired and open when not."
        )

    def _divergence(self) -> go.Figure | None:
        return self._chart("divergence")

    def _themes(self) -> go.Figure | None:
        return self._chart("themes")

    def earlier_checkins(self) -> list[SupervisionCheckin]:
        """This trainee's check-ins from saved case reviews (read once per trainee)."""
        from supervision_workbook.ui.case_review.data import trainee_checkins

        if self.trainee_id is None:
            return []
        if self._checkins is None or self._checkins[0] != self.trainee_id:
            found, problems = trainee_checkins(
                self.ws, self.trainee_id, exclude_review_id=self.review_id
            )
            for problem in problems:
                log.warning("%s", problem)
            self._checkins = (self.trainee_id, found)
        return self._checkins[1]

    def _checkins_shown(self) -> list[SupervisionCheckin]:
        shown = list(self.earlier_checkins())
        if self.current_checkin is not None and self.current_checkin.responses:
            shown.append(self.current_checkin)
        return shown

    def _checkin_trend(self) -> go.Figure | None:
        return self._chart(
            "checkin",
            checkins=self._checkins_shown(),
            checkin_instrument=self.supervision_instrument,
        )

    def _checkin_text(self) -> str:
        earlier = len(self.earlier_checkins())
        text = (
            f"{earlier} earlier check-in{'s' if earlier != 1 else ''} of this trainee"
            if earlier
            else "No earlier check-in of this trainee"
        )
        if self.current_checkin is not None and self.current_checkin.responses:
            text += f", and today's ({self.current_checkin.date.isoformat()})"
        from supervision_workbook.charts import line_words

        return (
            f"{text}. Supervisor: {line_words(Respondent.supervisor, markers=False)}; "
            f"supervisee: {line_words(Respondent.supervisee, markers=False)}."
        )
