"""The CSV export's flag rows: every alert of a review, with its rule, session and status.

Why here and not in ``export``: which flags exist and whether they are open is an alert
rule; the export only writes the rows. Seen from one review file, a flag is discussed when
that review is a signed-off case review covering its session (the same rule the dashboard
applies over the whole workspace, in :func:`case_flags`).
"""

from __future__ import annotations

from collections.abc import Mapping

from supervision_workbook.config import AlertConfig
from supervision_workbook.instruments import Instrument
from supervision_workbook.model import Review, ReviewKind

from ._status import case_flags


def review_flag_rows(
    review: Review, instruments: Mapping[str, Instrument], config: AlertConfig
) -> list[dict[str, str]]:
    """One row per flag of ``review``: ``session`` (empty for a case-level state),
    ``rule``, ``open`` (yes / no), ``status`` and ``message``."""
    signed = review.kind == ReviewKind.case_review and review.signoff is not None
    through = max((s.number for s in review.sessions), default=None) if signed else None
    rows = []
    for flag in case_flags(review.sessions, instruments, config, reviewed_through=through):
        a = flag.alert
        rows.append(
            {
                "session": "" if a.session_number is None else str(a.session_number),
                "rule": a.rule,
                "open": "yes" if flag.open else "no",
                "status": flag.status,
                "message": a.message,
                "instrument": a.instrument_id or "",
                "respondent": a.respondent or "",
            }
        )
    return rows
