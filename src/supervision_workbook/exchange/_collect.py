"""Bring one verified submission into a supervisor's workspace without losing anything.

Why through :meth:`Workspace.save` and not a file copy: the save path is the one place that
takes the review's lock, detects a concurrent writer, writes atomically and updates the
index. The saved notebook is rebuilt from the verified record, so what lands in the
workspace is exactly the data that passed ``artifact.loads`` (its content hash is the same).

When the workspace already holds the review:

- the same content hash: nothing to do (collecting twice is harmless);
- a record that has left the trainee's hands (submitted, reviewed, signed off) is never
  replaced by an import. A copy earlier in the lifecycle is simply older (``kept_newer``);
  any other copy that differs (a resubmission, a sign-off made elsewhere, a forged one) is
  saved aside under the workspace's ``conflicts/`` folder and reported as a
  :class:`Conflict` for the supervisor to look at. The store enforces the same rule on
  every save (:class:`~supervision_workbook.store.RecordProtected`), so a record that
  changes between our look and our save is kept too;
- a draft in the workspace: a copy further along (a later lifecycle status, or updated
  later) is kept, because an older submission must never overwrite newer work; otherwise
  the newer submission replaces it, passing the hash it replaces so that a save made at
  the same moment by someone else is a conflict, not a silent overwrite.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._base import CollectReport, Conflict, Refused

if TYPE_CHECKING:
    from supervision_workbook.artifact import LoadedArtifact
    from supervision_workbook.model import Review
    from supervision_workbook.store import Workspace

_STATUS_RANK = {"draft": 0, "submitted": 1, "reviewed": 2, "signed_off": 3}


def _rank(review: Review) -> int:
    return _STATUS_RANK.get(review.status.value, 0)


def _further_along(current: Review, incoming: Review) -> bool:
    rank_now, rank_in = _rank(current), _rank(incoming)
    if rank_now != rank_in:
        return rank_now > rank_in
    return current.updated > incoming.updated


def _keep_aside(
    workspace: Workspace, loaded: LoadedArtifact, source: str, reason: str, report: CollectReport
) -> None:
    kept_at = workspace.keep_aside(loaded.review)
    report.conflicts.append(Conflict(source, kept_at, reason))


def import_loaded(
    workspace: Workspace, loaded: LoadedArtifact, source: str, report: CollectReport
) -> None:
    """Save ``loaded`` into ``workspace`` and note the outcome in ``report``."""
    from supervision_workbook.artifact import ArtifactError
    from supervision_workbook.store import ConflictError, RecordProtected, WorkspaceError

    review = loaded.review
    try:
        try:
            ref = workspace.save(review, expected_hash=None)
        except ConflictError as conflict:
            if conflict.current_hash == loaded.content_hash:
                report.unchanged.append(source)
                return
            current = workspace.load(conflict.path).review
            if _rank(current) > 0:
                if _rank(review) < _rank(current):
                    report.kept_newer.append(source)
                else:
                    reason = (
                        f"differs from the {current.status.value.replace('_', ' ')} record of "
                        f"review {review.id} in the workspace ({conflict.path.name}), which "
                        "was kept"
                    )
                    _keep_aside(workspace, loaded, source, reason, report)
                return
            if _further_along(current, review):
                report.kept_newer.append(source)
                return
            ref = workspace.save(review, expected_hash=conflict.current_hash)
    except RecordProtected as protected:
        try:
            _keep_aside(workspace, loaded, source, str(protected), report)
        except (WorkspaceError, OSError, ValueError) as exc:
            report.refused.append(Refused(source, f"{protected}; could not keep it aside: {exc}"))
        return
    except (ArtifactError, WorkspaceError, OSError, ValueError, KeyError) as exc:
        report.refused.append(Refused(source, f"could not be saved in the workspace: {exc}"))
        return
    report.imported.append(ref.path)
