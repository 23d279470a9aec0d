"""The meeting's records: check-in, action items, flag marks, and the signed links.

A sign-off and the amendments after it are the links of a record's hash chain
(``artifact.integrity``); each may carry a key :class:`Signature` (``signing``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_serializer, model_validator

from ._base import (
    NAME_MAX_LENGTH,
    SIGNOFF_MINUTES_MAX,
    SIGNOFF_MINUTES_MIN,
    FreeText,
    Id,
    _absent,
    _Model,
    _unset,
)
from ._session import InstrumentResponse

_DAY = timedelta(days=1)

#: How supervision was given. Live observation and review of a recording are the formats in
#: which the supervisor saw the trainee's clinical work itself.
SupervisionFormat = Literal[
    "individual", "triadic", "group", "live_observation", "recording_review"
]
#: In the same room, or by video (telesupervision).
Modality = Literal["in_person", "video"]


class SupervisionCheckin(_Model):
    """The supervisory alliance, rated by both people in the meeting."""

    id: Id
    date: date
    responses: list[InstrumentResponse] = Field(default_factory=list)


class ActionItem(_Model):
    """Something agreed in the meeting: who does it (``owner``) and by when (``due``)."""

    id: Id
    text: FreeText
    done: bool = False
    owner: Literal["", "supervisor", "supervisee"] = Field(default="", exclude_if=_absent)
    due: date | None = Field(default=None, exclude_if=_absent)


FlagMarkKind = Literal["noted", "discussed", "action_agreed"]


class FlagMark(_Model):
    """How one flag was handled in the meeting. ``flag`` is the alert's ``key`` (rule,
    session and what it is about; see ``alerts.Alert.key``), so a mark survives a reload."""

    flag: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    mark: FlagMarkKind


class Signature(_Model):
    """An Ed25519 signature over one link of a record's hash chain (``signing`` makes it).

    ``public_key`` travels with the signature so that anyone can check that it matches the
    record; *whose* key it is comes only from a roster or the workspace's trusted keys,
    never from ``signer``, which is the name the key's holder gave it. See docs/signatures.md.
    """

    algorithm: Literal["ed25519"] = "ed25519"
    #: First 32 hex digits of the sha256 of the raw public key.
    key_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
    #: The raw 32-byte public key, base64.
    public_key: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{43}=$")]
    signer: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    #: The raw 64-byte signature, base64.
    value: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{86}==$")]


#: Optional fields added after records were first written. Left out of the JSON when unset,
#: so that a record written before they existed keeps its bytes and its hashes.
_LATER_FIELDS = ("signature", "meeting_date")


class _Signable(_Model):
    """A link of a record's hash chain (a sign-off or an amendment)."""

    @model_serializer(mode="wrap")
    def _omit_unset_later_fields(self, handler):  # type: ignore[no-untyped-def]
        data = handler(self)
        if isinstance(data, dict):
            for name in _LATER_FIELDS:
                if name in data and data[name] is None:
                    del data[name]
        return data


class SignOff(_Signable):
    """The supervisor's sign-off. ``minutes`` counts towards the trainee's supervision hours,
    on the day of the meeting (:attr:`hours_date`), by ``format`` (individual, triadic,
    group, live observation, review of a recording) and ``modality`` (in person or by
    video). Records written before modality existed read as in person."""

    id: Id
    supervisor: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX_LENGTH)]
    signed_at: datetime
    minutes: int = Field(ge=SIGNOFF_MINUTES_MIN, le=SIGNOFF_MINUTES_MAX)
    format: SupervisionFormat
    #: sha256 of the record's data as signed (set by ``artifact.integrity.sign_off``; the
    #: zero hash until then). The amendment chain starts from it.
    data_hash: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = "0" * 64
    #: The day the supervision meeting took place (records from before this field existed
    #: have none: their hours count on the day they were signed).
    meeting_date: date | None = None
    #: The supervisor's key signature over ``data_hash`` (``None``: not signed with a key).
    signature: Signature | None = None
    #: Left out of the dump while in person (see ``_unset``).
    modality: Modality = Field(default="in_person", exclude_if=_unset("in_person"))

    @model_validator(mode="after")
    def _met_before_signing(self) -> SignOff:
        # One day of slack: the meeting date is a local date, signed_at is in UTC.
        if self.meeting_date is not None and self.meeting_date > self.signed_at.date() + _DAY:
            raise ValueError(
                f"the meeting date {self.meeting_date} is after the day of signing "
                f"{self.signed_at.date()}: a sign-off comes after the meeting"
            )
        return self

    @property
    def hours_date(self) -> date:
        """The day these minutes count on: the meeting, else the day of signing."""
        return self.meeting_date or self.signed_at.date()


class Amendment(_Signable):
    """A change made after sign-off. The record only changes by appending one of these.

    ``changes`` maps a dotted field path (``goals``, ``sessions.2.notes``) to its new value,
    and ``chain_hash`` links this amendment to everything before it (see ``artifact.integrity``).
    """

    id: Id
    author: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX_LENGTH)]
    at: datetime
    why: Annotated[str, StringConstraints(min_length=1, max_length=2_000)]
    changes: dict[str, object]
    #: sha256 of the record's data after this amendment was applied, so that every link of
    #: the chain can be recomputed without the intermediate records.
    data_hash: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = "0" * 64
    chain_hash: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = "0" * 64
    #: The key signature over ``chain_hash`` (``None``: not signed with a key).
    signature: Signature | None = None
