"""The caseload dashboard: every trainee and case at a glance, for a training program.

What it shows comes from the store's index (``Index.caseload()`` and
``Index.supervision_minutes()``), where the rules behind each figure live. This view only
filters, formats (``render.caseload_table``) and links; it computes no score.

The page entry (``app``, in the package) reads the workspace only once the request arrived
(see :func:`~supervision_workbook.ui.components.shell.run_page`).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook import charts, formatting
from supervision_workbook.config import WorkspaceConfig
from supervision_workbook.ui.components.banner import banner_parts
from supervision_workbook.ui.components.chart_panel import ChartPanel
from supervision_workbook.ui.components.files import Download, FilePayload
from supervision_workbook.ui.components.page import CaseloadStyleSheet, StyleSheet
from supervision_workbook.ui.components.shell import log_unexpected
from supervision_workbook.ui.components.text import Notice
from supervision_workbook.ui.render.caseload_table import (
    ALL,
    ANY_FLAG,
    FIRST_VIEW,
    attention_first,
    filter_rows,
    hours_html,
    rows_to_csv,
    table_html,
)

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from supervision_workbook.store import CaseloadRow, MinutesRow, Workspace
    from supervision_workbook.ui.handover.receive import CaseKeys
    from supervision_workbook.ui.handover.submit import ExchangeFactory


class _ChartRow:
    """Adapts ``store.CaseloadRow`` to the names ``charts.CaseloadRowLike`` reads."""

    __slots__ = ("_row",)

    def __init__(self, row: CaseloadRow) -> None:
        self._row = row

    def __getattr__(self, name: str) -> object:
        return getattr(self._row, name)

    @property
    def trainee(self) -> str:
        return self._row.trainee_name

    @property
    def flags(self) -> int:
        return self._row.flag_count


def _header_html(workspace_name: str, config: WorkspaceConfig) -> str:
    required = config.hours.required_minutes
    return (
        f'<h1 class="swb-title">Caseload</h1><div class="swb-muted">Workspace '
        f"<strong>{html.escape(workspace_name)}</strong>. Supervision requirement: "
        f"{html.escape(formatting.minutes(required))} ({required} min) per trainee; "
        f"group minutes count × {config.hours.group_weight:g}.</div>"
    )


def _untitled(figure: go.Figure) -> go.Figure:
    """The panel's heading names the chart; a second title inside the plot would repeat it."""
    return figure.update_layout(title=None, margin={"t": 24})


class CaseloadDashboard:
    """State and widgets of one dashboard page. Rows are loaded once per page, and again
    after trainees' work is brought in.

    With a ``workspace``, the page also offers to bring work in (``receive.ReceivePanel``):
    "Collect submissions" where a hub's exchange folder is configured, and "Upload a
    trainee's workbook" everywhere, through the same exchange path as the case review; the
    table, the hours and the charts are then read again from the workspace's index.
    ``exchange`` and ``collect`` are for tests, as in the case review.
    """

    def __init__(
        self,
        rows: Sequence[CaseloadRow],
        minutes_rows: Sequence[MinutesRow],
        config: WorkspaceConfig,
        workspace_name: str,
        initial: dict[str, str] | None = None,
        problems: str = "",
        *,
        workspace: Workspace | None = None,
        exchange: ExchangeFactory | None = None,
        collect: bool | None = None,
    ) -> None:
        self.workspace = workspace
        self._quiet = False
        self.rows = list(rows)
        self.minutes_rows = list(minutes_rows)
        self.config = config
        initial = initial or {}
        trainees = sorted(
            {(r.trainee_name, r.trainee_id) for r in self.rows},
            key=lambda t: (t[0].casefold(), t[1]),
        )
        rules = sorted({rule for r in self.rows for rule in r.flag_rules})
        trainee_ids = {tid for _, tid in trainees}
        self.trainee = widgets.Dropdown(
            options=[("All trainees", ALL), *trainees],
            value=initial.get("trainee") if initial.get("trainee") in trainee_ids else ALL,
            description="Trainee",
        )
        self.rule = widgets.Dropdown(
            options=[("All cases", ALL), ("Any open flag", ANY_FLAG), *[(r, r) for r in rules]],
            value=ALL,
            description="Flag",
        )
        self.summary = widgets.HTML().add_class("swb-summary")
        self.show_all = widgets.Checkbox(
            value=False, description="Show all cases", indent=False
        ).add_class("swb-show-all")
        self.problem = Notice(testid="swb-problem")
        self.table = widgets.HTML().add_class("swb-caseload")
        self.hours = widgets.HTML().add_class("swb-hours")
        self.overview = ChartPanel(
            lambda: _untitled(charts.caseload_overview([_ChartRow(r) for r in self.visible()])),
            title="Latest alliance and open flags, by case",
            describe=self.describe_overview,
            height="320px",
        ).add_class("swb-chart-overview")
        self.hours_chart = ChartPanel(
            lambda: _untitled(
                charts.hours_progress(
                    [_ChartRow(r) for r in filter_rows(self.rows, self.trainee.value or ALL)],
                    self.config,
                )
            ),
            title="Supervision hours against the requirement",
            height="300px",
        ).add_class("swb-chart-hours")
        self.export = Download(
            self.csv_payload,
            label="Export CSV",
            description="Export CSV of the cases shown",
        )
        self.receive = None
        if workspace is not None:
            from supervision_workbook.ui.handover.receive import ReceivePanel

            self.receive = ReceivePanel(
                workspace,
                self._received,
                collect=collect,
                exchange=exchange,
                upload_text="Upload a trainee's workbook (.ipynb) to add it to this caseload:",
            )
        self.widget = (
            widgets.VBox(
                [
                    StyleSheet(),
                    CaseloadStyleSheet(),
                    *banner_parts(config),
                    widgets.HTML(problems).add_class("swb-problems"),
                    widgets.HTML(_header_html(workspace_name, config)),
                    widgets.HBox([self.trainee, self.rule, self.export]),
                    *([self.receive] if self.receive is not None else []),
                    self.problem,
                    self.summary,
                    self.show_all,
                    self.table,
                    widgets.HTML("<h2>Supervision hours</h2>"),
                    self.hours,
                    self.overview,
                    self.hours_chart,
                ],
                layout=widgets.Layout(grid_gap="0.6rem"),
            )
            .add_class("swb-app")
            .add_class("swb-caseload-page")
        )
        self.trainee.observe(self._changed, names="value")
        self.rule.observe(self._changed, names="value")
        self.show_all.observe(self._changed, names="value")
        self.render()

    def _received(self, cases: CaseKeys) -> None:
        """Work arrived: read the caseload again, keep the filters where they still apply."""
        assert self.workspace is not None
        index = self.workspace.index
        self.rows = index.caseload()
        self.minutes_rows = index.supervision_minutes()
        trainees = sorted(
            {(r.trainee_name, r.trainee_id) for r in self.rows},
            key=lambda t: (t[0].casefold(), t[1]),
        )
        rules = sorted({rule for r in self.rows for rule in r.flag_rules})
        trainee, rule = self.trainee.value, self.rule.value
        self._quiet = True  # one redraw at the end, not one per dropdown change
        try:
            self.trainee.options = [("All trainees", ALL), *trainees]
            self.trainee.value = trainee if trainee in {t for _, t in trainees} else ALL
            self.rule.options = [("All cases", ALL), ("Any open flag", ANY_FLAG)] + [
                (r, r) for r in rules
            ]
            self.rule.value = rule if rule in {ALL, ANY_FLAG, *rules} else ALL
        finally:
            self._quiet = False
        self.render()

    def shown(self) -> list[CaseloadRow]:
        return filter_rows(self.rows, self.trainee.value or ALL, self.rule.value or ALL)

    def visible(self) -> list[CaseloadRow]:
        """The rows drawn: all of :meth:`shown`, or the first view's most urgent cases."""
        return attention_first(self.shown(), None if self.show_all.value else FIRST_VIEW)

    def csv_text(self) -> str:
        return rows_to_csv(self.shown())

    def csv_payload(self) -> FilePayload:
        """The CSV of the rows shown now (built when the button is pressed)."""
        return FilePayload(
            f"caseload-{date.today().isoformat()}.csv", self.csv_text(), mime="text/csv"
        )

    def describe_overview(self) -> str:
        """A text alternative to the overview chart."""
        parts = [
            f"{r.case_code} ({r.trainee_name}): client {formatting.score(r.latest_client)}, "
            f"therapist {formatting.score(r.latest_therapist)}, {r.flag_count} open flag(s)"
            for r in self.visible()
        ]
        return "; ".join(parts) if parts else "No cases."

    def _changed(self, change: dict) -> None:
        if self._quiet:
            return
        try:
            self.render()
            self.problem.clear()
        except Exception:  # a callback error must not leave the page silently stale
            log_unexpected("the caseload could not be redrawn")
            self.problem.show("error", "The table could not be redrawn for this choice.")

    def render(self) -> None:
        shown = self.shown()
        visible = self.visible()
        flagged = sum(1 for r in shown if r.flag_count)
        first_view = ""
        if len(visible) < len(shown):
            first_view = (
                f" Listing the {len(visible)} that need attention most (open flags, then "
                "unrepaired ruptures); tick <em>Show all cases</em> for the rest. The CSV "
                "export always holds every case shown by the filters."
            )
        self.show_all.layout.display = None if len(shown) > FIRST_VIEW else "none"
        self.summary.value = (
            f'<div class="swb-muted"><span class="swb-count">{len(shown)}</span> of '
            f"{len(self.rows)} cases shown; {flagged} with open flags.{first_view}</div>"
        )
        self.table.value = table_html(visible)
        self.hours.value = hours_html(self.minutes_rows, self.trainee.value or ALL)
        self.overview.refresh()
        self.hours_chart.refresh()
