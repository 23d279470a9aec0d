"""Errors the store raises; all are :class:`WorkspaceError`, so a caller can catch one type."""

from __future__ import annotations

from pathlib import Path


class WorkspaceError(Exception):
    """A workspace problem the user can act on; the message says what to do."""


class NotAWorkspace(WorkspaceError):
    """The folder has no ``supervision-workbook.toml``."""


class ConflictError(WorkspaceError):
    """Someone else saved this review since it was loaded; nothing was written.

    Carries the file and both hashes so the ui can offer to reload or to save as a copy.
    """

    def __init__(self, path: Path, expected_hash: str | None, current_hash: str | None) -> None:
        self.path = path
        self.expected_hash = expected_hash
        self.current_hash = current_hash
        loaded = expected_hash or "none (a new review)"
        found = current_hash or "no file"
        super().__init__(
            f"{path}: changed on disk since it was loaded (loaded version {loaded}, "
            f"now on disk {found}). Nothing was saved; reload the review and apply your "
            f"changes again."
        )


class LockTimeout(WorkspaceError):
    """Another save of the same review held its lock for too long."""


class RecordProtected(WorkspaceError):
    """A submitted or signed record would be replaced by an older copy; nothing was written.

    Carries the record's file, status and content hash, so a view can open it read-only
    and say which version is on record.
    """

    def __init__(self, path: Path, status: str, content_hash: str, message: str) -> None:
        self.path = path
        self.status = status
        self.content_hash = content_hash
        super().__init__(message)
