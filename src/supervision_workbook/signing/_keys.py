"""A supervisor's own signing keys, kept in their workspace (see ``_files`` for the layout).

A key file holds the holder's name (as they want it shown), the public key and the private
key, each base64 of the raw 32 bytes::

    {"version": 1, "algorithm": "ed25519", "key_id": "...", "signer": "Dr. Ruth Kay",
     "created": "2026-03-02T09:00:00Z", "public_key": "...", "private_key": "..."}

Creating a key also adds its public key to the workspace's trusted keys: a sign-off made in
this workspace with its own key is one the workspace can vouch for. The program learns the
public key from ``keys list`` and puts it in the roster.
"""

from __future__ import annotations

from pathlib import Path

from ..model import utcnow
from ._crypto import SigningKey, key_id, unb64
from ._errors import SigningError
from ._files import (
    KEY_SUFFIX,
    check_private,
    ensure_keys_dir,
    keys_dir,
    read_json,
    write_private,
)
from ._names import clean_name, same_person


def _load_key(path: Path) -> SigningKey:
    check_private(path, "the private key")
    raw = read_json(path, "the private key")
    try:
        signer = clean_name(raw["signer"])
        private = unb64(str(raw["private_key"]), 32, "private_key")
        key = SigningKey.from_private(signer, private)
    except KeyError as exc:
        raise SigningError(f"{path}: the key file has no {exc.args[0]!r}") from None
    except ValueError as exc:
        raise SigningError(f"{path}: {exc}") from None
    if raw.get("key_id") != key.key_id or raw.get("public_key") != key.public_b64:
        raise SigningError(f"{path}: the key file's public key does not match its private key")
    return key


def own_keys(workspace: Path) -> list[SigningKey]:
    """The private keys kept in ``workspace`` (none: an empty list), oldest file name first.

    Raises :class:`SigningError` for a key folder or key file others could read.
    """
    folder = keys_dir(workspace)
    if not folder.is_dir():
        return []
    check_private(folder, "the keys folder")
    return [_load_key(path) for path in sorted(folder.glob(f"*{KEY_SUFFIX}"))]


def key_for(workspace: Path, signer: str | None = None) -> SigningKey | None:
    """The key to sign with in ``workspace``: the one whose holder is ``signer``, else the
    workspace's only key; ``None`` when there is no key (the record is then not signed)."""
    keys = own_keys(workspace)
    if signer is not None:
        for key in keys:
            if same_person(key.signer, signer):
                return key
    return keys[0] if len(keys) == 1 else None


def store_key(workspace: Path, key: SigningKey, *, note: str = "") -> Path:
    """Write ``key`` into ``workspace/keys`` (0600) and trust its public key there.

    An existing file for the same key is left alone (idempotent); a different key for the
    same person is refused, so nobody loses a key by running a command twice.
    """
    from ._trust import add_trusted

    folder = ensure_keys_dir(workspace)
    check_private(folder, "the keys folder")
    path = folder / f"{key.key_id}{KEY_SUFFIX}"
    if not path.exists():
        for other in own_keys(workspace):
            if same_person(other.signer, key.signer):
                raise SigningError(
                    f"{workspace}: {key.signer} already has a key here ({other.key_id}); "
                    "one key per person"
                )
        data = {
            "version": 1,
            "algorithm": "ed25519",
            "key_id": key.key_id,
            "signer": key.signer,
            "created": utcnow().isoformat().replace("+00:00", "Z"),
            "public_key": key.public_b64,
            "private_key": _b64_private(key),
        }
        write_private(path, data, exclusive=True)
    add_trusted(workspace, key.public_b64, key.signer, note or "a key of this workspace")
    return path


def _b64_private(key: SigningKey) -> str:
    from ._crypto import b64

    return b64(key.private)


def create_key(workspace: Path, signer: str) -> tuple[SigningKey, Path]:
    """Make a new key for ``signer`` in ``workspace`` and trust it; returns it and its file."""
    key = SigningKey.generate(clean_name(signer))
    return key, store_key(workspace, key)


__all__ = ["create_key", "key_for", "key_id", "own_keys", "store_key"]
