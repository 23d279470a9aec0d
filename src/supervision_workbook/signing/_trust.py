"""Whose key is this? The public keys a workspace believes, and where each belief comes from.

Two sources, merged:

* **the program's roster** (``roster.json``'s ``supervisors`` block, found as the exchange
  finds it: ``$SUPERVISION_WORKBOOK_ROSTER``, else ``$SUPERVISION_WORKBOOK_EXCHANGE/roster.json``).
  Its name for a key wins over the workspace's.
* **the workspace's own list**, ``keys/trusted.json``, for a workspace without an exchange
  (a laptop, Binder) or for keys the program has not listed yet::

      {"version": 1, "keys": [{"signer": "Dr. Ruth Kay", "public_key": "<base64>",
                               "note": "a key of this workspace"}]}

  ``keys create`` adds the workspace's own keys; ``keys trust`` adds others.

A signature is only ever as good as these lists: someone who can edit the roster or
``trusted.json`` can make any key "trusted". Both are refused when accounts other than their
owner could change them, and a source that cannot be read is reported, never half-believed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ._crypto import b64, key_id, unb64
from ._errors import SigningError
from ._files import (
    TRUSTED_NAME,
    check_not_writable_by_others,
    ensure_keys_dir,
    keys_dir,
    read_json,
    write_private,
)

WORKSPACE_MARKER = "supervision-workbook.toml"


@dataclass(frozen=True)
class TrustedKey:
    key_id: str
    public_key: str
    signer: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class TrustedKeys:
    """The trusted keys by key id, and the problems met while collecting them."""

    keys: Mapping[str, TrustedKey] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    def get(self, kid: str) -> TrustedKey | None:
        return self.keys.get(kid)

    def __bool__(self) -> bool:
        return bool(self.keys)

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[TrustedKey]:
        return iter(sorted(self.keys.values(), key=lambda k: (k.signer.casefold(), k.key_id)))

    def fingerprint(self) -> str:
        """Changes whenever a key is trusted or no longer trusted, or renamed."""
        digest = hashlib.sha256()
        for key in self:
            digest.update(f"{key.key_id}\t{key.signer}\n".encode())
        return digest.hexdigest()


def _entry(raw: object, where: str, source: str) -> TrustedKey:
    from ._names import clean_name

    if not isinstance(raw, dict):
        raise SigningError(f"{where}: each key must be an object with 'signer' and 'public_key'")
    try:
        public = unb64(str(raw.get("public_key", "")), 32, "'public_key'")
        signer = clean_name(str(raw.get("signer", "")))
    except ValueError as exc:
        raise SigningError(f"{where}: {exc}") from None
    return TrustedKey(key_id(public), b64(public), signer, source, str(raw.get("note", ""))[:200])


def workspace_trusted(workspace: Path) -> list[TrustedKey]:
    """The entries of ``keys/trusted.json`` (none when the file does not exist)."""
    path = keys_dir(workspace) / TRUSTED_NAME
    if not path.is_file():
        return []
    check_not_writable_by_others(path.parent, "the keys folder")
    check_not_writable_by_others(path, "the trusted keys file")
    raw = read_json(path, "the trusted keys file")
    entries = raw.get("keys")
    if raw.get("version") != 1 or not isinstance(entries, list):
        raise SigningError(f'{path}: expected {{"version": 1, "keys": [...]}}')
    return [
        _entry(item, f"{path}: key {n}", "this workspace")
        for n, item in enumerate(entries, start=1)
    ]


def add_trusted(workspace: Path, public_key: str, signer: str, note: str = "") -> TrustedKey:
    """Trust ``public_key`` as ``signer``'s key in ``workspace`` (renames a known key)."""
    entry = _entry(
        {"public_key": public_key, "signer": signer, "note": note}, "the key", "this workspace"
    )
    folder = ensure_keys_dir(workspace)
    current = [k for k in workspace_trusted(workspace) if k.key_id != entry.key_id]
    keys = [
        {"signer": k.signer, "public_key": k.public_key, "key_id": k.key_id, "note": k.note}
        for k in [*current, entry]
    ]
    write_private(folder / TRUSTED_NAME, {"version": 1, "keys": keys})
    return entry


def roster_file(environ: Mapping[str, str] | None = None) -> Path | None:
    """The program roster this process uses, if any (the exchange's own rule)."""
    from ..exchange.roster import EXCHANGE_ENV, ROSTER_ENV, roster_path

    env = os.environ if environ is None else environ
    explicit = env.get(ROSTER_ENV, "").strip()
    if explicit:
        return Path(explicit)
    root = env.get(EXCHANGE_ENV, "").strip()
    return roster_path(Path(root)) if root else None


def roster_trusted(path: Path) -> list[TrustedKey]:
    """The supervisors' keys of the roster at ``path`` (raises ``ExchangeError``)."""
    from ..exchange.roster import load_roster

    roster = load_roster(path)
    source = f"the roster {path}"
    return [
        _entry({"public_key": key, "signer": name}, source, source)
        for name, key in roster.signing_keys()
    ]


def trusted_keys(
    workspace: Path | None,
    *,
    roster: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> TrustedKeys:
    """Every key ``workspace`` trusts: the roster's (``roster``, else the configured one)
    and ``keys/trusted.json``'s. Unreadable sources become ``problems``, never errors."""
    from ..exchange._errors import ExchangeError

    keys: dict[str, TrustedKey] = {}
    problems: list[str] = []
    path = roster if roster is not None else roster_file(environ)
    if path is not None:
        try:
            for key in roster_trusted(path):
                keys.setdefault(key.key_id, key)
        except (ExchangeError, SigningError) as exc:
            problems.append(f"{exc}; its keys are not trusted")
    if workspace is not None:
        try:
            for key in workspace_trusted(workspace):
                keys.setdefault(key.key_id, key)
        except SigningError as exc:
            problems.append(f"{exc}; its keys are not trusted")
    return TrustedKeys(keys, tuple(problems))


def find_workspace(path: Path) -> Path | None:
    """The workspace that holds ``path`` (a file or folder inside it), if any."""
    here = Path(path).resolve()
    for folder in (here, *here.parents):
        if (folder / WORKSPACE_MARKER).is_file():
            return folder
    return None
