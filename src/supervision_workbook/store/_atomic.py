"""Atomic file replacement: a reader sees the old file or the new one, never half of either.

Why this dance (temp file in the *same* folder, write, flush, fsync, ``os.replace``, fsync
the folder): ``os.replace`` is atomic only within one file system, so the temp file must sit
beside its target; fsync before the rename makes sure the new bytes are on disk before the
name points at them (otherwise a power cut can leave an empty file under the old name); and
fsync of the folder makes the rename itself durable. If anything fails before the rename,
the temp file is removed and the previous version is untouched.

Temp files are hidden (``.name.XXXX.tmp``) so that walkers that skip dot-files never see a
half-written artifact. A save killed between ``mkstemp`` and the rename (a kernel stopped,
a power cut) leaves its temp file behind, with the full clinical content of the review;
:func:`stale_temp_target` recognises exactly our own names so that ``Workspace`` can
remove old ones under the review's lock, never a file a live save is still writing.

Signed records are written read-only (``read_only=True``: the write bits are cleared), so
that JupyterLab or another editor asks before it writes over one. The store's own
amendments still replace them: a rename needs write permission on the folder, not on the
file.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".tmp"

#: ``mkstemp``'s names: our prefix ``.<target>.``, eight characters from its alphabet, and
#: our suffix. Anything else is not ours and is never removed.
_TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + "$")

_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def is_temp_name(name: str) -> bool:
    """True for the names :func:`atomic_write_bytes` uses for its temp files."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def stale_temp_target(name: str) -> str | None:
    """The name of the file a temp file of ours was replacing, or None when ``name`` is
    not exactly one of our temp names."""
    match = _TEMP_NAME.match(name)
    return match["target"] if match else None


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable. Not possible on Windows, where it is skipped."""
    if os.name == "nt":  # pragma: no cover - no directory handles on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, *, read_only: bool = False) -> None:
    """Replace ``path`` with ``data`` atomically (see the module docstring).

    New files are created readable by their owner only (``mkstemp``'s 0600): these are
    clinical records, and sharing them is the exchange layer's explicit job. A file that
    already exists keeps its permission bits, so an administrator's choice survives saves.
    ``read_only=True`` clears the write bits of the result (a signed record).
    """
    path = Path(path)
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = stat.S_IMODE(path.stat().st_mode) | stat.S_IRUSR
        except FileNotFoundError:
            mode = None
        if read_only:
            mode = (0o600 if mode is None else mode) & ~_WRITE_BITS
        if mode is not None:
            tmp.chmod(mode)
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(folder)


def atomic_write_text(path: Path, text: str, *, read_only: bool = False) -> None:
    """Replace ``path`` with UTF-8 ``text`` atomically; line endings are written as given."""
    atomic_write_bytes(Path(path), text.encode("utf-8"), read_only=read_only)
