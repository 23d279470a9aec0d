"""The index's tables and the SQLite plumbing every index connection shares.

Why apart from :class:`_index.Index`: the table layout and :data:`INDEX_VERSION` change
together (bump one, the other follows), and the low-level rules here (what counts as a
damaged file, how a write transaction takes its lock, which sign-offs the workspace vouches
for) are each used by both the refresh and the queries. The reasons behind them are in
``_index``'s module docstring.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from supervision_workbook.signing import TrustedKeys

    from ._caseload import ReviewFacts

log = logging.getLogger(__name__)

#: Bump whenever the tables below change, or what a row means; older index files are then
#: rebuilt. 2: files are checked as ``validate`` checks them, cells included (an index of
#: version 1 may list a file with edited cells as sound). 3: sign-offs carry whether a
#: trusted key signed them, and only those count towards supervision minutes. 4: a sign-off's
#: format, modality and date are kept for the hours rules (``hours``).
INDEX_VERSION = 4

#: SQLite's result codes for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB).
_DAMAGED_CODES = frozenset({11, 26})

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE reviews (
    path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL,
    review_id TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
    trainee_id TEXT NOT NULL, trainee_name TEXT NOT NULL,
    case_id TEXT NOT NULL, case_code TEXT NOT NULL,
    session_date TEXT, last_session_number INTEGER, n_sessions INTEGER NOT NULL,
    created TEXT NOT NULL, updated TEXT NOT NULL, content_hash TEXT NOT NULL,
    signoff_minutes INTEGER, signoff_format TEXT, supervisor TEXT, signoff TEXT
);
CREATE INDEX reviews_case ON reviews (trainee_id, case_id);
CREATE TABLE sessions (
    path TEXT NOT NULL, number INTEGER NOT NULL, entry TEXT NOT NULL
);
CREATE INDEX sessions_path ON sessions (path);
CREATE TABLE cases (
    trainee_id TEXT NOT NULL, case_id TEXT NOT NULL, row TEXT NOT NULL,
    PRIMARY KEY (trainee_id, case_id)
);
CREATE TABLE signatures (path TEXT PRIMARY KEY, last_key TEXT);
CREATE TABLE bad_files (
    path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, error TEXT NOT NULL
);
"""


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    """True for "database disk image is malformed" and "file is not a database", not for a
    busy or locked database (``OperationalError``, a subclass, which a retry can cure)."""
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code in _DAMAGED_CODES
    text = str(exc)
    return "malformed" in text or "not a database" in text


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` (take the write lock now, so two writers queue instead of
    deadlocking on an upgrade), then commit, or roll back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _vouched(conn: sqlite3.Connection, facts: ReviewFacts, trusted: TrustedKeys) -> ReviewFacts:
    """``facts``, with its sign-off's minutes at 0 when the workspace cannot vouch for it (the
    rule is ``signing.counts_hours``; see the module docstring)."""
    if not facts.signoff_minutes or not trusted:
        return facts
    from supervision_workbook.signing import counts_hours

    row = conn.execute("SELECT last_key FROM signatures WHERE path = ?", (facts.path,)).fetchone()
    if counts_hours(row[0] if row else None, trusted):
        return facts
    return replace(facts, signoff_minutes=0)


class IndexFile:
    """The index file itself: opening it, creating its tables, removing it when damaged.
    :class:`_index.Index` sets ``path``."""

    path: Path

    # --- connection and schema ---------------------------------------------------------
    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = self._open()
        try:
            yield conn
        except sqlite3.DatabaseError as exc:
            if _damaged(exc):
                conn.close()
                self._discard(exc)
            raise
        finally:
            conn.close()

    def _discard(self, exc: BaseException) -> None:
        """Remove a damaged index (and its journal): it is a cache, and the next use
        rebuilds it from the artifacts. The error that found the damage still reaches the
        caller (a save logs it and succeeds; a query fails once)."""
        log.warning("%s is damaged (%s); removing it, the next use rebuilds it", self.path, exc)
        for path in (self.path, self.path.with_name(self.path.name + "-journal")):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous = OFF")  # a cache: see the module docstring
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError:  # not a database: a cache, so start again
            conn.close()
            log.warning("%s is not a usable index; recreating it", self.path)
            self.path.unlink(missing_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA synchronous = OFF")
            version, tables = 0, 0
        if version != INDEX_VERSION or tables == 0:
            self._create(conn)
        return conn

    def _create(self, conn: sqlite3.Connection) -> None:
        with _transaction(conn):
            # Re-check under the write lock: another process may have just done this.
            if conn.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION:
                return
            names = conn.execute(
                "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
            for kind, name in names:
                conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO meta VALUES ('complete', '0')")
            conn.execute(f"PRAGMA user_version = {INDEX_VERSION}")

    @staticmethod
    def _meta(conn: sqlite3.Connection, key: str) -> str | None:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @staticmethod
    def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
