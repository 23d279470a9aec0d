"""The workspace's folder layout and the only place that turns ids into paths.

Why ids are validated again here, although the model already validated them: a record on
disk is untrusted, and a tampered one could carry ``../../etc`` as a trainee id if some
future code path skipped the model. Every path is built from ids and dates that match a
strict pattern, and is then checked to lie inside the workspace, so no user text and no
traversal can reach the file system.

Layout::

    supervision-workbook.toml
    reviews/<trainee_id>/<case_id>/<date>_<kind>_<review_id>.ipynb
    drafts/<trainee_id>/<case_id>/<date>_<kind>_<review_id>.ipynb
    conflicts/<trainee_id>/<case_id>/<date>_<kind>_<review_id>_<hash>.ipynb  (kept aside)
    instruments/   textpacks/   private/<case_id>.json   index.sqlite   .locks/
    hours/<trainee_id>.json   (the indirect-hours log; made on first use)
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ._atomic import is_temp_name
from ._errors import WorkspaceError

if TYPE_CHECKING:
    from supervision_workbook.model import Review

REVIEWS = "reviews"
DRAFTS = "drafts"
CONFLICTS = "conflicts"
INSTRUMENTS = "instruments"
TEXTPACKS = "textpacks"
PRIVATE = "private"
LOCKS = ".locks"
HOURS = "hours"
INDEX_NAME = "index.sqlite"
FOLDERS = (REVIEWS, DRAFTS, INSTRUMENTS, TEXTPACKS, PRIVATE, LOCKS)

ARTIFACT_SUFFIX = ".ipynb"

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{2,63}$")  # model.Id, repeated on purpose (see above)
_KINDS = ("session", "case_review")


def safe_id(value: object, what: str) -> str:
    """``value`` if it is a well-formed id, else a :class:`WorkspaceError` naming ``what``."""
    if not isinstance(value, str) or not _ID.match(value):
        raise WorkspaceError(f"refusing to build a path from {what} {value!r}: not a valid id")
    return value


def artifact_name(review: Review) -> str:
    """``2026-03-14_session_rv-3f9a1c2b7d.ipynb``: the latest session's date (or the
    creation date when there is no session yet), the kind and the review id."""
    day: date = review.session_date or review.created.date()
    kind = review.kind.value
    if kind not in _KINDS:  # pragma: no cover - the enum has exactly these values
        raise WorkspaceError(f"unknown review kind {kind!r}")
    return f"{day.isoformat()}_{kind}_{safe_id(review.id, 'review id')}{ARTIFACT_SUFFIX}"


def case_folder(root: Path, area: str, review: Review) -> Path:
    """``root/<area>/<trainee_id>/<case_id>``, checked to lie inside ``root/<area>``.

    Returned unresolved, so paths stay spelled the way the workspace was opened (the same
    spelling :func:`walk_artifacts` yields).
    """
    trainee = safe_id(review.trainee.id, "trainee id")
    case = safe_id(review.case.id, "case id")
    folder = root / area / trainee / case
    base = (root / area).resolve()
    if folder.resolve().parent.parent != base:  # pragma: no cover - safe_id rules this out
        raise WorkspaceError(f"refusing path {folder}: outside {base}")
    return folder


def find_by_id(folder: Path, review_id: str) -> Path | None:
    """The artifact of ``review_id`` in ``folder``, whatever date its name carries.

    A review keeps the name it was first saved under: its date part can go stale when a
    session date is corrected, but one review never ends up as two files.
    """
    if not folder.is_dir():
        return None
    pattern = f"*_{safe_id(review_id, 'review id')}{ARTIFACT_SUFFIX}"
    matches = sorted(p for p in folder.glob(pattern) if not p.is_symlink())  # links: never
    return matches[0] if matches else None


def private_file(root: Path, case_id: str) -> Path:
    return root / PRIVATE / f"{safe_id(case_id, 'case id')}.json"


def indirect_file(root: Path, trainee_id: str) -> Path:
    return root / HOURS / f"{safe_id(trainee_id, 'trainee id')}.json"


def lock_file(root: Path, key: str, purpose: str = "") -> Path:
    """``.locks/<review_id>.lock`` for saves; ``.locks/<case_id>.names.lock`` for names."""
    suffix = f".{purpose}.lock" if purpose else ".lock"
    return root / LOCKS / f"{safe_id(key, 'lock key')}{suffix}"


def walk_artifacts(area: Path) -> Iterator[Path]:
    """Every artifact under ``area`` in a stable order.

    Skips hidden files and folders: our own temp files, and the ``.ipynb_checkpoints``
    folders JupyterLab leaves behind when someone opens an artifact there. Skips symbolic
    links, to files and to folders alike: one can point anywhere on the machine, and a
    link dropped into the workspace must not be listed, indexed or shown as a review.
    """
    if not area.is_dir() or area.is_symlink():
        return
    found = []
    for folder, dirs, names in os.walk(area):  # os.walk does not descend into links
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.startswith(".") or is_temp_name(name) or not name.endswith(ARTIFACT_SUFFIX):
                continue
            path = Path(folder) / name
            try:
                if stat.S_ISREG(path.lstat().st_mode):
                    found.append(path)
            except FileNotFoundError:  # removed while we walked
                continue
    yield from sorted(found)
