"""What a record's signatures say, in words, and whether its hours count.

A signed-off review's chain has one link for the sign-off and one per amendment; each link
may carry a signature (``model.Signature``). Because every chain hash covers the record's
data as it then was and every link before it, a signature on the *latest* link vouches for
the whole record. Hence the rules:

* a signature that does not match its link means the record was changed, or its hashes
  recomputed, after it was signed: the artifact is tampered (``artifact.integrity.verify``
  raises through :func:`first_mismatch`);
* an unsigned link after a signed one means the record was changed after it was signed,
  without a signed amendment: ``validate`` fails it;
* a signature by a key that neither the roster nor the workspace trusts proves nothing
  about who made it: ``validate`` fails it;
* hours count when the latest link is signed by a trusted key, or, in a workspace that
  trusts no key at all, as before keys existed (:func:`counts_hours`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ._crypto import signature_matches
from ._names import same_person

if TYPE_CHECKING:
    from ..model import Review, Signature
    from ._trust import TrustedKeys

State = Literal["no_signoff", "unsigned", "signed", "changed_after_signing", "untrusted"]

NOT_SIGNED = "not signed with a key"


@dataclass(frozen=True)
class Link:
    """One link of a record's chain: what it is called, and what its signature covers."""

    label: str
    purpose: str
    record_id: str
    chain_hash: str
    signature: Signature | None


@dataclass(frozen=True)
class Verdict:
    """``ok`` False means ``validate`` reports the record as a problem; ``text`` says why."""

    state: State
    ok: bool
    text: str


def links(review: Review) -> list[Link]:
    """The sign-off and the amendments of ``review`` as chain links (none if unsigned)."""
    if review.signoff is None:
        return []
    found = [
        Link("sign-off", "signoff", review.id, review.signoff.data_hash, review.signoff.signature)
    ]
    for number, amendment in enumerate(review.amendments, start=1):
        found.append(
            Link(
                f"amendment {number} ({amendment.id})",
                "amendment",
                f"{review.id}/{amendment.id}",
                amendment.chain_hash,
                amendment.signature,
            )
        )
    return found


def first_mismatch(review: Review) -> str | None:
    """A sentence naming the first signature that does not match its link, else ``None``."""
    for link in links(review):
        if link.signature is not None and not signature_matches(
            link.signature, link.purpose, link.record_id, link.chain_hash
        ):
            return (
                f"the signature on the {link.label} does not match the record: the record was "
                "changed, or its hashes recomputed, after it was signed"
            )
    return None


def hours_key(review: Review) -> str | None:
    """The key id that signed the latest link (``None``: unsigned, or no sign-off)."""
    chain = links(review)
    if not chain or chain[-1].signature is None:
        return None
    return chain[-1].signature.key_id


def counts_hours(last_key: str | None, trusted: TrustedKeys) -> bool:
    """Whether a sign-off whose latest link was signed by ``last_key`` counts in the hours.

    A workspace that trusts no key works as it did before keys existed, and counts every
    sign-off whose hash chain holds (which anyone can recompute: docs/signatures.md)."""
    if not trusted:
        return True
    return last_key is not None and trusted.get(last_key) is not None


def _short(kid: str) -> str:
    return kid[:16]


def verdict(review: Review, trusted: TrustedKeys) -> Verdict:
    """Signed by whom, or not signed, or the signature does not match (in words)."""
    chain = links(review)
    if not chain:
        return Verdict("no_signoff", True, "no sign-off")
    mismatch = first_mismatch(review)
    if mismatch is not None:
        return Verdict("changed_after_signing", False, mismatch)
    if all(link.signature is None for link in chain):
        who = review.signoff.supervisor if review.signoff else "?"
        return Verdict("unsigned", True, f"signed off as {who!r}, {NOT_SIGNED}")
    signed_seen = False
    parts: list[str] = []
    for link in chain:
        sig = link.signature
        if sig is None:
            if signed_seen:
                return Verdict(
                    "changed_after_signing",
                    False,
                    f"{link.label} is {NOT_SIGNED}, but an earlier part of the record was: it "
                    "was changed after it was signed, without a signed amendment",
                )
            parts.append(f"{link.label} {NOT_SIGNED}")
            continue
        signed_seen = True
        known = trusted.get(sig.key_id)
        if known is None:
            where = "the roster or this workspace's trusted keys"
            if not trusted:
                where = "any roster or trusted keys (none were found: see `keys list`)"
            return Verdict(
                "untrusted",
                False,
                f"{link.label} is signed with key {_short(sig.key_id)}, which is not in {where}; "
                f"the key calls itself {sig.signer!r}, which proves nothing",
            )
        parts.append(f"{link.label} signed by {known.signer} (key {_short(sig.key_id)})")
    signoff = review.signoff
    first = chain[0].signature
    if first is not None and signoff is not None:
        holder = trusted.get(first.key_id)
        if holder is not None and not same_person(holder.signer, signoff.supervisor):
            parts[0] += f"; the sign-off names {signoff.supervisor!r}"
    return Verdict("signed", True, "; ".join(parts))
