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
from datetime import date, datetime, timezone
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

#: Version of the record layout. Bump it, and add a migration in ``artifact.migrations``,
#: whenever a change would make an old artifact fail to validate.
SCHEMA_VERSION = 1

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{2,63}$")]
"""Stable identifiers: lower-case, safe in file names and URLs."""

CaseCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
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
    name: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    supervisor: Annotated[str, StringConstraints(max_length=120)] = ""


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


class SessionEntry(_Model):
    """One therapy session as the trainee recorded it.

    ``minutes``: the session's length, from which direct client hours follow; ``None`` in
    records written before it existed, or when the trainee did not give it.
    """

    id: Id
    number: int = Field(ge=1, le=10_000)
    date: date
    responses: list[InstrumentResponse] = Field(default_factory=list)
    ruptures: list[Rupture] = Field(default_factory=list)
    reflection: Reflection | None = None
    bring_to_supervision: FreeText = ""
    notes: FreeText = ""
    #: Left out of the dump while unset (see ``_unset``).
    minutes: int | None = Field(default=None, ge=1, le=24 * 60, exclude_if=_unset(None))


class SupervisionCheckin(_Model):
    """The supervisory alliance, rated by both people in the meeting."""

    id: Id
    date: date
    responses: list[InstrumentResponse] = Field(default_factory=list)


class ActionItem(_Model):
    id: Id
    text: FreeText
    done: bool = False


class SignOff(_Model):
    """The supervisor's sign-off. ``minutes`` counts towards the trainee's supervision hours,
    by ``format`` (individual, triadic, group, live observation, review of a recording) and
    ``modality`` (in person or by video). Records written before modality existed read as
    in person."""

    id: Id
    supervisor: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    signed_at: datetime
    minutes: int = Field(ge=0, le=24 * 60)
    format: SupervisionFormat
    #: sha256 of the record's data as signed (set by ``artifact.integrity.sign_off``; the
    #: zero hash until then). The amendment chain starts from it.
    data_hash: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = "0" * 64
    #: Left out of the dump while in person (see ``_unset``).
    modality: Modality = Field(default="in_person", exclude_if=_unset("in_person"))


class Amendment(_Model):
    """A change made after sign-off. The record only changes by appending one of these.

    ``changes`` maps a dotted field path (``goals``, ``sessions.2.notes``) to its new value,
    and ``chain_hash`` links this amendment to everything before it (see ``artifact.integrity``).
    """

    id: Id
    author: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    at: datetime
    why: Annotated[str, StringConstraints(min_length=1, max_length=2_000)]
    changes: dict[str, object]
    #: sha256 of the record's data after this amendment was applied, so that every link of
    #: the chain can be recomputed without the intermediate records.
    data_hash: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = "0" * 64
    chain_hash: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = "0" * 64


class ReviewKind(str, Enum):
    """``session``: a supervisee's workbook for one session. ``case_review``: the meeting."""

    session = "session"
    case_review = "case_review"


class Review(_Model):
    """The unit that is saved as one artifact.

    A ``session`` review holds one :class:`SessionEntry`; a ``case_review`` holds every
    session of the case so far, plus the meeting's own parts (supervisor notes, check-in,
    agreed goals, sign-off).
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
