"""A trainee's hours as plain records: supervision sign-offs, client sessions, indirect log.

Why a ledger of records and not totals: every rule needs a different cut (a format, a week,
a modality), and a report must list the records each number comes from. The ledger is
built from the index (:func:`trainee_ledger`), never by re-reading artifacts, so which
sign-offs count is decided in one place (``store``'s ``Index.signoffs``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from supervision_workbook.model import IndirectEntry, SignOff
    from supervision_workbook.store import SignoffRow, Workspace

#: Every supervision format, in the order reports list them, with its label.
FORMATS: dict[str, str] = {
    "individual": "Individual",
    "triadic": "Triadic",
    "group": "Group",
    "live_observation": "Live observation",
    "recording_review": "Review of a recording",
}
#: The formats in which the supervisor saw the trainee's clinical work.
OBSERVED_FORMATS = ("live_observation", "recording_review")
MODALITIES: dict[str, str] = {"in_person": "in person", "video": "by video"}


@dataclass(frozen=True)
class Supervision:
    """One signed-off supervision: when it took place, how long, in which format."""

    review_id: str
    case_code: str
    day: date
    minutes: int
    format: str
    modality: str
    supervisor: str
    signed_at: datetime
    path: Path
    content_hash: str
    #: What the record says about a key signature, if the sign-off carries one (``None``:
    #: the sign-off has no signature field at all, as before signing keys existed).
    key_signature: str | None = None


@dataclass(frozen=True)
class ClientSession:
    """One therapy session; ``minutes`` is ``None`` when its length was not recorded."""

    case_code: str
    number: int
    day: date
    minutes: int | None


@dataclass(frozen=True)
class Ledger:
    """Everything a trainee's hours are computed from."""

    trainee_id: str
    trainee_name: str
    supervision: tuple[Supervision, ...] = ()
    sessions: tuple[ClientSession, ...] = ()
    indirect: tuple[IndirectEntry, ...] = ()

    def minutes_by_format(self) -> dict[str, dict[str, int]]:
        """``{format: {modality: minutes}}`` for every format and modality (zeros kept)."""
        table = {f: dict.fromkeys(MODALITIES, 0) for f in FORMATS}
        for s in self.supervision:
            table.setdefault(s.format, dict.fromkeys(MODALITIES, 0))
            table[s.format][s.modality] = table[s.format].get(s.modality, 0) + s.minutes
        return table

    def within(self, start: date | None, end: date | None) -> tuple[Ledger, int]:
        """The records dated from ``start`` to ``end`` (inclusive; ``None`` is open), and
        how many were left out."""

        def inside(day: date) -> bool:
            return (start is None or day >= start) and (end is None or day <= end)

        kept = replace(
            self,
            supervision=tuple(s for s in self.supervision if inside(s.day)),
            sessions=tuple(s for s in self.sessions if inside(s.day)),
            indirect=tuple(e for e in self.indirect if inside(e.date)),
        )
        total = len(self.supervision) + len(self.sessions) + len(self.indirect)
        left = len(kept.supervision) + len(kept.sessions) + len(kept.indirect)
        return kept, total - left


def meeting_day(signoff: SignOff) -> date:
    """The day the supervision took place: the sign-off's meeting date where the record has
    one, else the day it was signed."""
    day = getattr(signoff, "meeting_date", None)
    return day if isinstance(day, date) else signoff.signed_at.date()


def key_signature(signoff: SignOff) -> str:
    """A short statement of the key signature a sign-off carries. This only says what the
    record claims; ``supervision-workbook validate`` checks the signature against the
    roster and the workspace's trusted keys (docs/signatures.md)."""
    sig = signoff.signature
    if sig is None:
        return "not signed with a key"
    return f"key signature ({sig.signer}, key {sig.key_id[:16]})"


def supervision_from(row: SignoffRow) -> Supervision:
    s = row.signoff
    return Supervision(
        review_id=row.review_id,
        case_code=row.case_code,
        day=meeting_day(s),
        minutes=s.minutes,
        format=s.format,
        modality=getattr(s, "modality", "in_person"),
        supervisor=s.supervisor,
        signed_at=s.signed_at,
        path=row.path,
        content_hash=row.content_hash,
        key_signature=key_signature(s),
    )


def trainee_ledger(ws: Workspace, trainee_id: str, trainee_name: str = "") -> Ledger:
    """The trainee's ledger from the workspace's index and indirect-hours log."""
    from supervision_workbook.store import read_indirect

    index = ws.index
    rows = index.signoffs(trainee_id)
    return Ledger(
        trainee_id=trainee_id,
        trainee_name=trainee_name or (rows[0].trainee_name if rows else trainee_id),
        supervision=tuple(
            sorted((supervision_from(r) for r in rows), key=lambda s: (s.day, s.review_id))
        ),
        sessions=tuple(
            ClientSession(r.case_code, r.number, r.date, r.minutes)
            for r in sorted(
                index.client_sessions(trainee_id), key=lambda r: (r.date, r.case_code, r.number)
            )
        ),
        indirect=tuple(read_indirect(ws, trainee_id)),
    )
