"""The session records: what the trainee recorded about one therapy session.

Instrument answers, ruptures and their follow-ups, the countertransference reflection, the
client risk concern, and the lines of the indirect-hours log.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from ._base import (
    SESSION_NUMBER_MAX,
    SESSION_NUMBER_MIN,
    CaseCode,
    FreeText,
    Id,
    _absent,
    _Model,
    _unset,
)


class Respondent(str, Enum):
    """Who gave the answers. The binocular view pairs ``client`` with ``therapist``."""

    client = "client"
    therapist = "therapist"
    supervisor = "supervisor"
    supervisee = "supervisee"


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
