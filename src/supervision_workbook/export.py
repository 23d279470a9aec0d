"""Export scores to CSV: one row per review, session, instrument, respondent and score.

Why long format: a training program's analyst loads it into R or a spreadsheet and pivots
as they need; wide formats break whenever an instrument is added. Each row carries the
alert rules that fired for that session, instrument and respondent, so flagged rows can be
filtered without re-implementing the rules. Every alert also gets a row of its own
(``score`` = ``flag``, ``alerts`` = its rule, ``session`` empty for a case-level state, with
``flag_open``, ``flag_status`` and ``flag_message``), from ``alerts.review_flag_rows``.

Free text (reflections, notes) is deliberately *not* exported: a CSV travels further than
an artifact, and clinical text should not go with it by default.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

from .formatting import data_number

if TYPE_CHECKING:
    from .config import AlertConfig
    from .instruments import Instrument
    from .model import Review

COLUMNS = (
    "review_id",
    "kind",
    "status",
    "trainee_id",
    "trainee",
    "case_code",
    "session",
    "date",
    "instrument",
    "respondent",
    "score",
    "sum",
    "mean",
    "complete",
    "alerts",
    "flag_open",
    "flag_status",
    "flag_message",
)


def _fmt(value: float | None) -> str:
    """Numbers as a spreadsheet expects them (``formatting.data_number``: four decimals at
    most, integers without '.0'); ``None`` (a mean over no answered items) is empty."""
    return data_number(value)


def review_rows(
    review: Review, instruments: Mapping[str, Instrument], config: AlertConfig
) -> list[dict[str, str]]:
    """The CSV rows of one review (pure: no files, no widgets)."""
    from .alerts import case_alerts
    from .scoring import ScoringError, score

    alerts = case_alerts(review.sessions, instruments, config)
    rows: list[dict[str, str]] = []
    for session in review.sessions:
        for response in session.responses:
            inst = instruments.get(response.instrument_id)
            if inst is None or inst.kind != "rating":
                continue
            try:
                result = score(inst, response.answers)
            except ScoringError:
                continue
            fired = sorted(
                {
                    a.rule
                    for a in alerts
                    if a.session_number == session.number
                    and a.instrument_id in (None, response.instrument_id)
                    and a.respondent in (None, response.respondent.value)
                }
            )
            base = {
                "review_id": review.id,
                "kind": review.kind.value,
                "status": review.status.value,
                "trainee_id": review.trainee.id,
                "trainee": review.trainee.name,
                "case_code": review.case.code,
                "session": str(session.number),
                "date": session.date.isoformat(),
                "instrument": response.instrument_id,
                "respondent": response.respondent.value,
                "complete": "yes" if result.complete else "no",
                "alerts": ";".join(fired),
            }
            for name, stat in [*result.subscales.items(), ("total", result.total)]:
                rows.append({**base, "score": name, "sum": _fmt(stat.sum), "mean": _fmt(stat.mean)})
    from .alerts import review_flag_rows

    for flag in review_flag_rows(review, instruments, config):
        rows.append(
            {
                **{k: str(getattr(v, "value", v)) for k, v in _review_cells(review).items()},
                "session": flag["session"],
                "instrument": flag["instrument"],
                "respondent": flag["respondent"],
                "score": "flag",
                "alerts": flag["rule"],
                "flag_open": flag["open"],
                "flag_status": flag["status"],
                "flag_message": flag["message"],
            }
        )
    return rows


def _review_cells(review: Review) -> dict[str, object]:
    return {
        "review_id": review.id,
        "kind": review.kind,
        "status": review.status,
        "trainee_id": review.trainee.id,
        "trainee": review.trainee.name,
        "case_code": review.case.code,
    }


def _safe_cell(value: str) -> str:
    """Neutralise spreadsheet formula injection: a cell starting with = + - @ is quoted."""
    if value and value[0] in "=+-@\t\r" and not _is_number(value):
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


LINE_END = "\n"
"""The one line ending of every CSV the project writes."""


def write_table(columns: Sequence[str], rows: Iterable[Mapping[str, object]], out: TextIO) -> int:
    """The one CSV writer: ``columns`` as the header, each cell guarded against formulas,
    :data:`LINE_END` after each line; ``None`` is an empty cell. Returns the row count."""
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator=LINE_END)
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(
            {k: _safe_cell("" if row.get(k) is None else str(row.get(k))) for k in columns}
        )
        n += 1
    return n


def write_csv(rows: Iterable[Mapping[str, str]], out: TextIO) -> int:
    """Write score rows with the fixed header; returns how many rows were written."""
    return write_table(COLUMNS, rows, out)


def csv_text(rows: Iterable[Mapping[str, str]]) -> str:
    """The CSV as a string (for the dashboard's download button)."""
    buf = io.StringIO()
    write_csv(rows, buf)
    return buf.getvalue()
