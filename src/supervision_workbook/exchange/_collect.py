"""Bring one verified submission into a supervisor's workspace without losing anything.

Why through :meth:`Workspace.save` and not a file copy: the save path is the one place that
takes the review's lock, detects a concurrent writer, writes atomically and updates the
index. The saved notebook is rebuilt from the verified record, so what lands in the
workspace is exactly the data that passed ``artifact.loads`` (its content hash is the same).

When the workspace already holds the review:

- the same content hash: nothing to do (collecting twice is harmless);
- a copy further along (a later lifecycle status, or updated later): it is kept, because
  an older submission must never overwrite the supervisor's newer record;
- otherwise the newer submission replaces it, passing the hash it replaces so that a save
  made at the same moment by someone else is a conflict, not a silent overwrite.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._base import CollectReport, Refused

if TYPE_CHECKING:
    from supervision_workbook.artifact import LoadedArtifact
    from supervision_workbook.model import Review
    from supervision_workbook.store import Workspace

_STATUS_RANK = {"draft": 0, "submitted": 1, "reviewed": 2, "signed_off": 3}


def _further_along(current: Review, incoming: Review) -> bool:
    rank_now = _STATUS_RANK.get(current.status.value, 0)
    rank_in = _STATUS_RANK.get(incoming.status.value, 0)
    if rank_now != rank_in:
        return rank_now > rank_in
    return current.updated > incoming.updated


def import_loaded(
    workspace: Workspace, loaded: LoadedArtifact, source: str, report: CollectReport
) -> None:
    """Save ``loaded`` into ``workspace`` and note the outcome in ``report``."""
    from supervision_workbook.artifact import ArtifactError
    from supervision_workbook.store import ConflictError, WorkspaceError

    review = loaded.review
    try:
        try:
            ref = workspace.save(review, expected_hash=None)
        except ConflictError as conflict:
            if conflict.current_hash == loaded.content_hash:
                report.unchanged.append(source)
                return
            current = workspace.load(conflict.path).review
            if _further_along(current, review):
                report.kept_newer.append(source)
                return
            ref = workspace.save(review, expected_hash=conflict.current_hash)
    except (ArtifactError, WorkspaceError, OSError, ValueError, KeyError) as exc:
        report.refused.append(Refused(source, f"could not be saved in the workspace: {exc}"))
        return
    report.imported.append(ref.path)
