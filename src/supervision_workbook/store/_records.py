"""Between artifacts and index rows: reading a file for the index, and row conversions.

Kept apart from the SQL in ``_index`` so that what the index believes about a file (and
how hard it checks it) can be read in one place.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._rows import CaseloadRow, ReviewRow

if TYPE_CHECKING:
    from supervision_workbook.model import Review

REVIEW_COLUMNS = (
    "path, mtime_ns, size, review_id, kind, status, trainee_id, trainee_name, case_id, "
    "case_code, session_date, last_session_number, n_sessions, created, updated, "
    "content_hash, signoff_minutes, signoff_format, supervisor, signoff"
)
FACT_COLUMNS = (
    "path, review_id, kind, status, trainee_id, trainee_name, case_id, case_code, updated, "
    "last_session_number, signoff_minutes, signoff_format"
)

Record = tuple[tuple[Any, ...], list[tuple[str, int, str]]]


def index_record(rel: str, mtime_ns: int, size: int, review: Review, content_hash: str) -> Record:
    """The ``reviews`` row and ``sessions`` rows of one artifact."""
    signoff = review.signoff
    numbers = [s.number for s in review.sessions]
    session_date = review.session_date
    row = (
        rel,
        mtime_ns,
        size,
        review.id,
        review.kind.value,
        review.status.value,
        review.trainee.id,
        review.trainee.name,
        review.case.id,
        review.case.code,
        session_date.isoformat() if session_date else None,
        max(numbers, default=None),
        len(review.sessions),
        review.created.isoformat(),
        review.updated.isoformat(),
        content_hash,
        signoff.minutes if signoff else None,
        signoff.format if signoff else None,
        signoff.supervisor if signoff else None,
        signoff.model_dump_json() if signoff else None,
    )
    sessions = [(rel, s.number, s.model_dump_json()) for s in review.sessions]
    return row, sessions


def parse_artifact(path: Path) -> tuple[int, int, Review, str]:
    """Read ``path`` once and return its stat, review and content hash.

    The record is checked the way the dashboard depends on it: valid JSON, the current
    schema version, a record the review model accepts, ``content_hash`` equal to the hash
    of that record, and an intact sign-off and amendment chain (``integrity.verify``).
    What is *not* redone here is rebuilding every cell and chart to compare them with the
    file: that is 90% of ``artifact.loads``'s time (plotly), it cannot change a number the
    index shows, and ``supervision-workbook validate`` does it. Anything unusual (an older
    schema to migrate, any failed check) goes through the full ``artifact.loads``, so
    every error a user sees comes from the artifact layer, worded as it words them.
    """
    from supervision_workbook import artifact
    from supervision_workbook.model import SCHEMA_VERSION, Review

    st = path.stat()
    raw = path.read_bytes()
    source = str(path)
    try:
        text = raw.decode("utf-8")
        data = json.loads(text)
        block = data["metadata"][artifact.METADATA_KEY]
        if data["nbformat"] != 4 or block["schema_version"] != SCHEMA_VERSION:
            raise LookupError("not the current layout")
        review = Review.model_validate(block["record"])
        content_hash = artifact.content_hash(review)
        if content_hash != block["content_hash"]:
            raise LookupError("hash mismatch")
        artifact.verify(review, source)
    except Exception:  # the slow path words the error (or handles a migration)
        try:
            loaded = artifact.loads(raw.decode("utf-8"), source)
        except UnicodeDecodeError:
            loaded = artifact.load(path)
        review, content_hash = loaded.review, loaded.content_hash
    return st.st_mtime_ns, st.st_size, review, content_hash


def stat_or_zero(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return 0, 0
    return st.st_mtime_ns, st.st_size


def review_row(root: Path, r: Sequence[Any]) -> ReviewRow:
    """A ``reviews`` table row (in ``REVIEW_COLUMNS`` order) as a :class:`ReviewRow`."""
    return ReviewRow(
        path=root / r[0],
        review_id=r[3],
        kind=r[4],
        status=r[5],
        trainee_id=r[6],
        trainee_name=r[7],
        case_id=r[8],
        case_code=r[9],
        session_date=date.fromisoformat(r[10]) if r[10] else None,
        last_session_number=r[11],
        sessions=r[12],
        created=datetime.fromisoformat(r[13]),
        updated=datetime.fromisoformat(r[14]),
        content_hash=r[15],
        signoff_minutes=r[16],
        signoff_format=r[17],
        supervisor=r[18],
    )


def caseload_to_json(row: CaseloadRow) -> dict[str, Any]:
    data = dict(row.__dict__)
    day = row.latest_session_date
    data["latest_session_date"] = day.isoformat() if day else None
    data["last_updated"] = row.last_updated.isoformat()
    data["flag_rules"] = list(row.flag_rules)
    return data


def caseload_from_json(text: str) -> CaseloadRow:
    data = json.loads(text)
    data["latest_session_date"] = (
        date.fromisoformat(data["latest_session_date"]) if data["latest_session_date"] else None
    )
    data["last_updated"] = datetime.fromisoformat(data["last_updated"])
    data["flag_rules"] = tuple(data["flag_rules"])
    return CaseloadRow(**data)
