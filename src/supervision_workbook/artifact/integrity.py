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

Numbers are hashed by meaning where the notebook format lets a tool rewrite them. An
amendment's ``changes`` hold free JSON values (the one untyped part of a record), and
JupyterLab writes a JSON number ``3.0`` back as ``3`` when it saves a notebook. Every other
number in a record passes through a typed model field, which turns ``3`` back into ``3.0``.
So the canonical text behind ``content_hash`` and ``chain_hash`` writes an integral float in
those values as an integer (:func:`_by_meaning`). Files sealed before this rule carried
``3.0``; :func:`verify` and :func:`accepts_content_hash` accept that older form too, so no
signed record goes bad, and neither form can be produced without the data it covers.

The hashes alone carry no secret: anyone who understands this module can edit a record and
recompute every hash in the chain. So each link may also carry an Ed25519 signature
(``SignOff.signature``, ``Amendment.signature``) made with the supervisor's key by
``supervision_workbook.signing``: pass ``key=`` to :func:`sign_off` and :func:`amend`. A
signature covers its link's hash and is itself left out of every hash (it cannot sign
itself). :func:`verify` refuses a record whose signature no longer matches its link, which
is what a record edited and re-hashed after signing looks like. *Whose* key signed is a
question for the roster, answered by ``signing.verdict`` (``validate`` prints it). A record
signed without a key can still be stripped of its sign-off or re-hashed: see
docs/signatures.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..model import Amendment, Review, SignOff, Status, new_id, utcnow
from ._errors import TamperedArtifact

if TYPE_CHECKING:  # ``signing`` is imported when a record is signed or carries a signature,
    # so a kernel re-executing an unsigned artifact never loads it.
    from ..signing import SigningKey

__all__ = [
    "ZERO_HASH",
    "IntegrityError",
    "accepts_content_hash",
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
_FROZEN = ("id", "kind", "status", "amendments", "signoff.data_hash", "signoff.signature")


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


def _integral(value: Any) -> Any:
    """``value`` with every integral float written as an int (``3.0`` -> ``3``)."""
    kind = type(value)
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is list:
        return [_integral(v) for v in value]
    if kind is dict:
        return {k: _integral(v) for k, v in value.items()}
    return value


def _by_meaning(record: dict[str, Any]) -> dict[str, Any]:
    """A dumped record whose amendment ``changes`` hold numbers by meaning (see the module
    docstring); the dump is changed in place and returned. Cheap: most records have no
    amendments, and the typed fields are left alone."""
    for amendment in record.get("amendments") or ():
        if isinstance(amendment, dict) and isinstance(amendment.get("changes"), dict):
            amendment["changes"] = _integral(amendment["changes"])
    return record


def canonical_json(review: Review) -> str:
    """The one JSON text of a record that every hash is computed over: keys sorted, no
    whitespace, unicode kept as is, amendment values' numbers by meaning."""
    return _canonical(_by_meaning(review.model_dump(mode="json")))


def content_hash(review: Review) -> str:
    """sha256 (hex) of :func:`canonical_json`."""
    return _sha256(canonical_json(review))


def accepts_content_hash(review: Review, stored: str) -> bool:
    """True when ``stored`` is the content hash of ``review``, in today's form or in the
    form files were sealed with before numbers were hashed by meaning."""
    return stored == content_hash(review) or (
        bool(review.amendments) and stored == _sha256(_canonical(review.model_dump(mode="json")))
    )


def data_hash(review: Review) -> str:
    """sha256 of the record's data: everything but the amendment list and the sign-off's own
    ``data_hash`` and ``signature``. This is what a signature covers and what amendments
    move forward."""
    data: dict[str, Any] = review.model_dump(mode="json", exclude={"amendments"})
    if data.get("signoff") is not None:
        data["signoff"].pop("data_hash", None)
        data["signoff"].pop("signature", None)
    return _sha256(_canonical(data))


def _link(previous: str, amendment: Amendment, *, legacy: bool = False) -> str:
    """The chain hash sealing ``amendment`` after ``previous``. ``legacy=True``: the form
    sealed before amendment values were hashed by meaning (module docstring)."""
    body: dict[str, Any] = amendment.model_dump(mode="json", exclude={"chain_hash", "signature"})
    if not legacy:
        body["changes"] = _integral(body["changes"])
    return _sha256(f"{previous}\n{_canonical(body)}\n{amendment.data_hash}")


def sign_off(review: Review, signoff: SignOff, *, key: SigningKey | None = None) -> Review:
    """A copy of ``review`` signed off by ``signoff``, with the signed data hash recorded,
    and signed with ``key`` when one is given (``signing.key_for(workspace, supervisor)``).

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
            "signoff": signoff.model_copy(update={"data_hash": ZERO_HASH, "signature": None}),
        },
        deep=True,
    )
    assert signed.signoff is not None
    signed.signoff.data_hash = data_hash(signed)
    from ..signing import mark_made_here, sign

    mark_made_here(signed.signoff)  # Workspace.save signs it if no key is given here
    if key is not None:
        signed.signoff.signature = sign(key, "signoff", signed.id, signed.signoff.data_hash)
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
    key: SigningKey | None = None,
) -> Review:
    """A copy of a signed-off ``review`` with ``changes`` applied and an amendment appended,
    signed with ``key`` when one is given.

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
    from ..signing import mark_made_here, sign

    mark_made_here(amendment)
    if key is not None:
        amendment.signature = sign(
            key, "amendment", f"{review.id}/{amendment.id}", amendment.chain_hash
        )
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
        if amendment.chain_hash not in (
            _link(previous, amendment),
            _link(previous, amendment, legacy=True),
        ):
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
    if signoff.signature is not None or any(a.signature for a in review.amendments):
        from ..signing import first_mismatch

        mismatch = first_mismatch(review)
        if mismatch is not None:
            raise TamperedArtifact(source, mismatch)
