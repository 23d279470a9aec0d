"""One workbook shell and one page entry: what every workbook page does the same way.

Why one shell: the session workbook and the case review both frame their page the same
(style sheets, the Binder banner, the address-bar state, a title, a toolbar with the
autosave status and a download, the page's message, the steps), both save drafts with
the hash of the version they last wrote (``expected_hash``, so that two windows on one
draft get a conflict instead of overwriting each other), both say "Restored your draft"
the same way, both lock the page after the record is made, and both save that record in
one shape (cancel autosave, check, save, or resume autosave on failure). Written twice,
these drifted; :class:`WorkbookShell` holds them once and a workbook supplies its steps.

Why one entry: every notebook's ``app()`` must never raise. :func:`run_page` warms slow
imports while a preheated kernel waits in Voila's pool, waits for the request
(:func:`~supervision_workbook.ui.context.query_params`), then builds the page; an error
the person can fix is shown in one line on a problem page, anything else is logged to
the server's terminal and the page says so (a message may carry clinical text, so it is
not put on the page).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Literal

import ipywidgets as widgets

from supervision_workbook.ui.components.banner import banner_parts
from supervision_workbook.ui.components.page import StyleSheet, UrlState
from supervision_workbook.ui.components.saving import (
    AUTOSAVE_DELAY,
    Autosave,
    Scheduler,
    call_later,
)
from supervision_workbook.ui.components.text import Notice
from supervision_workbook.ui.render.html import escape

if TYPE_CHECKING:
    from supervision_workbook.model import Review
    from supervision_workbook.store import SavedRef, Workspace
    from supervision_workbook.ui.components.files import FilePayload

log = logging.getLogger(__name__)


class WorkbookShell:
    """The state and frame a workbook page shares; a subclass adds its steps.

    A subclass sets ``self.flow`` (its steps) before :meth:`frame`, implements
    :meth:`_save_draft` (``None`` while there is nothing to save) and :meth:`_set_editable`.
    """

    def __init__(
        self,
        workspace: Workspace,
        *,
        message_testid: str,
        scheduler: Scheduler = call_later,
        clock: Callable[[], datetime] = datetime.now,
        autosave_delay: float = AUTOSAVE_DELAY,
    ) -> None:
        self.ws = workspace
        self.config = workspace.config
        self.instruments = workspace.instruments
        self.expected_hash: str | None = None
        self.locked = False
        self._loading = 0
        self.message = Notice(testid=message_testid)
        self.autosave = Autosave(
            self._save_draft, delay=autosave_delay, scheduler=scheduler, clock=clock
        )
        self.url = UrlState()

    # --- what a workbook supplies --------------------------------------------------------
    def _save_draft(self) -> str | None:
        raise NotImplementedError

    def _set_editable(self, editable: bool) -> None:
        raise NotImplementedError

    # --- the page ------------------------------------------------------------------------
    def frame(
        self,
        title: str,
        intro: str,
        *,
        css_class: str,
        sheets: Sequence[widgets.Widget] = (),
        toolbar: Sequence[widgets.Widget] = (),
        body: Sequence[widgets.Widget] = (),
    ) -> widgets.Widget:
        """Style sheets, the banner, the address bar, title, toolbar, message, body."""
        header = widgets.HTML(
            f"<h1 class='swb-title'>{escape(title)}</h1><p class='swb-muted'>{escape(intro)}</p>"
        )
        bar = widgets.HBox(
            [self.autosave, *toolbar], layout=widgets.Layout(width="100%")
        ).add_class("swb-toolbar")
        parts = [StyleSheet(), *sheets, *banner_parts(self.config), self.url, header, bar]
        parts += [*body, self.message, self.flow]
        return (
            widgets.VBox(parts, layout=widgets.Layout(width="100%"))
            .add_class("swb-app")
            .add_class(css_class)
        )

    def warn(self, problems: Sequence[str]) -> None:
        """Add problems to the page's message, each once."""
        shown = list(self.message.messages)
        new = [p for p in dict.fromkeys(problems) if p not in shown]
        if new:
            self.message.show("warning", [*shown, *new])

    def restored(self, review: Review, what: str) -> None:
        """Say that a draft was restored, and when it was last saved."""
        when = review.updated.astimezone().strftime("%d %b %Y %H:%M")
        self.message.show("info", f"Restored your draft{what} (last saved {when}).")

    # --- change tracking -----------------------------------------------------------------
    @contextmanager
    def loading(self) -> Iterator[None]:
        """Changes made while a record is being shown are not the person's edits."""
        self._loading += 1
        try:
            yield
        finally:
            self._loading -= 1

    def changed(self) -> bool:
        """The person changed something: schedule a draft, recheck the steps.

        Returns False while a record is being loaded (nothing to do then).
        """
        if self._loading:
            return False
        if not self.locked:
            self.autosave.touch()
        self.recheck()
        return True

    def recheck(self) -> None:
        """Problems shown under a step shrink as they are fixed, and go when all are."""
        flow = getattr(self, "flow", None)  # changes made while the page is being built
        if flow is not None:
            flow.recheck()

    # --- saving --------------------------------------------------------------------------
    def save_draft_of(self, review: Review) -> SavedRef:
        """Write ``review`` as the draft, refusing if the draft changed elsewhere."""
        ref = self.ws.save(review, expected_hash=self.expected_hash, draft=True)
        self.expected_hash = ref.content_hash
        return ref

    def save_record(self, make: Callable[[], Review]) -> tuple[Review, SavedRef]:
        """Save the record that ``make`` checks and builds; on failure drafts go on."""
        self.autosave.cancel()
        try:
            review = make()
            ref = self.ws.save(review, expected_hash=self.expected_hash)
        except Exception:
            self.autosave.touch()
            raise
        self.expected_hash = ref.content_hash
        return review, ref

    def record_payload(self, review: Review) -> FilePayload:
        """``review`` as the notebook file a person downloads, named by the store."""
        from supervision_workbook.artifact import dumps
        from supervision_workbook.ui.components.files import FilePayload

        return FilePayload(
            self.ws.artifact_name(review), dumps(review, self.instruments, self.config)
        )

    # --- locking -------------------------------------------------------------------------
    def lock(self, reason: str, *, benign: bool = False) -> None:
        """Read-only from now on; ``benign`` when that is the expected end (a record)."""
        self.locked = True
        self.autosave.stop(reason, benign=benign)
        self._set_editable(False)

    def unlock(self) -> None:
        self.locked = False
        self.autosave.resume()
        self._set_editable(True)


# --- the page entry ------------------------------------------------------------------------
def problem_page(title: str, message: str) -> widgets.Widget:
    notice = Notice(testid="swb-problem")
    notice.show("error", message)
    return widgets.VBox(
        [StyleSheet(), widgets.HTML(f"<h1 class='swb-title'>{escape(title)}</h1>"), notice]
    ).add_class("swb-app")


def _known_errors() -> tuple[type[Exception], ...]:
    """Errors whose message is written for the person (and names no clinical text)."""
    from supervision_workbook.config import ConfigError
    from supervision_workbook.instruments import InstrumentError
    from supervision_workbook.store import WorkspaceError
    from supervision_workbook.ui.casework import SetupError
    from supervision_workbook.ui.context import WorkspaceNotConfigured

    return (WorkspaceNotConfigured, ConfigError, InstrumentError, WorkspaceError, SetupError)


def log_unexpected(context: str) -> None:
    """Details go to the server's terminal (the kernel's real stderr), never to the page."""
    print(f"supervision-workbook: {context}", file=sys.__stderr__)
    traceback.print_exc(file=sys.__stderr__)


def _quietly(warm: Callable[[], None]) -> None:
    try:
        warm()
    except Exception:  # warming up is an optimisation, never a failure
        log.debug("warming up failed", exc_info=True)


def run_page(
    title: str,
    what: str,
    build: Callable[[Mapping[str, str]], widgets.Widget],
    *,
    warm: Callable[[], None] | None = None,
    warm_when: Literal["preheated", "always"] = "preheated",
    warm_later: bool = False,
) -> widgets.Widget:
    """The page that ``build(params)`` makes, or a problem page; never raises.

    ``warm`` imports (or builds) what the first chart and save need: before the request
    in a preheated kernel (or always), and with ``warm_later`` in a background thread
    once a kernel started for the request has built the page.
    """
    from supervision_workbook.ui.context import in_voila, query_params

    preheated = os.environ.get("VOILA_PREHEAT") == "True"
    if warm is not None and (preheated or warm_when == "always"):
        _quietly(warm)
    params = query_params()  # in a preheated kernel: wait for the request first
    try:
        page = build(params)
    except _known_errors() as exc:
        return problem_page(title, f"The {what} cannot start. {exc}")
    except Exception:  # a broken file must not leave a blank page
        log_unexpected(f"the {what} could not start")
        return problem_page(
            title,
            f"The {what} cannot start. The details are in the terminal that runs the server.",
        )
    if warm is not None and warm_later and in_voila() and not preheated:
        threading.Thread(target=_quietly, args=(warm,), name="swb-warm", daemon=True).start()
    return page
