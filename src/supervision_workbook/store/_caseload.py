"""One caseload row from everything the index holds about a case (pure; no SQL, no files).

Why the rules live here and not in SQL: they are domain rules a supervisor should be able
to read in one place.

* **Which copy of a session counts.** A session appears in its own session workbook and
  again in every later case review. For each session number the copy from the most recently
  updated review wins; if the same review id was saved twice (a copied file), its most
  recently updated file wins.
* **Open flags.** ``alerts.case_flags`` runs over the merged sessions with the highest
  session of a signed-off case review; which flags are open (and the case-level states
  that stay after a sign-off) is its rule, not this module's.
* **Unrepaired ruptures.** ``alerts.open_ruptures``: ruptures logged as not or partly
  repaired that no later follow-up has repaired.
* **Latest alliance.** The primary statistic of the configured client and therapist
  instruments in the latest session only; ``None`` when that session has no complete
  response (an incomplete sum would look like a low score, and an older value would be
  shown under the wrong date).
* **Minutes.** Signed-off minutes of every distinct review of the case, by format.
* If the alert rules fail on a case's data, the row carries one ``alerts-failed`` flag
  rather than a reassuring zero.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ._rows import CaseloadRow
from ._rules import copy_rank, newest_per_review, winning_copies

if TYPE_CHECKING:
    from supervision_workbook.config import WorkspaceConfig
    from supervision_workbook.instruments import Instrument
    from supervision_workbook.model import SessionEntry

log = logging.getLogger(__name__)

ALERTS_FAILED = "alerts-failed"


@dataclass(frozen=True)
class ReviewFacts:
    """The columns of one indexed review that the caseload rules need."""

    path: str
    review_id: str
    kind: str
    status: str
    trainee_id: str
    trainee_name: str
    case_id: str
    case_code: str
    updated: datetime
    last_session_number: int | None
    signoff_minutes: int | None
    signoff_format: str | None


def _order(facts: ReviewFacts) -> tuple[datetime, str]:
    return copy_rank(facts.updated, facts.path)


def current_reviews(reviews: Sequence[ReviewFacts]) -> list[ReviewFacts]:
    """One entry per review id: its most recently updated file (``_rules``)."""
    return newest_per_review(reviews)


def merged_sessions(
    reviews: Sequence[ReviewFacts], sessions: Sequence[tuple[str, int, str]]
) -> list[SessionEntry]:
    """The case's sessions in order, one per number, each from its freshest review."""
    from supervision_workbook.model import SessionEntry

    order = {facts.path: _order(facts) for facts in reviews}
    entries = winning_copies(
        (number, order[path], entry) for path, number, entry in sessions if path in order
    )
    return [SessionEntry.model_validate_json(entry) for entry in entries]


def _latest_primary(
    session: SessionEntry | None, instrument_id: str, instruments: Mapping[str, Instrument]
) -> float | None:
    if session is None:
        return None
    instrument = instruments.get(instrument_id)
    if instrument is None or getattr(instrument, "kind", None) != "rating":
        return None
    try:
        from supervision_workbook.scoring import ScoringError, primary, score
    except ImportError:  # pragma: no cover - scoring ships with the package
        return None
    for response in session.responses:
        if response.instrument_id != instrument_id:
            continue
        try:
            result = score(instrument, response.answers)  # type: ignore[arg-type]
        except ScoringError:
            return None
        return primary(instrument, result.total) if result.complete else None  # type: ignore[arg-type]
    return None


def _open_alerts(
    sessions: Sequence[SessionEntry],
    instruments: Mapping[str, Instrument],
    config: WorkspaceConfig,
    reviewed_through: int | None,
) -> list[str]:
    """Rules of the alerts still open (one entry per alert, so duplicates count)."""
    try:
        from supervision_workbook.alerts import case_flags
    except ImportError:  # pragma: no cover - alerts ship with the package
        return []
    try:
        flags = case_flags(sessions, instruments, config.alerts, reviewed_through=reviewed_through)
    except Exception:  # a case's bad data must not hide the whole caseload
        log.exception("alert rules failed on a case; flagging it for a human look")
        return [ALERTS_FAILED]
    return [flag.alert.rule for flag in flags if flag.open]


def case_row(
    reviews: Sequence[ReviewFacts],
    sessions: Sequence[tuple[str, int, str]],
    config: WorkspaceConfig,
    instruments: Mapping[str, Instrument],
) -> CaseloadRow:
    """The dashboard row of one case; ``reviews`` must all belong to that case."""
    current = current_reviews(reviews)
    latest = current[-1]
    entries = merged_sessions(current, sessions)
    last = entries[-1] if entries else None
    reviewed_through = max(
        (
            f.last_session_number
            for f in current
            if f.kind == "case_review"
            and f.signoff_minutes is not None
            and f.last_session_number is not None
        ),
        default=None,
    )
    rules = _open_alerts(entries, instruments, config, reviewed_through)
    from supervision_workbook.alerts import open_ruptures

    unrepaired = len(open_ruptures(entries))
    minutes = {"individual": 0, "group": 0}
    for f in current:
        if f.signoff_minutes is not None and f.signoff_format in minutes:
            minutes[f.signoff_format] += f.signoff_minutes
    return CaseloadRow(
        trainee_id=latest.trainee_id,
        trainee_name=latest.trainee_name,
        case_id=latest.case_id,
        case_code=latest.case_code,
        sessions=len(entries),
        latest_session_number=last.number if last else None,
        latest_session_date=last.date if last else None,
        latest_client=_latest_primary(last, config.client_instrument, instruments),
        latest_therapist=_latest_primary(last, config.therapist_instrument, instruments),
        flag_count=len(rules),
        flag_rules=tuple(sorted(set(rules))),
        unrepaired_ruptures=unrepaired,
        individual_minutes=minutes["individual"],
        group_minutes=minutes["group"],
        last_status=latest.status,
        last_updated=latest.updated,
        reviewed_through=reviewed_through,
    )
