"""The live case review: a supervisor and a trainee walk through one case, then sign it off.

Made for a meeting, screen shared or in the room, in seven steps:

1. **Case snapshot** - trainee and case (chosen here or by ``?trainee=ID&case=ID``),
   sessions so far, dates, latest scores, open flags, status of previous reviews.
2. **Binocular view** - client and therapist trajectories overlaid (total or one of
   goal / task / bond), where they diverge, and every flag with the reason its rule gave.
3. **Ruptures and repairs** - a table by session; ruptures not fully repaired highlighted.
4. **Transference and countertransference** - the theme heatmap, the trainee's reflections
   as text, and the supervisor's notes.
5. **Supervision check-in** - the configured supervision instrument, rated by supervisor
   and supervisee, with the trend of this trainee's earlier check-ins.
6. **Goals and tasks** - agreed goals, tasks and action items for the next sessions.
7. **Sign-off** - supervisor, minutes and format; signing runs
   ``artifact.integrity.sign_off`` and saves a ``case_review`` record through
   ``store.Workspace.save``. The saved file *is* the signed record: it is read back from
   disk, shown read-only, and offered for download exactly as saved.

The review holds every session of the case as recorded in the workspace (the submitted
session workbooks plus the sessions of earlier case reviews, one copy per session number:
``casework.case_history``); the trainee's sessions are read-only here. The meeting's parts
are autosaved as a draft (debounced), so a reload reopens them. Nothing clinical is decided
in this module: scores come from ``scoring``, flags from ``alerts``, charts from ``charts``,
HTML fragments (all escaped) from ``review_html`` and ``review_tables``.

This module is the entry point that the notebook imports (``app``); the workbook itself is
``review_workbook.CaseReviewWorkbook``, built from ``review_views`` (steps 1 to 5, read-only),
``review_meeting`` (what the meeting adds), ``review_parts`` (its controls),
``review_signoff`` (step 7) and ``review_data`` (workspace look-ups).
"""

from __future__ import annotations

import logging
import os

import ipywidgets as widgets

from supervision_workbook.ui.case_review.workbook import TITLE, CaseReviewWorkbook, SetupError
from supervision_workbook.ui.components.page import StyleSheet
from supervision_workbook.ui.components.text import Notice

__all__ = ["CaseReviewWorkbook", "SetupError", "app", "problem_page", "warm_imports"]

log = logging.getLogger(__name__)


def app() -> widgets.Widget:
    """The whole case review for the current workspace and page; never raises.

    In a preheated Voila kernel the slow imports run first, while nobody waits; then
    :func:`query_params` blocks until a page claims the kernel, and only then is the
    workspace read, so the page shows the records as they are when it was opened.
    """
    from supervision_workbook.ui.context import (
        WorkspaceNotConfigured,
        current_workspace,
        query_params,
    )

    if os.environ.get("VOILA_PREHEAT") == "True":
        warm_imports()
    params = query_params()
    try:
        workbook = CaseReviewWorkbook(current_workspace(), params)
    except (WorkspaceNotConfigured, SetupError) as exc:
        return problem_page(str(exc))
    except Exception as exc:
        log.exception("the case review could not start")
        return problem_page(f"{type(exc).__name__}: {exc}")
    return workbook.widget


def warm_imports() -> None:
    """Import what the first chart, the first load and the first save need."""
    import supervision_workbook.alerts
    import supervision_workbook.artifact as artifact
    import supervision_workbook.charts  # noqa: F401 - imported for its cost, ahead of time

    _ = artifact.dumps, artifact.loads


def problem_page(message: str) -> widgets.Widget:
    notice = Notice(testid="swb-problem")
    notice.show("error", f"The case review cannot start. {message}")
    return widgets.VBox(
        [StyleSheet(), widgets.HTML(f"<h1 class='swb-title'>{TITLE}</h1>"), notice]
    ).add_class("swb-app")
