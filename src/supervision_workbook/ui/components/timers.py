"""Timers for the views: debounce on the kernel's own event loop.

ipykernel handles widget messages inside its asyncio loop, so ``loop.call_later`` runs a
callback between messages, on the same thread as every other widget callback: no locks,
no races with the person's next click. Where no loop is running (a script, the tests),
:func:`call_later` runs the callback at once, which keeps behaviour deterministic; tests
that need to see the waiting pass their own scheduler.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol


class Handle(Protocol):
    def cancel(self) -> None: ...


Scheduler = Callable[[float, Callable[[], None]], "Handle | None"]


def call_later(delay: float, callback: Callable[[], None]) -> Handle | None:
    """Run ``callback`` after ``delay`` seconds on the running asyncio loop, or now."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        callback()
        return None
    return loop.call_later(delay, callback)


class Debouncer:
    """Call ``callback`` once, ``delay`` seconds after the last :meth:`trigger`."""

    def __init__(
        self, delay: float, callback: Callable[[], None], *, scheduler: Scheduler = call_later
    ) -> None:
        self.delay = delay
        self._callback = callback
        self._scheduler = scheduler
        self._handle: Handle | None = None
        self.pending = False

    def trigger(self) -> None:
        self.cancel()
        self.pending = True
        self._handle = self._scheduler(self.delay, self._fire)

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self.pending = False

    def flush(self) -> None:
        """Run now if a call is pending (before leaving a page, switching case, exiting)."""
        if self.pending:
            self.cancel()
            self._callback()

    def _fire(self) -> None:
        if not self.pending:
            return
        self._handle = None
        self.pending = False
        self._callback()


class Throttle:
    """Call ``callback`` at once on the first :meth:`trigger`, then at most once per window.

    A redraw should follow the first change without waiting (the person is looking at the
    chart), but a keyboard user moving through a radio group changes the value at every
    arrow key. So the first trigger runs now and opens a window of ``delay`` seconds;
    triggers inside the window only mark the state dirty, and when the window closes a
    dirty state is drawn once (which opens the next window). A burst therefore costs at most
    two draws per window and always ends with the final state on screen.
    """

    def __init__(
        self, delay: float, callback: Callable[[], None], *, scheduler: Scheduler = call_later
    ) -> None:
        self.delay = delay
        self._callback = callback
        self._scheduler = scheduler
        self._handle: Handle | None = None
        self._open = False
        self.pending = False

    def trigger(self) -> None:
        if self._open:
            self.pending = True
            return
        self._run()

    def cancel(self) -> None:
        """Forget a pending call (the caller has just drawn the current state itself)."""
        self.pending = False

    def _run(self) -> None:
        self.pending = False
        self._open = True
        self._callback()
        # Without a running loop ``call_later`` runs ``_close`` at once: no window at all.
        self._handle = self._scheduler(self.delay, self._close)

    def _close(self) -> None:
        self._handle = None
        self._open = False
        if self.pending:
            self._run()
