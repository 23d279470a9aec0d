"""The lock that keeps two saves of one review from interleaving.

A ``filelock`` per key (``.locks/<review_id>.lock``) works across threads, kernels and
machines sharing a folder. Its timeout becomes a :class:`LockTimeout` that says what to do;
``timeout=0`` tries once, which is how housekeeping tells a live save from a dead one.
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from ._errors import LockTimeout


class Lock:
    """A file lock whose timeout becomes a :class:`LockTimeout` with a readable message."""

    def __init__(self, path: Path, timeout: float) -> None:
        self._path = path
        self._lock = FileLock(path, timeout=timeout)
        self._timeout = timeout

    def __enter__(self) -> Lock:
        (self._path.parent).mkdir(exist_ok=True)
        try:
            self._lock.acquire()
        except Timeout:
            raise LockTimeout(
                f"another save of the same review has held {self._path} for more than "
                f"{self._timeout:g} s; try again in a moment"
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
