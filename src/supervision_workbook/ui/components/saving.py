"""Saving from the page: debounced draft autosave, and a save / submit bar with clear results.

Why debounce: text areas send every keystroke to the kernel. Writing a draft per keystroke
would be wasteful; writing only on "Save" would lose work when a laptop sleeps, a Binder
session is culled or the page is reloaded. So every change (re)starts a short timer
(1.5 s by default) and the draft is written when the person pauses. Drafts go through
``store.Workspace.save(draft=True)`` with the hash of the version last written, so two
windows on one draft get a clear conflict instead of silently overwriting each other.

Timers come from :mod:`.timers` (the kernel's asyncio loop). A kernel that is shut down
with a change still pending flushes it on exit (``atexit``), so a reload that kills the old
kernel loses nothing.

Errors never escape into the kernel log only: :func:`describe_save_error` turns every
failure the store can raise into a sentence for the person, and the bar shows it.
"""

from __future__ import annotations

import atexit
import logging
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.ui.components.text import Notice, escape
from supervision_workbook.ui.components.timers import Debouncer, Scheduler, call_later

if TYPE_CHECKING:
    from supervision_workbook.store import RecordProtected

__all__ = [
    "AUTOSAVE_DELAY",
    "Autosave",
    "Debouncer",
    "SaveAction",
    "SaveBar",
    "Scheduler",
    "call_later",
    "describe_save_error",
]

log = logging.getLogger(__name__)

AUTOSAVE_DELAY = 1.5
"""Seconds of quiet after the last change before a draft is written."""


def protected_message(exc: RecordProtected) -> str:
    """The store's words for a record that an older copy may not replace (which version is
    on record, why, and that a correction is an amendment), with the file's name rather
    than the server's full path. Nobody changed anything elsewhere: the record was
    submitted or signed, so it is no blame on another window."""
    text = str(exc)
    head = f"{exc.path}: "
    text = text.removeprefix(head)
    return f"{text} (File: {exc.path.name})"


def describe_save_error(exc: BaseException, prefix: str = "Not saved") -> str:
    """A sentence for the person: what happened, whether anything was written, what to do.

    ``prefix`` names the outcome ("Not saved", "Draft not saved", "Not submitted").
    """
    from pydantic import ValidationError

    from supervision_workbook.artifact import ArtifactError
    from supervision_workbook.store import (
        ConflictError,
        LockTimeout,
        RecordProtected,
        WorkspaceError,
    )

    if isinstance(exc, RecordProtected):
        return f"{prefix}: {protected_message(exc)}"
    if isinstance(exc, ConflictError):
        return (
            f"{prefix}: this record was changed elsewhere (in another window or by another "
            f"person) after you opened it, and nothing was overwritten. Download your "
            f"version to keep it, then reload the page to see the other one. "
            f"(File: {exc.path.name})"
        )
    if isinstance(exc, LockTimeout | WorkspaceError):
        return f"{prefix}: {exc}"
    if isinstance(exc, ValidationError):
        from supervision_workbook.formatting import field_problems

        problems = "; ".join(field_problems(exc))
        return f"{prefix}: some values are not valid ({problems})."
    if isinstance(exc, ArtifactError):
        return f"{prefix}: the copy on disk could not be read, so it was left untouched ({exc})."
    if isinstance(exc, OSError):
        return f"{prefix}: the workspace folder could not be written ({exc})."
    if isinstance(exc, ValueError):
        return f"{prefix}: {exc}"
    return f"{prefix}: unexpected error ({type(exc).__name__}: {exc})."


_LIVE: weakref.WeakSet[Autosave] = weakref.WeakSet()


def _flush_all() -> None:
    for autosave in list(_LIVE):
        try:
            autosave.flush()
        except Exception:  # pragma: no cover - exiting; the log is all we have
            log.exception("could not flush a pending draft at exit")


atexit.register(_flush_all)


class Autosave(widgets.HTML):
    """Debounced draft saving with a visible status ("Draft saved 14:02").

    ``save`` writes the draft and returns a short description of what was saved, or None
    when there was nothing to save yet (no case chosen). It raises on failure; the error is
    shown in words and autosave keeps trying on the next change, except after a conflict,
    which needs the person to decide (see :meth:`resume`).
    """

    def __init__(
        self,
        save: Callable[[], str | None],
        *,
        delay: float = AUTOSAVE_DELAY,
        scheduler: Scheduler = call_later,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__()
        self.add_class("swb-autosave")
        self._save = save
        self._clock = clock
        self._debouncer = Debouncer(delay, self._run, scheduler=scheduler)
        self.enabled = True
        self.stopped_reason = ""
        self.last_saved: datetime | None = None
        self.last_error = ""
        self.saves = 0
        self._status("")
        _LIVE.add(self)

    @property
    def pending(self) -> bool:
        return self._debouncer.pending

    def touch(self) -> None:
        """Note a change; the draft is written after ``delay`` seconds without another."""
        if not self.enabled:
            return
        self._debouncer.trigger()
        if self._debouncer.pending:
            self._status("Unsaved changes\u2026", "pending")

    def flush(self) -> None:
        self._debouncer.flush()

    def cancel(self) -> None:
        self._debouncer.cancel()

    def stop(self, reason: str = "", *, benign: bool = False) -> None:
        """Stop saving; ``reason`` is shown.

        ``benign`` marks an ending that is no problem at all (the session was submitted,
        the review signed off, a finished record opened read-only): it is shown as plain
        status. Otherwise (a conflict, a damaged copy) it is shown as an alert, because the
        person's next keystrokes will not be saved and they must decide what to do.
        """
        self._debouncer.cancel()
        self.enabled = False
        self.stopped_reason = reason
        if reason:
            self._status(reason, "done" if benign else "stopped")
        else:
            self._status("")

    def resume(self) -> None:
        self.enabled = True
        self.stopped_reason = ""
        self._status("")

    def _run(self) -> None:
        from supervision_workbook.store import ConflictError, RecordProtected

        try:
            saved = self._save()
        except Exception as exc:
            self.last_error = describe_save_error(exc, "Draft not saved")
            log.warning("draft autosave failed: %s", exc)
            if isinstance(exc, ConflictError | RecordProtected):  # retrying cannot succeed
                self.stop(self.last_error)
            else:
                self._status(self.last_error, "error")
            return
        if saved is None:
            self._status("")
            return
        self.saves += 1
        self.last_error = ""
        self.last_saved = self._clock()
        self._status(f"Draft saved {self.last_saved:%H:%M}", "saved")

    def _status(self, text: str, state: str = "idle") -> None:
        self.state = state
        self.text = text
        role = "alert" if state in {"error", "stopped"} else "status"
        self.value = (
            f'<span class="swb-autosave-status swb-autosave-{state}" role="{role}">'
            f"{escape(text)}</span>"
            if text
            else '<span class="swb-autosave-status" role="status"></span>'
        )


@dataclass
class SaveAction:
    """One button of a :class:`SaveBar`. ``run`` returns the success message.

    ``once``: the action can succeed only once (Submit, Sign off). After it succeeds its
    button stays disabled, whatever else the bar does, until :meth:`SaveBar.set_enabled`
    turns it back on (a fresh session). After a failure it is enabled again, so that the
    person can fix the problem and retry.
    """

    label: str
    run: Callable[[], str]
    css: str
    button_style: str = ""
    icon: str = ""
    tooltip: str = ""
    failure: str = "Not saved"
    once: bool = False


class SaveBar(widgets.VBox):
    """Buttons for saving or submitting, with one clear result line under them."""

    def __init__(self, actions: Sequence[SaveAction]) -> None:
        self.actions = list(actions)
        self.buttons: dict[str, widgets.Button] = {}
        for action in self.actions:
            button = widgets.Button(
                description=action.label,
                button_style=action.button_style,
                icon=action.icon,
                tooltip=action.tooltip or action.label,
            ).add_class(action.css)
            button.on_click(lambda b, action=action: self._clicked(b, action))
            self.buttons[action.css] = button
        self.result = Notice(testid="swb-save-result")
        self._listeners: list[Callable[[SaveAction, bool], None]] = []
        self._enabled = dict.fromkeys(self.buttons, True)
        super().__init__(
            [
                widgets.HBox(list(self.buttons.values())).add_class("swb-savebar-buttons"),
                self.result,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.add_class("swb-savebar")

    def run(self, action: SaveAction) -> bool:
        """Run ``action``; show its message or its error in words. Returns success.

        Every button is disabled while it runs (no double submit). Afterwards each one is
        set back to what :meth:`set_enabled` last asked for (the action itself may have
        changed that), except that a ``once`` action that succeeded stays disabled.
        """
        for button in self.buttons.values():
            button.disabled = True
        try:
            message = action.run()
        except Exception as exc:  # shown to the person, not swallowed
            log.warning("%s failed: %s", action.label, exc)
            self.result.show("error", describe_save_error(exc, action.failure))
            ok = False
        else:
            self.result.show("success", message)
            ok = True
            if action.once:
                self._enabled[action.css] = False
        for css, button in self.buttons.items():
            button.disabled = not self._enabled[css]
        for listener in list(self._listeners):
            listener(action, ok)
        return ok

    def _clicked(self, button: widgets.Button, action: SaveAction) -> None:
        """A click from the page. A disabled button's click is ignored: it can still arrive
        from a page that had not caught up yet (or one that was tampered with)."""
        if not button.disabled:
            self.run(action)

    def on_result(self, callback: Callable[[SaveAction, bool], None]) -> None:
        """Run ``callback(action, succeeded)`` after every action (to lock a submitted form)."""
        self._listeners.append(callback)

    def set_enabled(self, css: str, enabled: bool) -> None:
        self._enabled[css] = bool(enabled)
        self.buttons[css].disabled = not enabled
