"""Importing scores from a CSV: one row per response, written as ordinary session reviews.

Why a layer of its own, beside ``demo`` and ``export`` rather than in ``store``: the store
saves reviews and knows nothing of CSV files, instruments' scales or what a row means. The
importer is a writer *through* the store, like the demo: it builds the same submitted
session reviews the supervisee workbook's Submit builds and saves each with
:meth:`Workspace.save`, so validation, atomic writes, locks and the index apply unchanged.
It imports no widgets and no command-line code; ``cli/importing.py`` is the command.

Three steps, so that one bad row writes nothing:

1. :func:`read_text` and :func:`parse` check every row (``_csv``): pure, no workspace.
2. :func:`plan_import` matches names and codes to the workspace, finds the sessions already
   recorded (conflicts) and builds the reviews (``_plan``); still nothing written.
3. :func:`save_plan` saves them, one review at a time.

The format, also written by ``export --format responses`` (``_responses``)::

    trainee,case,session,date,instrument,respondent,item_1,...,item_n
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from ._csv import parse, read_text
from ._format import FIXED, CsvFileError, ParsedFile, ResponseRow, RowProblem
from ._plan import Plan, plan_import
from ._responses import response_rows, write_responses

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from supervision_workbook.store import SavedRef, Workspace


def save_plan(
    ws: Workspace, plan: Plan, progress: Callable[[int], None] | None = None
) -> list[SavedRef]:
    """Save the plan's reviews in order (each a brand-new review: ``expected_hash=None``).

    The index is brought up to date once at the end, as the demo does, rather than per
    save: per save it recomputes the case's row each time, which made a long import
    quadratic in the case's sessions. A save that fails (a full disk, a lock held too long)
    raises after the reviews before it were saved and indexed; those are complete sessions,
    and importing the same file again reports them as conflicts and saves the rest.
    """
    saved: list[SavedRef] = []
    try:
        for review in plan.reviews:
            saved.append(ws.save(review, update_index=False))
            if progress is not None:
                progress(1)
    finally:
        if saved:
            _refresh_quietly(ws)
    return saved


def _refresh_quietly(ws: Workspace) -> None:
    """The reviews are saved; the index is a cache that its next refresh brings up to date,
    so a failure here is logged and never hides the save's own outcome."""
    try:
        ws.index.refresh()
    except Exception:
        log.warning(
            "imported reviews into %s but could not update the index", ws.path, exc_info=True
        )


__all__ = [
    "FIXED",
    "CsvFileError",
    "ParsedFile",
    "Plan",
    "ResponseRow",
    "RowProblem",
    "parse",
    "plan_import",
    "read_text",
    "response_rows",
    "save_plan",
    "write_responses",
]
