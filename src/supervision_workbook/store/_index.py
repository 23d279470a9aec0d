"""The SQLite index: a cache of what ``reviews/`` holds, for the dashboard and the CLI.

Why a cache and not a database of record: the artifacts are the source of truth. The index
can be deleted at any time; the next query rebuilds it. A file whose ``user_version`` is not
this module's :data:`INDEX_VERSION` (an index written by an older release), or that is not
a database at all, is emptied and rebuilt rather than misread.

What it stores per artifact (keyed by its path relative to the workspace): the review's
header columns, its file size and mtime (so :meth:`Index.refresh` re-reads only files that
changed), and each session as JSON, so that per-case figures (flags, latest alliance) can be
recomputed for one case on save, or for all cases when the configuration or instruments
change, without parsing a single artifact again. Per-case figures are materialised in the
``cases`` table by ``_caseload.case_row``.

Speed: a rebuild reads and parses each file once, then writes everything in one
transaction with ``executemany``. Parsing dominates.

Durability: connections run with ``PRAGMA synchronous = OFF``. The commit of a save's
upsert used to wait for three or four fsyncs (12 to 40 ms on a busy shared disk, more than
the rest of the save together), which a cache does not need. SQLite's rollback journal is
still written, so a process that dies mid-transaction leaves the index as it was; only an
operating-system crash or a power cut can lose recent rows (``refresh`` re-reads files
whose size or mtime changed) or damage the file. A damaged file is removed the first time
a query meets it (:meth:`Index._connect`), and the next use rebuilds it from the artifacts.

Drafts are not indexed: they are a trainee's unfinished work, not part of the caseload.

Supervision hours count only sign-offs the workspace can vouch for. Why: a sign-off handed
in from outside may be made up, or edited and re-hashed, and must not add hours. The
``signatures`` table keeps, per signed-off review, the key that signed its latest link.
When the case rows are computed, a sign-off whose key is not trusted counts 0 minutes (the
rule is ``signing.counts_hours``; trusted keys come from the roster and the workspace's own
``keys/trusted.json``). It still counts as a sign-off for open flags. A workspace that
trusts no key counts every sign-off, as before keys existed. The trusted keys are part of
:meth:`Index._fingerprint`, so trusting a key, or a roster edit, recomputes the figures.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import _records
from ._caseload import ReviewFacts, case_row
from ._errors import WorkspaceError
from ._index_queries import IndexQueries
from ._index_schema import INDEX_VERSION as INDEX_VERSION  # re-exported: store imports it here
from ._index_schema import _transaction, _vouched
from ._layout import REVIEWS, walk_artifacts
from ._records import (
    FACT_COLUMNS,
    REVIEW_COLUMNS,
    Record,
    caseload_to_json,
    index_record,
    stat_or_zero,
)
from ._rows import BadFile

if TYPE_CHECKING:
    from supervision_workbook.config import WorkspaceConfig
    from supervision_workbook.instruments import Instrument
    from supervision_workbook.model import Review
    from supervision_workbook.signing import TrustedKeys

log = logging.getLogger(__name__)

Progress = Callable[[Path], object]
"""Called once per artifact examined by a rebuild or refresh, with its path."""


class Index(IndexQueries):
    """The workspace's SQLite index. Every method opens and closes its own connection, so
    one ``Index`` may be used from several threads, and several processes may share a file
    (writers wait for each other through SQLite's own lock)."""

    def __init__(
        self,
        root: Path,
        config: Callable[[], WorkspaceConfig],
        instruments: Callable[[], Mapping[str, Instrument]],
        path: Path | None = None,
        trusted: Callable[[], TrustedKeys] | None = None,
    ) -> None:
        from ._layout import INDEX_NAME

        self.root = Path(root)
        self.path = Path(path) if path is not None else self.root / INDEX_NAME
        self._config = config
        self._instruments = instruments
        self._trusted = trusted if trusted is not None else self._workspace_trusted

    def _workspace_trusted(self) -> TrustedKeys:
        from supervision_workbook.signing import trusted_keys

        return trusted_keys(self.root)

    def _rel(self, path: Path) -> str:
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            raise WorkspaceError(f"{path} is not inside the workspace {self.root}") from None

    def _fingerprint(self) -> str:
        """Changes when the configuration or the instrument definitions change."""
        config = self._config()
        instruments = self._instruments()
        digest = hashlib.sha256(config.model_dump_json().encode())
        for key in sorted(instruments):
            digest.update(key.encode())
            dump = getattr(instruments[key], "model_dump_json", None)
            digest.update(dump().encode() if dump else repr(instruments[key]).encode())
        digest.update(self._trusted().fingerprint().encode())
        return digest.hexdigest()

    # --- writing -----------------------------------------------------------------------
    def rebuild(self, progress: Progress | None = None) -> list[BadFile]:
        """Re-read every artifact in ``reviews/``; returns the files that could not be read.

        Bad files (corrupt, tampered, unreadable) are reported, remembered in the index
        with the message ``validate`` prints for them (see :meth:`problems`) and skipped;
        one bad file never stops a rebuild.
        """
        return self._sync(full=True, progress=progress)

    def refresh(self, progress: Progress | None = None) -> list[BadFile]:
        """Re-read only the artifacts added or changed since the index last saw them, and
        forget removed ones: cheap enough to run each time the dashboard opens, and it
        picks up files copied into ``reviews/`` by hand or by a shared exchange folder."""
        return self._sync(full=False, progress=progress)

    def _sync(self, *, full: bool, progress: Progress | None) -> list[BadFile]:
        area = self.root / REVIEWS
        files = list(walk_artifacts(area))
        with self._connect() as conn:
            known: dict[str, tuple[int, int]] = {}
            if full or self._meta(conn, "complete") != "1":
                full = True
            else:
                for table in ("reviews", "bad_files"):
                    for rel, mtime_ns, size in conn.execute(
                        f"SELECT path, mtime_ns, size FROM {table}"  # noqa: S608 - fixed names
                    ):
                        known[rel] = (mtime_ns, size)
            from supervision_workbook.signing import hours_key

            records: list[Record] = []
            signed: list[tuple[str, str | None]] = []
            bad: list[tuple[str, int, int, str]] = []
            problems: list[BadFile] = []
            seen: set[str] = set()
            for path in files:
                rel = path.relative_to(self.root).as_posix()  # walked from root: no resolve
                seen.add(rel)
                try:
                    st = path.stat()
                    if not full and known.get(rel) == (st.st_mtime_ns, st.st_size):
                        continue
                    mtime_ns, size, review, content_hash = _records.parse_artifact(path)
                except Exception as exc:  # report any bad file; never stop the rebuild
                    message = str(exc) or type(exc).__name__
                    problems.append(BadFile(path, message))
                    mtime_ns, size = stat_or_zero(path)
                    bad.append((rel, mtime_ns, size, message))
                else:
                    records.append(index_record(rel, mtime_ns, size, review, content_hash))
                    if review.signoff is not None:
                        signed.append((rel, hours_key(review)))
                finally:
                    if progress is not None:
                        progress(path)
            changed = [r[0][0] for r in records] + [b[0] for b in bad]
            gone = [rel for rel in known if rel not in seen]
            with _transaction(conn):
                if full:
                    for table in ("reviews", "sessions", "cases", "signatures", "bad_files"):
                        conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
                    affected = None
                else:
                    affected = self._cases_of(conn, changed + gone)
                    self._delete(conn, changed + gone)
                self._insert(conn, records, bad, signed)
                if affected is not None:
                    affected |= {(r[0][6], r[0][8]) for r in records}
                self._update_cases(conn, affected)
                self._set_meta(conn, "complete", "1")
        if not full:
            # Report every bad file still present, not only the ones that changed now.
            return self.problems()
        return problems

    def upsert(self, path: Path, review: Review, content_hash: str | None = None) -> None:
        """Record (or re-record) one artifact that was just written, and its case's figures.

        ``content_hash`` defaults to the artifact layer's hash of ``review``.
        """
        if content_hash is None:
            from supervision_workbook.artifact import integrity

            content_hash = integrity.content_hash(review)
        st = Path(path).stat()
        rel = self._rel(path)
        record = index_record(rel, st.st_mtime_ns, st.st_size, review, content_hash)
        from supervision_workbook.signing import hours_key

        signed = [(rel, hours_key(review))] if review.signoff is not None else []
        with self._connect() as conn, _transaction(conn):
            affected = self._cases_of(conn, [rel]) | {(review.trainee.id, review.case.id)}
            self._delete(conn, [rel])
            self._insert(conn, [record], [], signed)
            self._update_cases(conn, affected)

    def remove(self, path: Path) -> None:
        """Forget one artifact (after it was deleted) and update its case's figures."""
        rel = self._rel(path)
        with self._connect() as conn, _transaction(conn):
            affected = self._cases_of(conn, [rel])
            self._delete(conn, [rel])
            self._update_cases(conn, affected)

    @staticmethod
    def _cases_of(conn: sqlite3.Connection, rels: Iterable[str]) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for rel in rels:
            found.update(
                conn.execute("SELECT trainee_id, case_id FROM reviews WHERE path = ?", (rel,))
            )
        return found

    @staticmethod
    def _delete(conn: sqlite3.Connection, rels: Sequence[str]) -> None:
        params = [(rel,) for rel in rels]
        for table in ("reviews", "sessions", "signatures", "bad_files"):
            conn.executemany(f"DELETE FROM {table} WHERE path = ?", params)  # noqa: S608

    @staticmethod
    def _insert(
        conn: sqlite3.Connection,
        records: Sequence[Record],
        bad: Sequence[tuple[Any, ...]],
        signed: Sequence[tuple[str, str | None]] = (),
    ) -> None:
        """``signed``: ``(path, key id of the latest link)`` of each signed-off review."""
        marks = ", ".join("?" * len(REVIEW_COLUMNS.split(",")))
        conn.executemany(
            f"INSERT OR REPLACE INTO reviews ({REVIEW_COLUMNS}) VALUES ({marks})",  # noqa: S608
            [row for row, _ in records],
        )
        conn.executemany(
            "INSERT INTO sessions (path, number, entry) VALUES (?, ?, ?)",
            [s for _, sessions in records for s in sessions],
        )
        conn.executemany("INSERT OR REPLACE INTO bad_files VALUES (?, ?, ?, ?)", bad)
        conn.executemany("INSERT OR REPLACE INTO signatures VALUES (?, ?)", signed)

    def _update_cases(self, conn: sqlite3.Connection, keys: set[tuple[str, str]] | None) -> None:
        """Recompute the ``cases`` rows for ``keys`` (all cases when ``None``)."""
        config = self._config()
        instruments = self._instruments()
        if keys is not None:
            if not keys:
                return
            conn.executemany("DELETE FROM cases WHERE trainee_id = ? AND case_id = ?", sorted(keys))
        else:
            conn.execute("DELETE FROM cases")
        trusted = self._trusted()
        for problem in trusted.problems:
            log.warning("supervision hours: %s", problem)
        facts: dict[tuple[str, str], list[ReviewFacts]] = {}
        sessions: dict[str, list[tuple[str, int, str]]] = {}
        fact_query = f"SELECT {FACT_COLUMNS} FROM reviews"  # noqa: S608 - fixed columns
        session_query = (
            "SELECT s.path, s.number, s.entry FROM sessions s JOIN reviews r USING (path)"
        )
        if keys is None:
            batches: list[tuple[str, str, tuple[str, ...]]] = [(fact_query, session_query, ())]
        else:
            case = " WHERE r.trainee_id = ? AND r.case_id = ?"
            batches = [
                (fact_query + " r" + case, session_query + case, key) for key in sorted(keys)
            ]
        for f_query, s_query, params in batches:
            for row in conn.execute(f_query, params):
                f = _vouched(
                    conn, ReviewFacts(*row[:8], datetime.fromisoformat(row[8]), *row[9:]), trusted
                )
                facts.setdefault((f.trainee_id, f.case_id), []).append(f)
            for path, number, entry in conn.execute(s_query, params):
                sessions.setdefault(path, []).append((path, number, entry))
        rows = []
        for key, case_facts in facts.items():
            case_sessions = [s for f in case_facts for s in sessions.get(f.path, ())]
            row = case_row(case_facts, case_sessions, config, instruments)
            rows.append((*key, json.dumps(caseload_to_json(row))))
        conn.executemany("INSERT OR REPLACE INTO cases VALUES (?, ?, ?)", rows)
        self._set_meta(conn, "fingerprint", self._fingerprint())

    # --- reading -----------------------------------------------------------------------
    @contextlib.contextmanager
    def _ready(self) -> Iterator[sqlite3.Connection]:
        """A connection to an index that is complete and matches the current configuration:
        rebuilt if it was deleted or outdated, per-case figures recomputed if the
        configuration or instruments changed since they were computed."""
        with self._connect() as conn:
            complete = self._meta(conn, "complete") == "1"
        if not complete:
            self.rebuild()
        with self._connect() as conn:
            if self._meta(conn, "fingerprint") != self._fingerprint():
                with _transaction(conn):
                    self._update_cases(conn, None)
            yield conn
