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
HTML fragments (all escaped) from ``ui.render``.

This module is the entry point that the notebook imports (``app``); the workbook itself is
:class:`.workbook.CaseReviewWorkbook`, built from ``views`` (steps 1 to 5, read-only),
``meeting`` (what the meeting adds), ``signoff`` (step 7) and ``data`` (workspace
look-ups), on the shared ``components`` and ``forms``.
"""

from __future__ import annotations

import ipywidgets as widgets

from supervision_workbook.ui.case_review.workbook import TITLE, CaseReviewWorkbook
from supervision_workbook.ui.casework import SetupError
from supervision_workbook.ui.components.shell import run_page

__all__ = ["CaseReviewWorkbook", "SetupError", "app", "warm_imports"]


def app() -> widgets.Widget:
    """The whole case review for the current workspace and page; never raises.

    In a preheated Voila kernel the slow imports run first, while nobody waits; the
    workspace is read only after a page claimed the kernel, so the page shows the records
    as they are when it was opened.
    """
    from supervision_workbook.ui.context import current_workspace

    return run_page(
        TITLE,
        "case review",
        lambda params: CaseReviewWorkbook(current_workspace(), params).widget,
        warm=warm_imports,
    )


def warm_imports() -> None:
    """Import what the first chart, the first load and the first save need."""
    import supervision_workbook.alerts
    import supervision_workbook.artifact as artifact
    import supervision_workbook.charts  # noqa: F401 - imported for its cost, ahead of time

    _ = artifact.dumps, artifact.loads
