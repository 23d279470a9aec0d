"""Ed25519 over one link of a hash chain: the only module that touches ``cryptography``.

Why Ed25519 through ``cryptography``: small keys and signatures (32 and 64 bytes, easy to
paste into a roster), deterministic signatures (the same key and record always give the
same bytes, so a seeded demo stays byte-for-byte reproducible), and a maintained library
instead of hand-written curve arithmetic.

What is signed is never the record itself but a short, domain-separated statement about one
link of its hash chain::

    supervision-workbook signature v1
    <purpose>          signoff | amendment | (later) contract, evaluation ...
    <record id>        the review id; for an amendment "<review id>/<amendment id>"
    <chain hash>       SignOff.data_hash, or Amendment.chain_hash

The chain hash already covers every field of the record (see ``artifact.integrity``), so a
signature over it covers the record; the purpose and id stop a signature being lifted from
one record or link onto another. Any record kind with a hash chain can use :func:`sign` and
:func:`signature_matches` as they are.

``cryptography`` is imported inside the functions: unsigned records never pay for it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field

from ..model import Signature

PREFIX = "supervision-workbook signature v1"
PURPOSES = frozenset({"signoff", "amendment", "contract", "evaluation"})


def key_id(public_key: bytes) -> str:
    """First 32 hex digits (128 bits) of sha256(raw public key): short enough to read out."""
    return hashlib.sha256(public_key).hexdigest()[:32]


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def unb64(text: str, size: int, what: str) -> bytes:
    """Decode base64 of exactly ``size`` bytes, or ``ValueError`` naming ``what``."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{what} is not base64") from None
    if len(raw) != size:
        raise ValueError(f"{what} must be {size} bytes, not {len(raw)}")
    return raw


def message(purpose: str, record_id: str, chain_hash: str) -> bytes:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown signature purpose {purpose!r}")
    return f"{PREFIX}\n{purpose}\n{record_id}\n{chain_hash}".encode()


@dataclass(frozen=True)
class SigningKey:
    """A private key and the name of the person who holds it (kept out of ``repr``)."""

    signer: str
    private: bytes = field(repr=False)
    public: bytes

    @classmethod
    def from_private(cls, signer: str, private: bytes) -> SigningKey:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        key = Ed25519PrivateKey.from_private_bytes(private)
        return cls(signer, private, _raw_public(key.public_key()))

    @classmethod
    def generate(cls, signer: str) -> SigningKey:
        import os

        return cls.from_private(signer, os.urandom(32))

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    @property
    def public_b64(self) -> str:
        return b64(self.public)


def _raw_public(public_key: object) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)  # type: ignore[attr-defined]


def sign(key: SigningKey, purpose: str, record_id: str, chain_hash: str) -> Signature:
    """Sign one link of a record's chain with ``key``."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.from_private_bytes(key.private)
    value = private.sign(message(purpose, record_id, chain_hash))
    return Signature(
        key_id=key.key_id, public_key=key.public_b64, signer=key.signer, value=b64(value)
    )


def signature_matches(signature: Signature, purpose: str, record_id: str, chain_hash: str) -> bool:
    """True when ``signature`` was made by its own public key over this link.

    This says nothing about whose key it is: that is :class:`~.TrustedKeys`'s question.
    """
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        public = unb64(signature.public_key, 32, "public key")
        value = unb64(signature.value, 64, "signature")
    except ValueError:
        return False
    if key_id(public) != signature.key_id:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(
            value, message(purpose, record_id, chain_hash)
        )
    except (InvalidSignature, ValueError):
        return False
    return True
