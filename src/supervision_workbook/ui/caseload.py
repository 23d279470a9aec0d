"""The caseload dashboard: every trainee and case at a glance, for a training program.

What it shows comes from the store's index (``Index.caseload()`` and
``Index.supervision_minutes()``), where the rules behind each figure live: which flags are
still open, which ruptures count as unrepaired, how group minutes are weighted. This view
only filters, formats and links; it computes no score.

Why an HTML table built from escaped strings: trainee names are typed by people and case
codes come from files that may have been edited by hand. ``ipywidgets.HTML`` inserts raw
markup, so every value passes through :func:`html.escape` (attributes too), and the table
is built by the pure :func:`table_html`, testable without a kernel.

Why the CSV guards formulas: a spreadsheet runs a cell that starts with ``=``, ``+``, ``-``
or ``@``. A trainee name such as ``=HYPERLINK(...)`` is therefore written with a leading
apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import html
import io
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import ipywidgets as widgets

from supervision_workbook.ui.context import WorkspaceNotConfigured, current_workspace, query_params

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from supervision_workbook.config import WorkspaceConfig
    from supervision_workbook.store import BadFile, CaseloadRow, MinutesRow

ALL = ""
ANY_FLAG = "*"
REVIEW_WORKBOOK = "case_review.ipynb"

CSV_COLUMNS = (
    "trainee_id", "trainee_name", "case_id", "case_code", "sessions",
    "latest_session_number", "latest_session_date", "latest_client_alliance",
    "latest_therapist_alliance", "open_flags", "flag_rules", "unrepaired_ruptures",
    "individual_minutes", "group_minutes", "status", "last_updated",
)

_CSS = """
<style>
.swb-caseload { font-family: var(--jp-ui-font-family, sans-serif); }
.swb-caseload h1 { font-size: 1.5rem; margin: 0.2rem 0; }
.swb-muted { color: #555; }
.swb-table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
.swb-table th, .swb-table td { border-bottom: 1px solid #d0d7de; padding: 0.3rem 0.5rem;
  text-align: left; vertical-align: top; }
.swb-table th { background: #f6f8fa; font-weight: 600; }
.swb-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
.swb-table td.nowrap { white-space: nowrap; }
.swb-flag { color: #9a3412; font-weight: 600; }
.swb-rules { display: block; color: #555; font-size: 0.8rem; font-weight: normal; }
.swb-progress { display: inline-block; width: 8rem; height: 0.6rem; background: #e5e7eb;
  border-radius: 3px; vertical-align: middle; margin-right: 0.4rem; }
.swb-progress > span { display: block; height: 100%; background: #2563eb; border-radius: 3px; }
.swb-error { border-left: 4px solid #b91c1c; background: #fef2f2; padding: 0.6rem 0.8rem; }
</style>
"""


# --- pure helpers (no widgets) ------------------------------------------------------------
def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def fmt_score(value: float | None) -> str:
    """A primary statistic as shown: whole numbers without decimals, others to one place."""
    if value is None:
        return "–"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def fmt_minutes(minutes: float) -> str:
    """``95`` -> ``1 h 35 min``: supervision is counted in hours by licensure boards."""
    whole = round(minutes)
    hours, rest = divmod(whole, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def review_href(row: CaseloadRow) -> str:
    """Relative link to the case review of ``row`` (works under any server prefix)."""
    return f"{REVIEW_WORKBOOK}?{urlencode({'trainee': row.trainee_id, 'case': row.case_id})}"


def filter_rows(
    rows: Sequence[CaseloadRow], trainee_id: str = ALL, rule: str = ALL
) -> list[CaseloadRow]:
    """Rows of one trainee (or all), with one open flag rule, any flag (``*``) or all."""
    out = []
    for row in rows:
        if trainee_id and row.trainee_id != trainee_id:
            continue
        if rule == ANY_FLAG and not row.flag_count:
            continue
        if rule and rule != ANY_FLAG and rule not in row.flag_rules:
            continue
        out.append(row)
    return out


def table_html(rows: Sequence[CaseloadRow]) -> str:
    """The caseload table; every value escaped, including attributes and the link."""
    head = (
        "<tr><th>Trainee</th><th>Case</th><th>Sessions</th><th>Latest session</th>"
        "<th>Client alliance</th><th>Therapist alliance</th><th>Open flags</th>"
        "<th>Unrepaired ruptures</th><th>Supervision</th><th>Status</th><th>Review</th></tr>"
    )
    if not rows:
        body = '<tr><td colspan="11" class="swb-muted">No cases match.</td></tr>'
    else:
        body = "".join(_table_row(row) for row in rows)
    return (
        f'<table class="swb-table swb-caseload-table"><thead>{head}</thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _table_row(row: CaseloadRow) -> str:
    latest = "–"
    if row.latest_session_number is not None:
        when = row.latest_session_date.isoformat() if row.latest_session_date else ""
        latest = f"#{row.latest_session_number} {when}".strip()
    flags = (
        f'<span class="swb-flag">{row.flag_count}</span>'
        f'<span class="swb-rules">{_e(", ".join(row.flag_rules))}</span>'
        if row.flag_count
        else "0"
    )
    ruptures = (
        f'<span class="swb-flag">{row.unrepaired_ruptures}</span>'
        if row.unrepaired_ruptures
        else "0"
    )
    return (
        f'<tr class="swb-case-row" data-trainee="{_e(row.trainee_id)}" '
        f'data-case="{_e(row.case_code)}">'
        f'<td>{_e(row.trainee_name)}</td><td class="nowrap">{_e(row.case_code)}</td>'
        f'<td class="num">{row.sessions}</td><td class="nowrap">{_e(latest)}</td>'
        f'<td class="num swb-client">{fmt_score(row.latest_client)}</td>'
        f'<td class="num swb-therapist">{fmt_score(row.latest_therapist)}</td>'
        f"<td>{flags}</td><td class=\"num\">{ruptures}</td>"
        f'<td class="nowrap swb-minutes">{_e(fmt_minutes(row.minutes))}</td>'
        f"<td>{_e(row.last_status.replace('_', ' '))}</td>"
        f'<td><a class="swb-open-review" href="{_e(review_href(row))}">Open review</a></td></tr>'
    )


def hours_html(minutes_rows: Sequence[MinutesRow], trainee_id: str = ALL) -> str:
    """Signed-off supervision per trainee against the workspace requirement."""
    shown = [m for m in minutes_rows if not trainee_id or m.trainee_id == trainee_id]
    head = (
        "<tr><th>Trainee</th><th>Individual</th><th>Group</th><th>Counted</th>"
        "<th>Required</th><th>Progress</th></tr>"
    )
    body = []
    for m in shown:
        share = m.weighted_minutes / m.required_minutes if m.required_minutes else 1.0
        pct = min(100.0, share * 100)
        body.append(
            f'<tr class="swb-hours-row" data-trainee="{_e(m.trainee_id)}">'
            f"<td>{_e(m.trainee_name)}</td>"
            f"<td>{_e(fmt_minutes(m.individual_minutes))}</td>"
            f"<td>{_e(fmt_minutes(m.group_minutes))}</td>"
            f'<td class="swb-counted">{round(m.weighted_minutes)} min</td>'
            f'<td class="swb-required">{m.required_minutes} min</td>'
            f'<td><span class="swb-progress"><span style="width:{pct:.1f}%"></span></span>'
            f"{pct:.0f}% ({_e(fmt_minutes(m.remaining_minutes))} to go)</td></tr>"
        )
    if not body:
        body.append(
            '<tr><td colspan="6" class="swb-muted">No signed-off supervision yet.</td></tr>'
        )
    return (
        f'<table class="swb-table swb-hours-table"><thead>{head}</thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def problems_notice(problems: Sequence[BadFile], root: Path) -> widgets.HTML:
    """Files the index could not read: the caseload is incomplete, and the page says so.

    File names are built from ids and dates (never from user text), so they can be shown;
    the reasons stay in the terminal and in ``supervision-workbook validate``.
    """
    names = []
    for bad in problems[:10]:
        try:
            names.append(str(Path(bad.path).relative_to(root)))
        except ValueError:
            names.append(Path(bad.path).name)
    more = f" and {len(problems) - 10} more" if len(problems) > 10 else ""
    items = "".join(f"<li><code>{_e(n)}</code></li>" for n in names)
    return widgets.HTML(
        f'<div class="swb-error" role="alert"><strong>{len(problems)} review file(s) could '
        f"not be read and are missing from this caseload{_e(more)}.</strong> Run "
        f"<code>supervision-workbook validate</code> on the workspace for the reasons."
        f"<ul>{items}</ul></div>"
    ).add_class("swb-problems")


def _csv_cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def rows_to_csv(rows: Sequence[CaseloadRow]) -> str:
    """The rows as CSV (RFC 4180 line endings), text cells guarded against formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        values = (
            r.trainee_id, r.trainee_name, r.case_id, r.case_code, r.sessions,
            r.latest_session_number, r.latest_session_date, r.latest_client,
            r.latest_therapist, r.flag_count, ";".join(r.flag_rules), r.unrepaired_ruptures,
            r.individual_minutes, r.group_minutes, r.last_status, r.last_updated.isoformat(),
        )
        writer.writerow(["" if v is None else _csv_cell(v) for v in values])
    return buffer.getvalue()


def _known_errors() -> tuple[type[Exception], ...]:
    """Errors whose message is written for the user (and names no clinical text)."""
    from supervision_workbook.config import ConfigError
    from supervision_workbook.instruments import InstrumentError
    from supervision_workbook.store import WorkspaceError

    return (WorkspaceNotConfigured, ConfigError, InstrumentError, WorkspaceError)


def _export_widget(text: Callable[[], str], name: Callable[[], str]) -> widgets.Widget:
    """TEMPORARY until ui's Download component lands."""
    return widgets.Button(description="Export CSV", disabled=True)


def _log_unexpected(context: str) -> None:
    """Details go to the server's terminal (the kernel's real stderr), not to the page."""
    print(f"supervision-workbook: {context}", file=sys.__stderr__)
    traceback.print_exc(file=sys.__stderr__)


def _problem(message: str) -> widgets.HTML:
    return widgets.HTML(f'<div class="swb-error" role="alert">{_e(message)}</div>').add_class(
        "swb-problem"
    )


# --- the view -----------------------------------------------------------------------------
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


def show_figure(figure: go.Figure, output: widgets.Output) -> None:
    """Show a plain ``go.Figure`` as plotly's mime bundle (never a FigureWidget)."""
    from IPython.display import display

    output.clear_output(wait=True)
    with output:
        display({"application/vnd.plotly.v1+json": figure.to_plotly_json()}, raw=True)


class CaseloadDashboard:
    """State and widgets of one dashboard page. Rows are loaded once per page."""

    def __init__(
        self,
        rows: Sequence[CaseloadRow],
        minutes_rows: Sequence[MinutesRow],
        config: WorkspaceConfig,
        workspace_name: str,
        initial: dict[str, str] | None = None,
    ) -> None:
        self.rows = list(rows)
        self.minutes_rows = list(minutes_rows)
        self.config = config
        initial = initial or {}
        trainees = sorted({(r.trainee_name, r.trainee_id) for r in self.rows},
                          key=lambda t: (t[0].casefold(), t[1]))
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
        self.table = widgets.HTML().add_class("swb-caseload")
        self.hours = widgets.HTML().add_class("swb-hours")
        self.overview_out = widgets.Output().add_class("swb-chart-overview")
        self.hours_out = widgets.Output().add_class("swb-chart-hours")
        self.export = _export_widget(self.csv_text, self.csv_name)
        required = config.hours.required_minutes
        self.widget = widgets.VBox(
            [
                widgets.HTML(_CSS),
                widgets.HTML(
                    f"<h1>Caseload</h1><div class=\"swb-muted\">Workspace "
                    f"<strong>{_e(workspace_name)}</strong>. Supervision requirement: "
                    f"{_e(fmt_minutes(required))} ({required} min) per trainee; group "
                    f"minutes count × {config.hours.group_weight:g}.</div>"
                ),
                widgets.HBox([self.trainee, self.rule, self.export]),
                self.summary,
                self.table,
                widgets.HTML("<h2>Supervision hours</h2>"),
                self.hours,
                self.overview_out,
                self.hours_out,
            ],
            layout=widgets.Layout(grid_gap="0.6rem"),
        ).add_class("swb-caseload-page")
        self.trainee.observe(self._changed, names="value")
        self.rule.observe(self._changed, names="value")
        self.render()

    def shown(self) -> list[CaseloadRow]:
        return filter_rows(self.rows, self.trainee.value or ALL, self.rule.value or ALL)

    def csv_text(self) -> str:
        return rows_to_csv(self.shown())

    def csv_name(self) -> str:
        return f"caseload-{date.today().isoformat()}.csv"

    def _changed(self, change: dict) -> None:
        try:
            self.render()
        except Exception:  # a callback error must not leave a half-drawn page
            _log_unexpected("the caseload could not be redrawn")
            self.table.value = _problem("The table could not be redrawn.").value

    def render(self) -> None:
        from supervision_workbook import charts

        shown = self.shown()
        flagged = sum(1 for r in shown if r.flag_count)
        self.summary.value = (
            f'<div class="swb-muted"><span class="swb-count">{len(shown)}</span> of '
            f"{len(self.rows)} cases shown; {flagged} with open flags.</div>"
        )
        self.table.value = table_html(shown)
        self.hours.value = hours_html(self.minutes_rows, self.trainee.value or ALL)
        chart_rows = [_ChartRow(r) for r in shown]
        show_figure(charts.caseload_overview(chart_rows), self.overview_out)
        hours_rows = [_ChartRow(r) for r in filter_rows(self.rows, self.trainee.value or ALL)]
        show_figure(charts.hours_progress(hours_rows, self.config), self.hours_out)


def caseload_dashboard() -> widgets.Widget:
    """The dashboard page. Never raises: problems are shown in words, details logged."""
    params = query_params()  # in a preheated kernel: wait for the request first
    try:
        ws = current_workspace()
        index = ws.index
        index.refresh()  # pick up reviews copied into the folder since the last look
        rows = index.caseload()
        minutes_rows = index.supervision_minutes()
        problems = index.problems()
        dashboard = CaseloadDashboard(rows, minutes_rows, ws.config, ws.path.name, params)
        if problems:
            dashboard.widget.children = (
                dashboard.widget.children[0],
                problems_notice(problems, ws.path),
                *dashboard.widget.children[1:],
            )
        return dashboard.widget
    except Exception as exc:
        if isinstance(exc, _known_errors()):
            return widgets.VBox([widgets.HTML(_CSS), _problem(str(exc))])
        _log_unexpected("the caseload dashboard could not be built")
        return widgets.VBox([widgets.HTML(_CSS), _problem(
            "The caseload could not be shown. The details are in the terminal that runs "
            "the server."
        )])
