"""The workspace store: a folder of review artifacts, saved safely, with a SQLite index.

Public surface (everything else lives in private modules):

* :func:`init_workspace` creates the layout; :class:`Workspace` opens one.
* :meth:`Workspace.save` writes atomically under a per-review lock and refuses to overwrite
  a version it did not load (:class:`ConflictError`); it returns a :class:`SavedRef`.
* :class:`Index` is a rebuildable SQLite cache for the caseload dashboard and the CLI,
  returning :class:`CaseloadRow`, :class:`MinutesRow`, :class:`ReviewRow` and
  :class:`BadFile` records.
* :func:`atomic_write_text` and :func:`atomic_write_bytes` are shared with other writers
  (CSV export, PDF reports).
* :func:`read_indirect`, :func:`add_indirect`, :func:`remove_indirect`: a trainee's
  indirect-hours log (``_indirect``).

Importing this package does not import the artifact layer, instruments or jsonschema;
they are imported when a save or a load first needs them.
"""

from __future__ import annotations

from ._atomic import atomic_write_bytes, atomic_write_text
from ._errors import ConflictError, LockTimeout, NotAWorkspace, WorkspaceError
from ._index import INDEX_VERSION, Index
from ._indirect import add_indirect, read_indirect, remove_indirect
from ._rows import BadFile, CaseloadRow, ClientSessionRow, MinutesRow, ReviewRow, SignoffRow
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
    "ReviewRow",
    "SavedRef",
    "SignoffRow",
    "Workspace",
    "WorkspaceError",
    "add_indirect",
    "atomic_write_bytes",
    "atomic_write_text",
    "init_workspace",
    "read_indirect",
    "remove_indirect",
]
