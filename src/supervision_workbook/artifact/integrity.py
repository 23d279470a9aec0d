"""Canonical hashes, sign-off and the amendment chain (docs/ARCHITECTURE.md).

After a supervisor signs a review off, its record may change only by appended amendments
(who, when, what, why). Three hashes make a later hand edit visible:

* ``content_hash(review)``: sha256 of the canonical JSON of the whole record. The artifact
  stores it beside the record, and the store uses it to detect concurrent writers.
* ``SignOff.data_hash``: sha256 of the record's *data* (everything except the amendment
  list and this hash itself) at the moment of sign-off. :func:`sign_off` sets it.
* ``Amendment.data_hash`` and ``Amendment.chain_hash``: each amendment records the data hash
  it produced, and seals it with
  ``chain_hash = sha256(previous chain hash (or SignOff.data_hash) + "\\n" +
  canonical JSON of the amendment without chain_hash + "\\n" + data hash after it)``.
  :func:`verify` recomputes every link, and checks that the last data hash (or the
  sign-off's, when there is no amendment) is the hash of the record as it is now. So an
  edit made by hand, even by someone who also recomputes ``content_hash``, is refused.

What this does *not* do, plainly: the hashes carry no secret key. Anyone who understands
this module can edit a record and recompute every hash in the chain, or strip the sign-off
and present the record as a draft. The chain detects accidental and casual edits; it is not
a defence against a determined forger. Keep signed artifacts where the trainee cannot
write (the supervisor's own store, or a read-only exchange folder), and compare against
the hash recorded there when it matters.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from ..model import Amendment, Review, SignOff, Status, new_id, utcnow
from ._errors import TamperedArtifact

__all__ = [
    "ZERO_HASH",
    "IntegrityError",
    "amend",
    "canonical_json",
    "content_hash",
    "data_hash",
    "sign_off",
    "verify",
]

ZERO_HASH = "0" * 64
"""The placeholder that model fields hold until this module computes the real hash."""

#: Paths an amendment may not touch: identity, lifecycle and the integrity fields.
_FROZEN = ("id", "kind", "status", "amendments", "signoff.data_hash")


class IntegrityError(ValueError):
    """A sign-off or amendment that cannot be made (the message says why)."""


def _canonical(obj: object, *, allow_nan: bool = True) -> str:
    """``allow_nan=False`` refuses NaN and infinities (``ValueError``) instead of writing
    them as the non-JSON words ``NaN`` and ``Infinity``; finite data gives the same text."""
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=allow_nan
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_json(review: Review) -> str:
    """The one JSON text of a record that every hash is computed over: keys sorted, no
    whitespace, unicode kept as is."""
    return _canonical(review.model_dump(mode="json"))


def content_hash(review: Review) -> str:
    """sha256 (hex) of :func:`canonical_json`."""
    return _sha256(canonical_json(review))


def data_hash(review: Review) -> str:
    """sha256 of the record's data: everything but the amendment list and the sign-off's own
    ``data_hash``. This is what a signature covers and what amendments move forward."""
    data: dict[str, Any] = review.model_dump(mode="json", exclude={"amendments"})
    if data.get("signoff") is not None:
        data["signoff"].pop("data_hash", None)
    return _sha256(_canonical(data))


def _link(previous: str, amendment: Amendment) -> str:
    body = _canonical(amendment.model_dump(mode="json", exclude={"chain_hash"}))
    return _sha256(f"{previous}\n{body}\n{amendment.data_hash}")


def sign_off(review: Review, signoff: SignOff) -> Review:
    """A copy of ``review`` signed off by ``signoff``, with the signed data hash recorded.

    Refuses a review that is already signed off: a second signature would hide what the
    first one covered. Later changes go through :func:`amend`.
    """
    if review.signoff is not None or review.status is Status.signed_off:
        raise IntegrityError(
            f"review {review.id} is already signed off; change it with an amendment instead"
        )
    if review.amendments:
        raise IntegrityError(f"review {review.id} has amendments but no sign-off")
    signed = review.model_copy(
        update={
            "status": Status.signed_off,
            "signoff": signoff.model_copy(update={"data_hash": ZERO_HASH}),
        },
        deep=True,
    )
    assert signed.signoff is not None
    signed.signoff.data_hash = data_hash(signed)
    return signed


def _set_path(data: dict[str, Any], path: str, value: object) -> None:
    parts = path.split(".")
    node: Any = data
    for depth, part in enumerate(parts):
        here = ".".join(parts[: depth + 1])
        last = depth == len(parts) - 1
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise IntegrityError(
                    f"change '{path}': '{here}' is not an existing position (0 to {len(node) - 1})"
                )
            index = int(part)
            if last:
                node[index] = value
            else:
                node = node[index]
        elif isinstance(node, dict):
            if last:
                node[part] = value
            elif part not in node or node[part] is None:
                raise IntegrityError(f"change '{path}': '{here}' does not exist in this record")
            else:
                node = node[part]
        else:
            raise IntegrityError(
                f"change '{path}': '{'.'.join(parts[:depth])}' holds a value, not fields"
            )


def _get_path(data: Any, path: str) -> object:
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def amend(
    review: Review,
    author: str,
    why: str,
    changes: Mapping[str, object],
    *,
    at: datetime | None = None,
) -> Review:
    """A copy of a signed-off ``review`` with ``changes`` applied and an amendment appended.

    ``changes`` maps dotted field paths (``goals``, ``sessions.2.notes``,
    ``signoff.minutes``) to new values. The result is validated like any record; the
    amendment stores each new value in its JSON form, the data hash it produced and its
    chain hash. ``at`` defaults to now (pass it for reproducible records).
    """
    if review.signoff is None or review.status is not Status.signed_off:
        raise IntegrityError(
            f"review {review.id} is not signed off: edit it directly; amendments record "
            "changes made after sign-off"
        )
    if not changes:
        raise IntegrityError("an amendment needs at least one change")
    verify(review, source=f"review {review.id}")
    data: dict[str, Any] = review.model_dump(mode="json")
    for path in changes:
        if any(path == f or path.startswith(f + ".") for f in _FROZEN):
            raise IntegrityError(f"change '{path}': this field cannot be amended")
        _set_path(data, path, changes[path])
    try:
        amended = Review.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"'{'.'.join(str(p) for p in err['loc'])}': {err['msg']}" for err in exc.errors()
        )
        raise IntegrityError(f"the amended record is not valid: {problems}") from exc
    stored = amended.model_dump(mode="json")
    amendment = Amendment(
        id=new_id("am"),
        author=author,
        at=at or utcnow(),
        why=why,
        changes={path: _get_path(stored, path) for path in sorted(changes)},
        data_hash=data_hash(amended),
    )
    previous = review.amendments[-1].chain_hash if review.amendments else review.signoff.data_hash
    amendment.chain_hash = _link(previous, amendment)
    amended.amendments = [*review.amendments, amendment]
    return amended


def verify(review: Review, source: str = "record") -> None:
    """Raise :class:`TamperedArtifact` unless the sign-off and amendment chain recompute.

    A record that was never signed off has nothing to verify (and may have no amendments).
    """
    signoff = review.signoff
    if signoff is None:
        if review.status is Status.signed_off:
            raise TamperedArtifact(source, "status is 'signed_off' but there is no sign-off")
        if review.amendments:
            raise TamperedArtifact(source, "has amendments but no sign-off")
        return
    if review.status is not Status.signed_off:
        raise TamperedArtifact(source, f"has a sign-off but its status is '{review.status.value}'")
    if signoff.data_hash == ZERO_HASH:
        raise TamperedArtifact(
            source, "the sign-off carries no data hash (it was not made with sign_off)"
        )
    previous = signoff.data_hash
    for number, amendment in enumerate(review.amendments, start=1):
        if _link(previous, amendment) != amendment.chain_hash:
            raise TamperedArtifact(
                source,
                f"amendment {number} ({amendment.id}) does not match its chain hash: an "
                "amendment was edited, removed, inserted or reordered after it was made",
            )
        previous = amendment.chain_hash
    expected = review.amendments[-1].data_hash if review.amendments else signoff.data_hash
    if data_hash(review) != expected:
        after = f"amendment {len(review.amendments)}" if review.amendments else "sign-off"
        raise TamperedArtifact(
            source,
            f"the record was changed after its {after} without an amendment "
            "(its data no longer matches the signed hash)",
        )
