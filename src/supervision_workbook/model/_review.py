"""The review: the unit saved as one artifact, with its trainee, case and lifecycle."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated

from pydantic import Field, StringConstraints

from ._base import NAME_MAX_LENGTH, CaseCode, FreeText, Id, _absent, _Model
from ._meeting import ActionItem, Amendment, FlagMark, SignOff, SupervisionCheckin
from ._session import SessionEntry


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
