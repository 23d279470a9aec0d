"""The supervisee's session workbook: five steps from a session to a submitted record.

1. **Session**: trainee, case (chosen here or by ``?trainee=ID&case=ID``), session number
   (the next free one by default), date, and names the identifier check should look for.
2. **Alliance**: the configured client and therapist instruments (``client_instrument`` /
   ``therapist_instrument`` in ``supervision-workbook.toml``), with the case's trajectory
   redrawn as ratings change.
3. **Ruptures**: zero or more ruptures and their repair.
4. **Reflection**: the countertransference reflection, what to bring to supervision, notes.
5. **Review and submit**: a summary, the alerts with their messages, the trajectory, any
   possible identifiers still in the text, and Submit.

State lives in the kernel, and on disk as a draft: every change is autosaved (debounced)
to ``drafts/`` through the store, so a reload or a dropped connection loses nothing. On
start the workbook reopens the latest draft of the linked case (or, with no link, the most
recent draft in the workspace). Submitting saves the session as a ``session`` review with
status ``submitted`` (the store then removes the draft) and hands the saved file to the
exchange (``ui.handover``): into the supervisor's inbox on a hub, as a download to send on
Binder or a laptop. A submitted or signed-off session is shown read-only.

The view holds no rules of its own: scores come from ``scoring``, alerts from ``alerts``,
charts from ``charts``, files from ``artifact`` and ``store``, the hand-over from
``exchange``. The notebook that Voila serves is
``from supervision_workbook.ui.supervisee import app`` and ``app()``; this module is that
entry point, and the workbook itself is :class:`.workbook.SuperviseeWorkbook`, built from
``basics`` (step 1), ``case`` (the chosen trainee and case), ``parts`` (steps 2 to 4),
``opening`` (drafts and uploads), ``reviewing`` (the chart and step 5) and ``record``
(checking a saved review before it is shown).
"""

from __future__ import annotations

import ipywidgets as widgets

from supervision_workbook.ui.components.shell import run_page
from supervision_workbook.ui.supervisee.workbook import SuperviseeWorkbook

__all__ = ["SuperviseeWorkbook", "app", "warm_imports"]


def app() -> widgets.Widget:
    """The whole workbook for the current workspace and page; never raises.

    In a preheated Voila kernel the slow imports happen first, while no one is waiting; in
    a kernel started for the request they run in a background thread once the page is
    built, so that the first chart and the first draft save do not stall the page.
    """
    from supervision_workbook.ui.context import current_workspace

    return run_page(
        "Session workbook",
        "session workbook",
        lambda params: SuperviseeWorkbook(current_workspace(), params).widget,
        warm=warm_imports,
        warm_later=True,
    )


def warm_imports() -> None:
    """Import what the first chart and the first save need: plotly (about 0.5 s) and
    nbformat with jsonschema (a second or more), which the artifact layer uses."""
    import nbformat  # noqa: F401 - imported for its cost, ahead of time

    import supervision_workbook.artifact as artifact
    import supervision_workbook.charts  # noqa: F401 - imported for its cost

    _ = artifact.dumps, artifact.loads
