"""The rows the index hands out: small frozen records, easy to show and to chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from supervision_workbook.model import SignOff


class BadFile(NamedTuple):
    """A file the index could not read, and why (unpacks as ``path, error``)."""

    path: Path
    error: str


@dataclass(frozen=True)
class ReviewRow:
    """One artifact in ``reviews/``, as the index last saw it."""

    path: Path
    review_id: str
    kind: str
    status: str
    trainee_id: str
    trainee_name: str
    case_id: str
    case_code: str
    session_date: date | None
    last_session_number: int | None
    sessions: int
    created: datetime
    updated: datetime
    content_hash: str
    signoff_minutes: int | None
    signoff_format: str | None
    supervisor: str | None


@dataclass(frozen=True)
class CaseloadRow:
    """One (trainee, case) on the caseload dashboard.

    ``latest_client`` / ``latest_therapist``: the primary statistic of the configured client
    and therapist instruments in the case's latest session (``None`` when that session did
    not record a complete response). ``flag_count`` / ``flag_rules``: alerts not yet covered
    by a signed-off case review (see ``_caseload``). Minutes are signed-off supervision.
    """

    trainee_id: str
    trainee_name: str
    case_id: str
    case_code: str
    sessions: int
    latest_session_number: int | None
    latest_session_date: date | None
    latest_client: float | None
    latest_therapist: float | None
    flag_count: int
    flag_rules: tuple[str, ...]
    unrepaired_ruptures: int
    individual_minutes: int
    group_minutes: int
    last_status: str
    last_updated: datetime
    reviewed_through: int | None

    @property
    def minutes(self) -> int:
        """All signed-off supervision minutes for the case, individual plus group."""
        return self.individual_minutes + self.group_minutes


@dataclass(frozen=True)
class MinutesRow:
    """Signed-off supervision per trainee, against the configured requirement.

    ``weighted_minutes`` counts group minutes at ``hours.group_weight``, as licensure rules
    often do; ``required_minutes`` is ``hours.required_minutes``.
    """

    trainee_id: str
    trainee_name: str
    individual_minutes: int
    group_minutes: int
    weighted_minutes: float
    required_minutes: int

    @property
    def remaining_minutes(self) -> float:
        return max(0.0, self.required_minutes - self.weighted_minutes)


@dataclass(frozen=True)
class SignoffRow:
    """One signed-off review whose supervision minutes count, with its whole sign-off."""

    path: Path
    review_id: str
    kind: str
    trainee_id: str
    trainee_name: str
    case_id: str
    case_code: str
    content_hash: str
    signoff: SignOff


@dataclass(frozen=True)
class ClientSessionRow:
    """One therapy session of a trainee's case; ``minutes`` is ``None`` when not recorded."""

    trainee_id: str
    case_id: str
    case_code: str
    number: int
    date: date
    minutes: int | None
