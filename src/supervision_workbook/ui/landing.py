"""The landing page: which workspace this is, and the three workbooks one click away.

Why relative links: the same page is served at ``/voila/render/index.ipynb`` locally and at
``/user/<name>/voila/render/index.ipynb`` on Binder or a JupyterHub. A link such as
``caseload.ipynb`` resolves next to the current page under any prefix, and the cookie that
the first ``?token=`` request set carries the authentication along.

Why the Binder banner: a Binder session is a throw-away container. People must know before
they type anything that the data has to be synthetic and that their work disappears when
the session ends, unless they download it.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from dataclasses import dataclass

import ipywidgets as widgets

from supervision_workbook.config import ConfigError, WorkspaceConfig, load_config
from supervision_workbook.ui.context import WorkspaceNotConfigured, query_params, workspace_path

#: Environment variables that mybinder.org (BinderHub) sets in a session's container.
BINDER_ENV = ("BINDER_SERVICE_HOST", "BINDER_REPO_URL", "BINDER_LAUNCH_HOST", "BINDER_REF_URL")


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

BINDER_MESSAGE = (
    "This is a temporary Binder session. Use synthetic data only, never real client "
    "information. Nothing persists: the session ends after about ten idle minutes and "
    "everything in it is deleted. Download your work before you leave."
)

_CSS = """
<style>
.swb-landing { max-width: 60rem; font-family: var(--jp-ui-font-family, sans-serif); }
.swb-landing h1 { font-size: 1.6rem; margin: 0.2rem 0; }
.swb-muted { color: #555; }
.swb-banner { border-left: 4px solid #b45309; background: #fff7ed; padding: 0.6rem 0.8rem;
  color: #3b2404; }
.swb-card { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.8rem 1rem;
  height: 100%; box-sizing: border-box; }
.swb-card a { font-size: 1.15rem; font-weight: 600; color: #0b57d0; }
.swb-card p { margin: 0.4rem 0 0; line-height: 1.4; }
.swb-error { border-left: 4px solid #b91c1c; background: #fef2f2; padding: 0.6rem 0.8rem; }
</style>
"""


def binder_active(config: WorkspaceConfig | None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to show the Binder banner: forced by ``binder_mode``, or detected when "auto"."""
    mode = config.binder_mode if config is not None else "auto"
    if mode != "auto":
        return mode == "on"
    env = os.environ if environ is None else environ
    return any(env.get(name) for name in BINDER_ENV)


def binder_banner() -> widgets.HTML:
    """The Binder warning as a widget (reusable by other workbooks)."""
    return widgets.HTML(
        f'<div class="swb-banner" role="note"><strong>Binder session.</strong> '
        f"{html.escape(BINDER_MESSAGE)}</div>",
        layout=widgets.Layout(width="100%"),
    ).add_class("swb-binder-banner")


def _card(link: WorkbookLink) -> widgets.HTML:
    return widgets.HTML(
        f'<div class="swb-card"><a class="swb-workbook-link" href="{html.escape(link.href)}">'
        f"{html.escape(link.title)}</a> <span class=\"swb-muted\">{html.escape(link.who)}</span>"
        f"<p>{html.escape(link.what)}</p></div>"
    )


def landing_page() -> widgets.Widget:
    """The whole landing page. Never raises: configuration problems are shown in words."""
    query_params()  # in a preheated kernel: wait for the request, then read the workspace
    parts: list[widgets.Widget] = [widgets.HTML(_CSS)]
    config: WorkspaceConfig | None = None
    problem = ""
    workspace_name = ""
    try:
        path = workspace_path()
        workspace_name = path.name
        config = load_config(path)
    except (WorkspaceNotConfigured, ConfigError) as exc:
        problem = str(exc)

    subtitle = (
        f'Workspace <strong class="swb-workspace-name">{html.escape(workspace_name)}</strong>'
        if workspace_name
        else "No workspace"
    )
    parts.append(
        widgets.HTML(
            '<h1>Supervision workbook</h1>'
            f'<div class="swb-muted">{subtitle}</div>'
        )
    )
    if binder_active(config):
        parts.append(binder_banner())
    if problem:
        parts.append(
            widgets.HTML(
                f'<div class="swb-error" role="alert">{html.escape(problem)}</div>'
            ).add_class("swb-problem")
        )
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
    return widgets.VBox(parts, layout=widgets.Layout(grid_gap="0.8rem")).add_class("swb-landing")
