"""The landing page: which workspace this is, and the three workbooks one click away.

Why relative links: the same page is served at ``/voila/render/index.ipynb`` locally and at
``/user/<name>/voila/render/index.ipynb`` on Binder or a JupyterHub. A link such as
``caseload.ipynb`` resolves next to the current page under any prefix, and the cookie that
the first ``?token=`` request set carries the authentication along.

The Binder banner (``banner``) comes first here, as on every workbook; ``binder_active``,
``binder_banner`` and ``BINDER_MESSAGE`` are re-exported from there for older callers.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

import ipywidgets as widgets

from supervision_workbook.config import ConfigError, WorkspaceConfig, load_config
from supervision_workbook.ui.components.banner import BINDER_MESSAGE, binder_active, binder_banner
from supervision_workbook.ui.components.page import LandingStyleSheet, StyleSheet
from supervision_workbook.ui.components.shell import run_page
from supervision_workbook.ui.components.text import Notice
from supervision_workbook.ui.context import WorkspaceNotConfigured, workspace_path

__all__ = ["BINDER_MESSAGE", "WORKBOOKS", "WorkbookLink", "app", "binder_active", "binder_banner"]


@dataclass(frozen=True)
class WorkbookLink:
    href: str
    title: str
    who: str
    what: str


WORKBOOKS: tuple[WorkbookLink, ...] = (
    WorkbookLink(
        "supervisee.ipynb",
        "Session workbook",
        "for the supervisee",
        "After a session: alliance ratings from the client and from you, ruptures and "
        "repairs, a countertransference reflection, what to bring to supervision.",
    ),
    WorkbookLink(
        "case_review.ipynb",
        "Case review",
        "for the supervision meeting",
        "Walk through a case step by step: both views of the alliance side by side, flagged "
        "sessions, the supervision check-in, goals, tasks and sign-off.",
    ),
    WorkbookLink(
        "caseload.ipynb",
        "Caseload dashboard",
        "for the training program",
        "Every trainee and case: latest alliance, open flags, unrepaired ruptures and "
        "supervision hours against the requirement. Export as CSV.",
    ),
)

#: How work moves between the workbooks; the landing page itself holds no record, so it has
#: nothing to download or upload (docs/binder-and-hub.md).
HANDOVER_HTML = (
    "<p class='swb-help'>Trainees submit a session from the session workbook: on a hub it "
    "goes to their supervisor's inbox, elsewhere it is downloaded to send. Supervisors "
    "collect submissions, or upload a trainee's file, in the case review; the caseload "
    "dashboard can upload one too. Every workbook downloads what it shows.</p>"
)


def _card(link: WorkbookLink) -> widgets.HTML:
    return widgets.HTML(
        f'<div class="swb-card"><a class="swb-workbook-link" href="{html.escape(link.href)}">'
        f'{html.escape(link.title)}</a> <span class="swb-muted">{html.escape(link.who)}</span>'
        f"<p>{html.escape(link.what)}</p></div>"
    )


def app() -> widgets.Widget:
    """The whole landing page. Never raises: configuration problems are shown in words."""
    return run_page("Supervision workbook", "landing page", _landing)


def _landing(_params: Mapping[str, str]) -> widgets.Widget:
    """The page; a workspace that is missing or misconfigured is named on it."""
    config: WorkspaceConfig | None = None
    problem = ""
    workspace_name = ""
    try:
        path = workspace_path()
        workspace_name = path.name
        config = load_config(path)
    except (WorkspaceNotConfigured, ConfigError) as exc:
        problem = str(exc)

    # The banner first, as on every workbook (see ``banner``).
    parts: list[widgets.Widget] = [StyleSheet(), LandingStyleSheet()]
    if binder_active(config):
        parts.append(binder_banner())
    subtitle = (
        f'Workspace <strong class="swb-workspace-name">{html.escape(workspace_name)}</strong>'
        if workspace_name
        else "No workspace"
    )
    parts.append(
        widgets.HTML(
            '<h1 class="swb-title">Supervision workbook</h1>'
            f'<div class="swb-muted">{subtitle}</div>'
        )
    )
    if problem:
        notice = Notice(testid="swb-problem")
        notice.show("error", problem)
        parts.append(notice)
    parts.append(
        widgets.GridBox(
            [_card(link) for link in WORKBOOKS],
            layout=widgets.Layout(
                grid_template_columns="repeat(auto-fit, minmax(16rem, 1fr))",
                grid_gap="0.8rem",
                width="100%",
            ),
        )
    )
    parts.append(widgets.HTML(HANDOVER_HTML).add_class("swb-landing-handover"))
    page = widgets.VBox(parts, layout=widgets.Layout(grid_gap="0.8rem"))
    return page.add_class("swb-app").add_class("swb-landing")
