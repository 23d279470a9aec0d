"""The questions the dashboard and the CLI ask the index: caseload, minutes, sign-offs,
client sessions, reviews, and the files it could not read.

Why a mixin apart from :class:`_index.Index`: keeping the index current (schema, rebuild,
refresh, upsert) and answering from it are separate jobs. Every question here goes through
``Index._ready``, which rebuilds or recomputes first, so no query can read a stale or
half-built index. Sign-offs the workspace cannot vouch for count no minutes (``_vouched``).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._caseload import ReviewFacts, current_reviews, merged_sessions
from ._index_schema import IndexFile, _vouched
from ._records import FACT_COLUMNS, REVIEW_COLUMNS, caseload_from_json, review_row
from ._rows import BadFile, CaseloadRow, ClientSessionRow, MinutesRow, ReviewRow, SignoffRow

if TYPE_CHECKING:
    from supervision_workbook.config import WorkspaceConfig
    from supervision_workbook.signing import TrustedKeys


class IndexQueries(IndexFile):
    """The reading half of :class:`_index.Index`, which supplies the attributes below."""

    if TYPE_CHECKING:
        root: Path
        _config: Callable[[], WorkspaceConfig]
        _trusted: Callable[[], TrustedKeys]

        def _ready(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...

    def caseload(self) -> list[CaseloadRow]:
        """One row per (trainee, case), ordered by trainee name then case code."""
        with self._ready() as conn:
            rows = [caseload_from_json(text) for (text,) in conn.execute("SELECT row FROM cases")]
        return sorted(rows, key=lambda r: (r.trainee_name.casefold(), r.trainee_id, r.case_code))

    def supervision_minutes(self) -> list[MinutesRow]:
        """Signed-off supervision minutes per trainee, weighted as the configuration says.

        Only sign-offs the workspace can vouch for count (see the module docstring)."""
        hours = self._config().hours
        totals: dict[str, list[Any]] = {}
        for row in self.caseload():
            t = totals.setdefault(row.trainee_id, [row.trainee_name, 0, 0])
            t[1] += row.individual_minutes
            t[2] += row.group_minutes
        return [
            MinutesRow(
                trainee_id=tid,
                trainee_name=name,
                individual_minutes=ind,
                group_minutes=grp,
                weighted_minutes=ind + grp * hours.group_weight,
                required_minutes=hours.required_minutes,
            )
            for tid, (name, ind, grp) in sorted(totals.items(), key=lambda kv: kv[1][0].casefold())
        ]

    def _current_facts(
        self, conn: sqlite3.Connection, trainee_id: str | None
    ) -> dict[tuple[str, str], list[ReviewFacts]]:
        """Per (trainee, case): one :class:`ReviewFacts` per review id, its current file
        (the same choice the caseload makes)."""
        query = f"SELECT {FACT_COLUMNS} FROM reviews WHERE ? IS NULL OR trainee_id = ?"  # noqa: S608
        facts: dict[tuple[str, str], list[ReviewFacts]] = {}
        for row in conn.execute(query, (trainee_id, trainee_id)):
            f = ReviewFacts(*row[:8], datetime.fromisoformat(row[8]), *row[9:])
            facts.setdefault((f.trainee_id, f.case_id), []).append(f)
        return {key: current_reviews(found) for key, found in facts.items()}

    def signoffs(self, trainee_id: str | None = None) -> list[SignoffRow]:
        """Every signed-off review whose minutes count, with its whole :class:`SignOff`
        (format, modality, date, and whatever later fields a sign-off carries), ordered by
        trainee and sign-off time. The hours rules (``supervision_workbook.hours``) read
        this; which sign-offs count is decided here, as for the caseload's minutes."""
        from supervision_workbook.model import SignOff

        trusted = self._trusted()
        with self._ready() as conn:
            current = self._current_facts(conn, trainee_id)
            # The caseload's rule (``_vouched``): a sign-off the workspace cannot vouch for
            # counts no minutes, so it is no supervision here either.
            current = {
                key: [f for f in found if _vouched(conn, f, trusted) == f]
                for key, found in current.items()
            }
            stored = {
                path: (signoff, content_hash)
                for path, signoff, content_hash in conn.execute(
                    "SELECT path, signoff, content_hash FROM reviews "
                    "WHERE signoff IS NOT NULL AND (? IS NULL OR trainee_id = ?)",
                    (trainee_id, trainee_id),
                )
            }
        rows = [
            SignoffRow(
                path=self.root / f.path,
                review_id=f.review_id,
                kind=f.kind,
                trainee_id=f.trainee_id,
                trainee_name=f.trainee_name,
                case_id=f.case_id,
                case_code=f.case_code,
                content_hash=stored[f.path][1],
                signoff=SignOff.model_validate_json(stored[f.path][0]),
            )
            for found in current.values()
            for f in found
            if f.signoff_minutes is not None and f.path in stored
        ]
        return sorted(rows, key=lambda r: (r.trainee_id, r.signoff.signed_at, r.review_id))

    def client_sessions(self, trainee_id: str | None = None) -> list[ClientSessionRow]:
        """Every recorded therapy session, one per case and session number (the freshest
        copy, as the caseload merges them), with its date and length in minutes."""
        with self._ready() as conn:
            current = self._current_facts(conn, trainee_id)
            entries = conn.execute(
                "SELECT s.path, s.number, s.entry FROM sessions s JOIN reviews r USING (path) "
                "WHERE ? IS NULL OR r.trainee_id = ?",
                (trainee_id, trainee_id),
            ).fetchall()
        rows: list[ClientSessionRow] = []
        for (tid, case_id), found in sorted(current.items()):
            rows.extend(  # merged_sessions keeps only the entries of ``found``'s files
                ClientSessionRow(
                    trainee_id=tid,
                    case_id=case_id,
                    case_code=found[-1].case_code,
                    number=s.number,
                    date=s.date,
                    minutes=s.minutes,
                )
                for s in merged_sessions(found, entries)
            )
        return rows

    def reviews(
        self,
        trainee_id: str | None = None,
        case_id: str | None = None,
        kind: str | None = None,
    ) -> list[ReviewRow]:
        """Indexed artifacts, filtered; ordered by trainee, case, session date, update time."""
        clauses, params = [], []
        for column, value in (("trainee_id", trainee_id), ("case_id", case_id), ("kind", kind)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(str(getattr(value, "value", value)))
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        query = (
            f"SELECT {REVIEW_COLUMNS} FROM reviews{where} "  # noqa: S608 - fixed columns
            "ORDER BY trainee_id, case_id, session_date, updated, path"
        )
        with self._ready() as conn:
            fetched = conn.execute(query, params).fetchall()
        return [review_row(self.root, r) for r in fetched]

    def find(self, review_id: str) -> Path | None:
        """The file holding ``review_id`` (its most recently updated one), if indexed."""
        with self._ready() as conn:
            row = conn.execute(
                "SELECT path FROM reviews WHERE review_id = ? ORDER BY updated DESC, path DESC",
                (review_id,),
            ).fetchone()
        return self.root / row[0] if row else None

    def problems(self) -> list[BadFile]:
        """Files in ``reviews/`` that the last rebuild or refresh could not read, and why."""
        with self._connect() as conn:
            rows = conn.execute("SELECT path, error FROM bad_files ORDER BY path").fetchall()
        return [BadFile(self.root / rel, error) for rel, error in rows]
