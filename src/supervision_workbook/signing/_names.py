"""Signers' names: how a name is cleaned, and when two names are the same person.

A module of its own because both the keys (``_keys``) and the trusted-key lists (``_trust``)
need it, and ``_keys`` already writes to the trusted list: one rule, imported by both, keeps
the two from importing each other.
"""

from __future__ import annotations

from ._errors import SigningError

MAX_NAME = 120


def clean_name(name: str) -> str:
    """A person's name as shown: whitespace collapsed, 1 to 120 characters."""
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise SigningError("the signer's name is empty: give the name the records show")
    if len(cleaned) > MAX_NAME:
        raise SigningError(f"the signer's name is longer than {MAX_NAME} characters")
    return cleaned


def same_person(a: str, b: str) -> bool:
    """True when two names differ only in case and spacing."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
