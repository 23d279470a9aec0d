"""The review model: plain, validated data that every other layer reads and writes.

Why pydantic: an artifact is untrusted input, so every value that comes back from disk or
from a widget callback passes through the same validators that guard what we write. The
models are also the source of the artifact's JSON Schema (see ``artifact/schema``), so the
schema can never drift from the code.

Identity: each record carries a stable ``id`` (a short random hex string made once, at
creation). File names are built from ids and dates, never from user text.

Privacy: a :class:`Case` holds a *code* (``C-014``), never a client's name. Names that the
trainee declares for a case, so that the identifier flagger can look for them, live in the
workspace's private folder and are never written into an artifact.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_serializer,
    model_validator,
)

#: Version of the record layout. Bump it, and add a migration in ``artifact.migrations``,
#: whenever a change would make an old artifact fail to validate.
SCHEMA_VERSION = 1

_DAY = timedelta(days=1)

# --- limits: named once here; the views check the same numbers before the model does ---------
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{2,63}$"
CASE_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"
NAME_MAX_LENGTH = 120
"""Names of trainees, supervisors and amendment authors."""
SESSION_NUMBER_MIN = 1
SESSION_NUMBER_MAX = 10_000
SIGNOFF_MINUTES_MIN = 0
SIGNOFF_MINUTES_MAX = 24 * 60
"""Minutes of supervision in one sign-off (at most a day)."""

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""Stable identifiers: lower-case, safe in file names and URLs."""

CaseCode = Annotated[str, StringConstraints(pattern=CASE_CODE_PATTERN)]
"""A case code such as ``C-014``. Deliberately too narrow to hold a sentence or a name."""

FreeText = Annotated[str, StringConstraints(max_length=20_000)]
"""User-typed text. Stored exactly as typed; escaped wherever it is shown."""


def new_id(prefix: str) -> str:
    """A fresh id such as ``rv-3f9a1c2b7d``: readable prefix, 40 random bits."""
    return f"{prefix}-{secrets.token_hex(5)}"


def utcnow() -> datetime:
    """The current time, timezone-aware and truncated to seconds so it survives JSON."""
    return datetime.now(timezone.utc).replace(microsecond=0)


class _Model(BaseModel):
    """Base for every record: unknown fields are refused, values are re-validated on change."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


def _absent(value: object) -> bool:
    """True for the default of a field added after 0.1 (empty or None).

    Why: every hash (content, sign-off, amendment chain) is computed over ``model_dump``.
    Such a field is left out of the dump while it holds its default, so a record saved
    before the field existed still hashes to what was signed, and old artifacts load.
    """
    return value is None or value == "" or value == []


def _unset(default: object) -> Callable[[object], bool]:
    """``exclude_if`` for a field added after artifacts were already written without it.

    Every hash (``artifact.integrity``) is computed over ``model_dump``. A field added with a
    default would appear in the dump of an old record and change its hash, so an untouched
    old artifact would read as tampered. Such a field is left out of the dump while it holds
    its default: an old record dumps, and hashes, exactly as it did, and a record that uses
    the field carries it. (A wrapping model serializer would also have turned infinite
    answers into nulls in JSON mode, hiding the writer's "not finite" refusal.)
    """
    return lambda value: value == default


#: How supervision was given. Live observation and review of a recording are the formats in
#: which the supervisor saw the trainee's clinical work itself.
SupervisionFormat = Literal[
    "individual", "triadic", "group", "live_observation", "recording_review"
]
#: In the same room, or by video (telesupervision).
Modality = Literal["in_person", "video"]


class Respondent(str, Enum):
    """Who gave the answers. The binocular view pairs ``client`` with ``therapist``."""

    client = "client"
    therapist = "therapist"
    supervisor = "supervisor"
    supervisee = "supervisee"


class Status(str, Enum):
    """Lifecycle: draft -> submitted (supervisee) -> reviewed -> signed_off (supervisor)."""

    draft = "draft"
    submitted = "submitted"
    reviewed = "reviewed"
    signed_off = "signed_off"


class Trainee(_Model):
    """A supervisee. ``name`` is the trainee's own display name (staff, not a client)."""

    id: Id
    name: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX_LENGTH)]
    supervisor: Annotated[str, StringConstraints(max_length=NAME_MAX_LENGTH)] = ""


class Case(_Model):
    """A client case, known only by its code."""

    id: Id
    code: CaseCode
    trainee_id: Id
    opened: date | None = None


class InstrumentResponse(_Model):
    """One completed (or partly completed) instrument.

    ``answers`` is in item order; ``None`` marks an item not yet answered. Values are checked
    against the instrument's scale when scored, because the model does not know the scale.
    """

    id: Id
    instrument_id: Id
    respondent: Respondent
    answers: list[float | None]

    @field_validator("answers")
    @classmethod
    def _finite(cls, answers: list[float | None]) -> list[float | None]:
        for value in answers:
            if value is not None and value != value:  # NaN never equals itself
                raise ValueError("answers must be numbers, not NaN")
        return answers


class RuptureType(str, Enum):
    """Rupture families after the Rupture Resolution Rating System (Eubanks, Muran & Safran)."""

    withdrawal = "withdrawal"
    confrontation = "confrontation"
    mixed = "mixed"


class Resolved(str, Enum):
    yes = "yes"
    partly = "partly"
    no = "no"


class Rupture(_Model):
    """A strain in the alliance noticed in one session, and what was done about it.

    ``markers`` and ``strategies`` hold ids from the ``rupture-log`` instrument file.
    """

    id: Id
    type: RuptureType
    markers: list[Id] = Field(default_factory=list)
    salience: int = Field(ge=1, le=5)
    strategies: list[Id] = Field(default_factory=list)
    resolved: Resolved
    description: FreeText = ""


class Reflection(_Model):
    """Countertransference reflection for one session.

    ``themes`` maps the eight theme ids of the ``countertransference`` instrument to an
    intensity on its scale; ``prompts`` maps prompt ids to the trainee's answers.
    """

    id: Id
    themes: dict[Id, int] = Field(default_factory=dict)
    prompts: dict[Id, FreeText] = Field(default_factory=dict)
    free_text: FreeText = ""


class RuptureFollowUp(_Model):
    """A later session taking up a rupture logged earlier: a reference by the rupture's
    ``id``, not a new rupture, so the rupture keeps one history. ``resolved`` is how far it
    is repaired now; ``yes`` closes the unrepaired-rupture flag (``alerts``)."""

    id: Id
    rupture_id: Id
    resolved: Resolved
    note: FreeText = ""


class RiskLevel(str, Enum):
    """A client risk concern the trainee records, in the project's own words: ``noted`` (a
    concern to talk through in supervision) or ``urgent`` (needs the supervisor's response
    now). It is a record of concern, not a risk score: nothing here rates suicide risk."""

    none = "none"
    noted = "noted"
    urgent = "urgent"


class RiskConcern(_Model):
    """The client risk concern of one session, and the supervisor's response to it.

    ``note`` (the trainee's) and ``response`` are free text, flagged for identifiers before
    saving like every free text. ``response`` is the response agreed in the meeting, written
    into the case review's copy of the session; only it closes a risk flag, never marking
    the flag "discussed". Kept on the session so that every view that reads the case's
    sessions (the dashboard's index included) sees the same state.
    """

    level: RiskLevel = RiskLevel.none
    note: Annotated[str, StringConstraints(max_length=2_000)] = ""
    response: Annotated[str, StringConstraints(max_length=2_000)] = ""
    responded_by: Annotated[str, StringConstraints(max_length=120)] = ""


class SessionEntry(_Model):
    """One therapy session as the trainee recorded it.

    ``follow_ups`` take up ruptures of earlier sessions; ``risk`` is the client risk
    concern (``None``: not recorded, read as none). ``minutes``: the session's length, from
    which direct client hours follow; ``None`` in records written before it existed, or when
    the trainee did not give it.
    """

    id: Id
    number: int = Field(ge=SESSION_NUMBER_MIN, le=SESSION_NUMBER_MAX)
    date: date
    responses: list[InstrumentResponse] = Field(default_factory=list)
    ruptures: list[Rupture] = Field(default_factory=list)
    reflection: Reflection | None = None
    bring_to_supervision: FreeText = ""
    notes: FreeText = ""
    follow_ups: list[RuptureFollowUp] = Field(default_factory=list, exclude_if=_absent)
    risk: RiskConcern | None = Field(default=None, exclude_if=_absent)
    #: Left out of the dump while unset (see ``_unset``).
    minutes: int | None = Field(default=None, ge=1, le=24 * 60, exclude_if=_unset(None))


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


class ReviewKind(str, Enum):
    """``session``: a supervisee's workbook for one session. ``case_review``: the meeting."""

    session = "session"
    case_review = "case_review"


class Review(_Model):
    """The unit that is saved as one artifact.

    A ``session`` review holds one :class:`SessionEntry`; a ``case_review`` holds every
    session of the case so far, plus the meeting's own parts (supervisor notes, check-in,
    agreed goals, sign-off). ``flag_marks`` are recorded in the meeting and signed with
    the rest.
    """

    id: Id
    kind: ReviewKind
    status: Status = Status.draft
    trainee: Trainee
    case: Case
    created: datetime
    updated: datetime
    sessions: list[SessionEntry] = Field(default_factory=list)
    supervisor_notes: FreeText = ""
    checkin: SupervisionCheckin | None = None
    goals: FreeText = ""
    tasks: FreeText = ""
    action_items: list[ActionItem] = Field(default_factory=list)
    signoff: SignOff | None = None
    amendments: list[Amendment] = Field(default_factory=list)
    flag_marks: list[FlagMark] = Field(default_factory=list, exclude_if=_absent)

    @property
    def session_date(self) -> date | None:
        """The date the file name uses: the latest session's date, if any."""
        return max((s.date for s in self.sessions), default=None)


class IndirectEntry(_Model):
    """One line of a trainee's indirect-hours log: time spent for clients but not with them.

    Deliberately no free text: the log is kept outside the artifacts (``store``'s
    ``hours/<trainee_id>.json``), where no identifier check runs. A case code is allowed.
    """

    id: Id
    date: date
    minutes: int = Field(ge=1, le=24 * 60)
    activity: Literal["notes", "consultation", "preparation", "other"]
    case_code: CaseCode | None = None
