"""Between artifacts and index rows: reading a file for the index, and row conversions.

Kept apart from the SQL in ``_index`` so that what the index believes about a file (and
how hard it checks it) can be read in one place.
"""

from __future__ import annotations

import json
import logging
import stat
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._rows import CaseloadRow, ReviewRow

log = logging.getLogger(__name__)

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
    """Read ``path`` once, check it as ``supervision-workbook validate`` does, and return
    its stat, review and content hash.

    One truth about a damaged file: the index runs the artifact layer's whole check,
    rebuilding and comparing the cells too, so a file the dashboard lists is a file
    ``validate`` passes, and a file it records as damaged carries the very message
    ``validate`` prints. (Only nbformat's own schema check, which costs a jsonschema import,
    is left to ``validate``; it runs after every other check.) That is about 7 ms for a
    20-session review, paid once per changed file: ``refresh`` re-reads only files whose
    size or modification time changed. A symbolic link is refused, wherever it points.

    When rebuilding the cells fails for a reason that is not the file's (a defect in this
    package, such as an alert rule that raises), the file is not called damaged: its record
    was checked, it is indexed, and the defect is logged (the case's figures show it).
    """
    from supervision_workbook import artifact

    from ._errors import WorkspaceError

    st = path.lstat()
    if stat.S_ISLNK(st.st_mode):
        raise WorkspaceError(f"{path}: a symbolic link, not a saved review; refusing it")
    try:
        loaded = artifact.load(path)
    except artifact.ArtifactError:
        raise
    except Exception:  # our defect, not the file's: check the record alone
        log.warning("could not rebuild the cells of %s", path, exc_info=True)
        loaded = artifact.load(path, check_cells=False)
    return st.st_mtime_ns, st.st_size, loaded.review, loaded.content_hash


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
