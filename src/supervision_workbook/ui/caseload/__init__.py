"""The caseload dashboard workbook (``workbooks/caseload.ipynb``): all cases at a glance.

The notebook imports :func:`app` from here; the view is :class:`.dashboard.CaseloadDashboard`.
With preheated kernels, :func:`app` warms up plotly while the kernel waits in Voila's pool,
then waits for the request, and only then reads the workspace, so the page shows the
caseload as it is when opened.
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets

from supervision_workbook.ui.caseload.dashboard import CaseloadDashboard
from supervision_workbook.ui.components.shell import run_page

__all__ = ["CaseloadDashboard", "app", "warm_up"]


def warm_up() -> None:
    """Build both charts once without data.

    Plotly creates its validators on first use (about a second here). In a preheated
    kernel this runs before the request arrives, so the visitor does not wait for it.
    """
    from supervision_workbook import charts
    from supervision_workbook.config import WorkspaceConfig

    charts.caseload_overview([]).to_plotly_json()
    charts.hours_progress([], WorkspaceConfig()).to_plotly_json()


def _dashboard(params: Mapping[str, str]) -> widgets.Widget:
    from supervision_workbook.ui.context import current_workspace
    from supervision_workbook.ui.render.caseload_table import problems_html

    ws = current_workspace()
    index = ws.index
    problems = ws.damaged()  # refreshes: picks up reviews copied in since the last look
    notice = problems_html(problems, ws.path) if problems else ""
    return CaseloadDashboard(
        index.caseload(),
        index.supervision_minutes(),
        ws.config,
        ws.path.name,
        params,
        problems=notice,
        workspace=ws,
    ).widget


def app() -> widgets.Widget:
    """The dashboard page. Never raises: problems are shown in words, details logged."""
    return run_page("Caseload", "caseload dashboard", _dashboard, warm=warm_up, warm_when="always")
