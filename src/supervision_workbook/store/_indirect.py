"""The indirect-hours log: a short list per trainee of time spent for clients, not with them.

Why a plain JSON file and not an artifact: an entry is a date, a length, an activity
(notes, consultation, preparation, other) and an optional case code, with no free text and
no sign-off, so there is nothing to hash-chain or replay. It is the trainee's own log, and
reports say so. Layout: ``hours/<trainee_id>.json``::

    {"kind": "indirect-hours", "version": 1, "trainee_id": "tr-ana",
     "entries": [{"id": "ih-3f9a1c2b7d", "date": "2026-03-02", "minutes": 30,
                  "activity": "notes", "case_code": "C-014"}]}

Writes follow the store's rules: read, change and replace under the trainee's lock
(``.locks/<trainee_id>.indirect.lock``) with :func:`atomic_write_text`, so two people adding
at once both keep their line. A damaged file is an error, never read as an empty log, and
nothing is written over it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from . import _layout as layout
from ._atomic import atomic_write_text
from ._errors import WorkspaceError

if TYPE_CHECKING:
    from supervision_workbook.model import IndirectEntry

    from ._workspace import Workspace

KIND = "indirect-hours"
VERSION = 1


def read_indirect(ws: Workspace, trainee_id: str) -> list[IndirectEntry]:
    """The trainee's log, oldest first; empty when there is none yet."""
    from pydantic import ValidationError

    from supervision_workbook.model import IndirectEntry

    path = layout.indirect_file(ws.path, trainee_id)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise WorkspaceError(f"{path}: cannot read the indirect-hours log: {exc}") from exc
    if not isinstance(raw, dict) or raw.get("kind") != KIND:
        raise WorkspaceError(f"{path}: not an indirect-hours log")
    if raw.get("version") != VERSION:
        raise WorkspaceError(
            f"{path}: indirect-hours log version {raw.get('version')!r}; this version reads "
            f"{VERSION}"
        )
    if raw.get("trainee_id") != trainee_id or not isinstance(raw.get("entries"), list):
        raise WorkspaceError(f"{path}: 'trainee_id' or 'entries' is missing or wrong")
    try:
        entries = [IndirectEntry.model_validate(e) for e in raw["entries"]]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise WorkspaceError(f"{path}: an entry's {where or 'value'}: {first['msg']}") from None
    return sorted(entries, key=lambda e: (e.date, e.id))


def _write(ws: Workspace, trainee_id: str, entries: list[IndirectEntry]) -> None:
    path = layout.indirect_file(ws.path, trainee_id)
    path.parent.mkdir(exist_ok=True)
    payload = {
        "kind": KIND,
        "version": VERSION,
        "trainee_id": trainee_id,
        "entries": [e.model_dump(mode="json") for e in entries],
    }
    atomic_write_text(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def add_indirect(ws: Workspace, trainee_id: str, entry: IndirectEntry) -> list[IndirectEntry]:
    """Append ``entry`` (refused if its id is already there); returns the whole log."""
    with ws._lock(trainee_id, "indirect"):
        entries = read_indirect(ws, trainee_id)
        if any(e.id == entry.id for e in entries):
            raise WorkspaceError(f"indirect-hours entry {entry.id} is already in the log")
        entries.append(entry)
        _write(ws, trainee_id, entries)
    return sorted(entries, key=lambda e: (e.date, e.id))


def remove_indirect(ws: Workspace, trainee_id: str, entry_id: str) -> list[IndirectEntry]:
    """Remove the entry ``entry_id``; returns the log that remains."""
    with ws._lock(trainee_id, "indirect"):
        entries = read_indirect(ws, trainee_id)
        kept = [e for e in entries if e.id != entry_id]
        if len(kept) == len(entries):
            raise WorkspaceError(f"no indirect-hours entry {entry_id} for {trainee_id}")
        _write(ws, trainee_id, kept)
    return kept
