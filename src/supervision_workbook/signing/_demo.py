"""Signing keys for the synthetic demo, so that Binder shows signed records.

Why derived from the seed and not random: ``demo`` promises the same files for the same
seed (tests compare them byte for byte, and a process pool must write what one process
writes). Ed25519 signatures are deterministic, so a key derived from the seed keeps that
promise. The price is that anyone can derive these keys: they sign synthetic data only,
are marked as demo keys in ``keys list``, and must never sign a real record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ._crypto import SigningKey

DEMO_NOTE = "demo key, derived from the demo seed: anyone can recreate it; synthetic data only"


@lru_cache(maxsize=32)
def demo_key(seed: int, signer: str) -> SigningKey:
    """The demo key of ``signer`` for ``seed`` (the same every time)."""
    material = hashlib.sha256(f"supervision-workbook demo key\n{seed}\n{signer}".encode()).digest()
    return SigningKey.from_private(signer, material)


def install_demo_keys(workspace: Path, seed: int, signers: Iterable[str]) -> None:
    """Keep the demo supervisors' keys in ``workspace`` and trust them there."""
    from ._keys import store_key

    for signer in signers:
        store_key(workspace, demo_key(seed, signer), note=DEMO_NOTE)
