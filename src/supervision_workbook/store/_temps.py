"""Temp files that killed saves left behind, removed without touching a live save's.

A save killed between ``mkstemp`` and the rename (a kernel stopped, a power cut) leaves a
hidden temp file with the full clinical content of the review. Only files that are exactly
ours are removed: named as ``_atomic`` names its temp files, for a target named as the store
names its files, in ``reviews/``, ``drafts/`` or ``private/``, regular files (never a
link), last written more than :data:`STALE_TEMP_SECONDS` ago; and each under the lock of
its review (or of its case's declared names), taken without waiting: a save that still
holds it is alive, and its file is left alone.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import time
from pathlib import Path

from . import _layout as layout
from ._atomic import stale_temp_target
from ._errors import LockTimeout
from ._lock import Lock

log = logging.getLogger(__name__)

#: A temp file older than this is left by a killed save (a save takes milliseconds).
STALE_TEMP_SECONDS = 15 * 60

#: ``<date>_<kind>_<review id>.ipynb`` (``_layout.artifact_name``): the review whose lock
#: guards a temp file of that name.
_ARTIFACT_NAME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}_(?:session|case_review)_(?P<id>[a-z0-9][a-z0-9-]{2,63})"
    + re.escape(layout.ARTIFACT_SUFFIX)
    + "$"
)
_NAMES_FILE = re.compile(r"^(?P<id>[a-z0-9][a-z0-9-]{2,63})\.json$")


def clean_stale_temps(root: Path, max_age: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Remove the stale temp files of the workspace at ``root``; returns the files removed."""
    removed: list[Path] = []
    now = time.time()
    for area, pattern, purpose in (
        (layout.REVIEWS, _ARTIFACT_NAME, ""),
        (layout.DRAFTS, _ARTIFACT_NAME, ""),
        (layout.PRIVATE, _NAMES_FILE, "names"),
    ):
        for folder, _dirs, names in os.walk(root / area):  # never follows links
            for name in names:
                target = stale_temp_target(name)
                match = pattern.match(target) if target else None
                if match is None:
                    continue
                path = Path(folder) / name
                if _remove(root, path, match["id"], purpose, now - max_age):
                    removed.append(path)
    if removed:
        log.info("removed %d stale temp files of interrupted saves", len(removed))
    return removed


def _remove(root: Path, path: Path, key: str, purpose: str, before: float) -> bool:
    def stale() -> bool:
        info = path.lstat()
        return stat.S_ISREG(info.st_mode) and info.st_mtime < before

    try:
        if not stale():
            return False
        with Lock(layout.lock_file(root, key, purpose), timeout=0):
            if not stale():  # written again since we looked
                return False
            path.unlink()
    except (FileNotFoundError, LockTimeout):
        return False
    return True
