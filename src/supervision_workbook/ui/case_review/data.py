"""What the case review reads from a workspace besides the case's sessions (no widgets).

The sessions themselves come from :func:`ui.casework.case_history` (the submitted session
workbooks plus the sessions already copied into earlier case reviews). This module adds the
rest of what a supervisor needs in the meeting:

* **The meeting's own draft.** A case review in progress is autosaved as a ``case_review``
  draft in ``drafts/<trainee>/<case>/``. :func:`latest_case_review_draft` finds the most
  recently updated one, so that a reload (or a dropped connection) reopens it. The
  supervisee workbook's ``casework.latest_draft`` deliberately ignores case reviews, so the
  two workbooks never pick up each other's drafts.
* **Earlier case reviews of the case** (their status, who signed, minutes), straight from
  the index.
* **Earlier supervision check-ins of the trainee**, over all of the trainee's cases: the
  supervisory alliance belongs to the pair supervisor-supervisee, not to one client case.
* **The caseload row** of the case, whose ``flag_count`` and ``reviewed_through`` follow
  the one rule for "open" flags (``store._caseload``): a flag is open until a signed-off
  case review covers its session.

A file that cannot be read is reported in words and left as it is, never deleted: a
damaged record of the case (:func:`damaged_in_case`, from ``Workspace.damaged()``) with
the message ``supervision-workbook validate`` prints for it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from supervision_workbook.model import ReviewKind, Status
from supervision_workbook.store import copy_rank, newest_per_review

if TYPE_CHECKING:
    from supervision_workbook.artifact import LoadedArtifact
    from supervision_workbook.model import SupervisionCheckin
    from supervision_workbook.store import CaseloadRow, ReviewRow, Workspace

CASE_REVIEW = ReviewKind.case_review.value


def latest_case_review_draft(
    ws: Workspace, trainee_id: str, case_id: str
) -> tuple[LoadedArtifact | None, list[str]]:
    """The most recently updated case-review draft of one case, and any read problems."""
    best: tuple[tuple[datetime, str], LoadedArtifact] | None = None
    problems: list[str] = []
    marker = f"_{CASE_REVIEW}_"
    for path in ws.draft_files(trainee_id, case_id):
        if marker not in path.name:
            continue
        try:
            loaded = ws.load(path)
        except Exception as exc:
            problems.append(f"A case review draft could not be read (it was left as it is): {exc}")
            continue
        review = loaded.review
        if review.kind != ReviewKind.case_review or review.status != Status.draft:
            continue
        rank = copy_rank(review.updated, path)
        if best is None or rank > best[0]:
            best = (rank, loaded)
    return (best[1] if best is not None else None), problems


def previous_case_reviews(ws: Workspace, trainee_id: str, case_id: str) -> list[ReviewRow]:
    """The case's saved case reviews (oldest first), one row per review id (newest file)."""
    rows = ws.index.reviews(trainee_id=trainee_id, case_id=case_id, kind=CASE_REVIEW)
    return newest_per_review(rows)


def trainee_checkins(
    ws: Workspace, trainee_id: str, *, exclude_review_id: str | None = None
) -> tuple[list[SupervisionCheckin], list[str]]:
    """Supervision check-ins from the trainee's saved case reviews (all cases), by date."""
    problems: list[str] = []
    try:
        rows = ws.index.reviews(trainee_id=trainee_id, kind=CASE_REVIEW)
    except Exception as exc:
        return [], [f"The workspace index could not be read: {exc}"]
    checkins: list[SupervisionCheckin] = []
    for row in newest_per_review(r for r in rows if r.review_id != exclude_review_id):
        try:
            review = ws.load(row.path).review
        except Exception as exc:
            problems.append(f"A saved case review could not be read and was left out: {exc}")
            continue
        if review.checkin is not None and review.checkin.responses:
            checkins.append(review.checkin)
    return sorted(checkins, key=lambda c: (c.date, c.id)), problems


def caseload_row(ws: Workspace, trainee_id: str, case_id: str) -> CaseloadRow | None:
    """The case's row of the caseload dashboard (None if the index does not know it)."""
    for row in ws.index.caseload():
        if row.trainee_id == trainee_id and row.case_id == case_id:
            return row
    return None


def damaged_in_case(ws: Workspace, trainee_id: str, case_id: str) -> list[str]:
    """Damaged record files of one case, each as ``validate`` words it (the file, then the
    problem): the case review lists them so a missing session is never a silent gap."""
    try:
        damaged = ws.damaged()
    except Exception as exc:
        return [f"The workspace index could not be read: {exc}"]
    return [
        f"A saved record of this case could not be read and is left out: {bad.error}"
        for bad in damaged
        if ws.case_of(bad.path) == (trainee_id, case_id)
    ]
