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
