"""The workspace store: a folder of review artifacts, saved safely, with a SQLite index.

Public surface (everything else lives in private modules):

* :func:`init_workspace` creates the layout; :class:`Workspace` opens one.
* :meth:`Workspace.save` writes atomically under a per-review lock and refuses to overwrite
  a version it did not load (:class:`ConflictError`) or a submitted or signed record with
  an older copy (:class:`RecordProtected`); it returns a :class:`SavedRef`.
* :meth:`Workspace.damaged` lists damaged files with the message ``validate`` prints;
  :meth:`Workspace.clean_stale_temps` removes temp files that killed saves left behind.
* :class:`Index` is a rebuildable SQLite cache for the caseload dashboard and the CLI,
  returning :class:`CaseloadRow`, :class:`MinutesRow`, :class:`ReviewRow` and
  :class:`BadFile` records.
* :func:`copy_rank`, :func:`winning_copies` and :func:`newest_per_review` are the rules
  every reader of the folder shares (``_rules``; which flags are open is
  ``alerts.case_flags``);
  :class:`Workspace` also answers folder questions (drafts of a case, the current hash of
  a review, an artifact's file name) so that no view parses paths (``_queries``).
* :func:`atomic_write_text` and :func:`atomic_write_bytes` are shared with other writers
  (CSV export, PDF reports).
* :func:`read_indirect`, :func:`add_indirect`, :func:`remove_indirect`: a trainee's
  indirect-hours log (``_indirect``).

Importing this package does not import the artifact layer, instruments or jsonschema;
they are imported when a save or a load first needs them.
"""

from __future__ import annotations

from ._atomic import atomic_write_bytes, atomic_write_text
from ._errors import ConflictError, LockTimeout, NotAWorkspace, RecordProtected, WorkspaceError
from ._index import INDEX_VERSION, Index
from ._indirect import add_indirect, read_indirect, remove_indirect
from ._rows import BadFile, CaseloadRow, ClientSessionRow, MinutesRow, ReviewRow, SignoffRow
from ._rules import copy_rank, newest_per_review, winning_copies
from ._workspace import SavedRef, Workspace, init_workspace

__all__ = [
    "INDEX_VERSION",
    "BadFile",
    "CaseloadRow",
    "ClientSessionRow",
    "ConflictError",
    "Index",
    "LockTimeout",
    "MinutesRow",
    "NotAWorkspace",
    "RecordProtected",
    "ReviewRow",
    "SavedRef",
    "SignoffRow",
    "Workspace",
    "WorkspaceError",
    "add_indirect",
    "atomic_write_bytes",
    "atomic_write_text",
    "copy_rank",
    "init_workspace",
    "newest_per_review",
    "read_indirect",
    "remove_indirect",
    "winning_copies",
]
