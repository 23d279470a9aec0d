"""Signing keys for the synthetic demo, so that Binder shows signed records.

Why derived and not random: ``demo`` promises the same files for the same seed (tests
compare them byte for byte, and a process pool must write what one process writes).
Ed25519 signatures are deterministic, so a key derived from a fixed phrase and the
supervisor's name keeps that promise. The seed is left out on purpose: ``demo --add`` and
``demo --replace`` with another seed must find the same key for the same demo supervisor
(a workspace holds one key per person). The price is that anyone can derive these keys:
they sign synthetic data only, are marked as demo keys in ``keys list``, and must never sign
a real record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ._crypto import SigningKey

DEMO_NOTE = "demo key, derived from a published phrase: anyone can recreate it; synthetic data only"


@lru_cache(maxsize=32)
def demo_key(signer: str) -> SigningKey:
    """The demo key of ``signer`` (the same every time, for every seed)."""
    material = hashlib.sha256(f"supervision-workbook demo key\n{signer}".encode()).digest()
    return SigningKey.from_private(signer, material)


def install_demo_keys(workspace: Path, signers: Iterable[str]) -> None:
    """Keep the demo supervisors' keys in ``workspace`` and trust them there."""
    from ._keys import store_key

    for signer in signers:
        store_key(workspace, demo_key(signer), note=DEMO_NOTE)
