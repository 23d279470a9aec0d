"""The ``keys/`` folder of a workspace: private keys and the trusted public keys.

Layout (created by ``supervision-workbook keys create``)::

    keys/                 0700  only the workspace's owner can list or enter it
        <key id>.key      0600  one private key per file (JSON: signer, public and private key)
        trusted.json      0600  public keys whose signatures this workspace believes

Why files with owner-only permissions and no passphrase: the workbook signs inside a Voila
kernel, where nobody can type a passphrase. The protection is the operating system's: the
key files are refused when another account could read them, as ssh refuses a private key
that others can read. Anyone who can act as the workspace's owner (or as root) can sign as
them; docs/signatures.md says so.

Writes are atomic (a temp file in the same folder, then ``os.replace``) and every file is
created with its final mode, so a key is never readable by others, even for a moment.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from ._errors import SigningError

KEYS = "keys"
TRUSTED_NAME = "trusted.json"
KEY_SUFFIX = ".key"
DIR_MODE = 0o700
FILE_MODE = 0o600
_POSIX = os.name == "posix"


def keys_dir(workspace: Path) -> Path:
    return Path(workspace) / KEYS


def ensure_keys_dir(workspace: Path) -> Path:
    """``keys/``, created 0700 (and tightened to 0700 if it already exists)."""
    folder = keys_dir(workspace)
    folder.mkdir(mode=DIR_MODE, exist_ok=True)
    if _POSIX:
        folder.chmod(DIR_MODE)
    return folder


def check_private(path: Path, what: str) -> None:
    """Refuse ``path`` unless only its owner (this account) can read or write it."""
    if not _POSIX:  # pragma: no cover - permissions are ACLs there
        return
    info = path.stat()
    if info.st_uid != os.geteuid():
        raise SigningError(f"{path}: {what} belongs to another account; refusing to use it")
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        fix = "700" if path.is_dir() else "600"
        raise SigningError(
            f"{path}: {what} can be read or changed by other accounts (mode {mode:o}); "
            f"refusing to use it. Make it private: chmod {fix} {path}"
        )


def check_not_writable_by_others(path: Path, what: str) -> None:
    """Refuse ``path`` when an account other than its owner could change it."""
    if not _POSIX:  # pragma: no cover
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise SigningError(
            f"{path}: {what} is writable by other accounts (mode {mode:o}); refusing to "
            f"trust it. Make it writable by its owner only: chmod go-w {path}"
        )


def write_private(path: Path, data: dict[str, Any], *, exclusive: bool = False) -> None:
    """Write ``data`` as JSON to ``path`` with mode 0600, atomically.

    ``exclusive``: fail with ``FileExistsError`` if ``path`` exists (never replace a key).
    """
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if exclusive:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        _write_fd(fd, path, text)
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        _write_fd(fd, tmp, text)
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _write_fd(fd: int, path: Path, text: str) -> None:
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SigningError(f"{path}: cannot read {what}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise SigningError(
            f"{path}: {what} is not valid JSON ({exc.msg}, line {exc.lineno})"
        ) from None
    if not isinstance(raw, dict):
        raise SigningError(f"{path}: {what} must be a JSON object")
    return raw
