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
exchange (``handover``): into the supervisor's inbox on a hub, as a download to send on
Binder or a laptop. A submitted or signed-off session is shown read-only.

The view holds no rules of its own: scores come from ``scoring``, alerts from ``alerts``,
charts from ``charts``, files from ``artifact`` and ``store``, the hand-over from
``exchange``. The notebook that Voila serves is
``from supervision_workbook.ui.supervisee import app`` and ``app()``; this module is that
entry point, and the workbook itself is ``supervisee_workbook.SuperviseeWorkbook``.
"""

from __future__ import annotations

import logging
import os
import threading

import ipywidgets as widgets

from supervision_workbook.ui.casework import SetupError
from supervision_workbook.ui.components.page import StyleSheet
from supervision_workbook.ui.components.text import Notice
from supervision_workbook.ui.supervisee.workbook import SuperviseeWorkbook

__all__ = ["SuperviseeWorkbook", "app", "warm_imports"]

log = logging.getLogger(__name__)


# --- entry point ---------------------------------------------------------------------------
def app() -> widgets.Widget:
    """The whole workbook for the current workspace and page; never raises.

    In a preheated Voila kernel the slow imports happen first, while no one is waiting;
    then :func:`query_params` blocks until a page claims the kernel, and only then is the
    workspace read, so a page never shows data from before it was requested. In a kernel
    started for the request, the same imports run in a background thread once the page is
    built, so that the first chart and the first draft save do not stall the page.
    """
    from supervision_workbook.ui.context import (
        WorkspaceNotConfigured,
        current_workspace,
        in_voila,
        query_params,
    )

    preheated = os.environ.get("VOILA_PREHEAT") == "True"
    if preheated:
        warm_imports()
    params = query_params()
    try:
        workbook = SuperviseeWorkbook(current_workspace(), params)
    except (WorkspaceNotConfigured, SetupError) as exc:
        return _problem_page(str(exc))
    except Exception as exc:  # a broken file must not leave a blank page
        log.exception("the session workbook could not start")
        return _problem_page(f"{type(exc).__name__}: {exc}")
    if in_voila() and not preheated:
        threading.Thread(target=warm_imports, name="swb-warm-imports", daemon=True).start()
    return workbook.widget


def warm_imports() -> None:
    """Import what the first chart and the first save need: plotly (about 0.5 s) and
    nbformat with jsonschema (a second or more), which the artifact layer uses."""
    try:
        import nbformat  # noqa: F401 - imported for its cost, ahead of time

        import supervision_workbook.artifact as artifact
        import supervision_workbook.charts  # noqa: F401 - imported for its cost

        _ = artifact.dumps, artifact.loads
    except Exception:  # warming up is an optimisation, never a failure
        log.debug("warming up imports failed", exc_info=True)


def _problem_page(message: str) -> widgets.Widget:
    notice = Notice(testid="swb-problem")
    notice.show("error", f"The session workbook cannot start. {message}")
    return widgets.VBox(
        [StyleSheet(), widgets.HTML("<h1 class='swb-title'>Session workbook</h1>"), notice]
    ).add_class("swb-app")
