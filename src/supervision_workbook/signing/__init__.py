"""Signatures a trainee cannot forge: Ed25519 keys, trusted keys, verdicts in words.

Why a package of its own, beside ``artifact`` rather than inside it: keys and trust are
about people and files (a supervisor's key in their workspace, the program's roster), not
about the notebook format, and the records still to come (contracts, evaluations) sign the
same way. The package knows one thing about records: a *link* of a hash chain (purpose,
record id, chain hash) is what gets signed. ``artifact.integrity`` asks it to sign and check
review links; another record kind calls :func:`sign` and :func:`signature_matches` with its
own purpose and chain hash.

Public API::

    sign(key, purpose, record_id, chain_hash) -> model.Signature
    signature_matches(signature, purpose, record_id, chain_hash) -> bool
    SigningKey, create_key(workspace, signer), key_for(workspace, signer=None), own_keys()
    sign_links_made_here(review, workspace)   (Workspace.save: sign-offs made here get signed)
    TrustedKeys, trusted_keys(workspace, roster=None), add_trusted(), find_workspace(path)
    verdict(review, trusted) -> Verdict(state, ok, text), first_mismatch(review),
    hours_key(review), counts_hours(last_key, trusted), verdict_for_file(review, path)
    demo_key(signer), install_demo_keys(workspace, signers)
    SigningError

Importing this package does not import ``cryptography``; signing or checking does.
See docs/signatures.md for what a signature proves and what it does not.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ._crypto import SigningKey, sign, signature_matches
from ._demo import demo_key, install_demo_keys
from ._errors import SigningError
from ._keys import create_key, key_for, own_keys, store_key
from ._local import mark_made_here, sign_links_made_here
from ._trust import TrustedKey, TrustedKeys, add_trusted, find_workspace, trusted_keys
from ._verdict import NOT_SIGNED, Verdict, counts_hours, first_mismatch, hours_key, verdict

if TYPE_CHECKING:
    from ..model import Review


def verdict_for_file(
    review: Review,
    path: Path,
    cache: dict[Path | None, TrustedKeys] | None = None,
    *,
    workspace: Path | None = None,
) -> Verdict:
    """The verdict for ``review`` read from ``path``, against the keys trusted by the
    workspace that holds ``path`` (else by ``workspace``, the one its reader names) and by
    the configured roster. ``cache`` (a dict the caller keeps for one run, as ``validate``
    does over many files) reads them once per workspace."""
    root = find_workspace(path) or workspace
    cache = {} if cache is None else cache
    if root not in cache:
        cache[root] = trusted_keys(root)
    trusted = cache[root]
    found = verdict(review, trusted)
    if found.state == "untrusted" and trusted.problems:
        return Verdict(found.state, found.ok, f"{found.text} ({'; '.join(trusted.problems)})")
    return found


__all__ = [
    "NOT_SIGNED",
    "SigningError",
    "SigningKey",
    "TrustedKey",
    "TrustedKeys",
    "Verdict",
    "add_trusted",
    "counts_hours",
    "create_key",
    "demo_key",
    "find_workspace",
    "first_mismatch",
    "hours_key",
    "install_demo_keys",
    "key_for",
    "mark_made_here",
    "own_keys",
    "sign",
    "sign_links_made_here",
    "signature_matches",
    "store_key",
    "trusted_keys",
    "verdict",
    "verdict_for_file",
]
