"""The store's rules about copies, each in one place for every reader.

The caseload dashboard (``_caseload``), the case review and the session workbook all read
the same folder of files, in which one session can appear in several files and one review
can have been copied. They agree only if they resolve these questions the same way
(which flags are open is not a question about files: ``alerts.case_flags`` answers it):

* **Which copy wins** (:func:`copy_rank`): of two files that hold the same session, or the
  same review id, the one updated most recently; on a timestamp tie the one whose path
  sorts last, so the answer never depends on the order the files were read in.
  :func:`winning_copies` applies it to the sessions of a case.
* **Newest file per review id** (:func:`newest_per_review`): a review id saved twice (a
  copied file) counts once, as its winning copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from os import PathLike
from typing import Protocol, TypeVar

T = TypeVar("T")


class _Copy(Protocol):
    @property
    def review_id(self) -> str: ...

    @property
    def updated(self) -> datetime: ...

    @property
    def path(self) -> str | PathLike[str]: ...


CopyT = TypeVar("CopyT", bound=_Copy)


def copy_rank(updated: datetime, path: str | PathLike[str]) -> tuple[datetime, str]:
    """The order in which copies win: later ``updated`` first, then the later path."""
    return (updated, str(path))


def winning_copies(copies: Iterable[tuple[int, tuple[datetime, str], T]]) -> list[T]:
    """One item per number (a session number), the copy of the highest rank, by number.

    ``copies`` holds ``(number, copy_rank(...), item)``: the dashboard passes session JSON
    from the index, the workbooks pass sessions read from the files, and both get the same
    copy of each session.
    """
    chosen: dict[int, tuple[tuple[datetime, str], T]] = {}
    for number, rank, item in copies:
        if number not in chosen or rank > chosen[number][0]:
            chosen[number] = (rank, item)
    return [chosen[n][1] for n in sorted(chosen)]


def newest_per_review(copies: Iterable[CopyT]) -> list[CopyT]:
    """One entry per review id, its winning copy; in the order of :func:`copy_rank`."""
    best: dict[str, CopyT] = {}
    for copy in copies:
        held = best.get(copy.review_id)
        if held is None or copy_rank(copy.updated, copy.path) > copy_rank(held.updated, held.path):
            best[copy.review_id] = copy
    return sorted(best.values(), key=lambda c: copy_rank(c.updated, c.path))
