"""Reading a scores CSV into checked rows: one row per response, every cell as plain data.

Why a strict reader of our own on top of :mod:`csv`: the file comes from other tools (a
spreadsheet, a survey export, a colleague's script), so every cell is untrusted text. The
reader never evaluates anything: ``=SUM(A1)`` in an item column is "not a number", in a
name column it is a name that begins with "=", stored and shown as typed. Numbers are read
with one pattern (``3``, ``2.5``, ``-1``); ``1e3``, ``inf``, ``0x1F`` or ``3 ``-with-a-comma
are refused rather than guessed at.

A problem is reported against the line the row starts on and the column it is in
(``scores.csv:7: item_3: 9 is outside the scale 0 to 4 in steps of 1``), so a person can
fix it in the spreadsheet they came from. Problems of the whole file (binary, not UTF-8,
empty, header only, a required column missing) raise :class:`CsvFileError` instead.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from supervision_workbook.instruments import Instrument, RatingInstrument
from supervision_workbook.model import Respondent

#: The columns every file names in its header, before ``item_1 ... item_n``.
FIXED = ("trainee", "case", "session", "date", "instrument", "respondent")
ITEM = re.compile(r"^item_([1-9][0-9]{0,3})$")
#: Who fills in a session's forms. Supervisor and supervisee rate the supervision meeting,
#: which lives in a case review, not in a session.
SESSION_RESPONDENTS = (Respondent.client, Respondent.therapist)

_NUMBER = re.compile(r"^-?[0-9]{1,6}(\.[0-9]{1,6})?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_SESSION = re.compile(r"^[0-9]{1,5}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")  # model.CaseCode
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Cells a spreadsheet would run as a formula. A leading apostrophe before one is how our
#: own export (and most tools) keeps such a cell as text; the reader takes it off again.
FORMULA_START = "=+-@"
MAX_NAME = 120
MAX_BYTES = 50 * 1024 * 1024


class CsvFileError(ValueError):
    """The file as a whole cannot be read as a scores CSV (one line: file and problem)."""


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with one row: printed as ``file:line: column: problem``."""

    source: str
    line: int
    column: str
    problem: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.column}: {self.problem}"


@dataclass(frozen=True)
class ResponseRow:
    """One good row: a response of one respondent to one instrument in one session."""

    line: int
    trainee: str  # display name, whitespace collapsed
    case: str  # case code as written
    session: int
    date: date
    instrument_id: str
    respondent: Respondent
    answers: tuple[float | None, ...]

    @property
    def session_key(self) -> tuple[str, str, int]:
        """Rows with the same key go into one session review (names compared ignoring case)."""
        return (self.trainee.casefold(), self.case.casefold(), self.session)


@dataclass
class ParsedFile:
    source: str
    rows: list[ResponseRow]
    problems: list[RowProblem]
    #: Line numbers of rows with a problem, so a whole session can be held back with them.
    bad_lines: dict[int, tuple[str, str, str]]  # line -> (trainee, case, session) as typed


def read_text(path: Path) -> str:
    """The file's text, or a :class:`CsvFileError` saying in one line why it is not a CSV."""
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CsvFileError(f"{path}: larger than {MAX_BYTES // 2**20} MB; split it into parts")
    if not data.strip():
        raise CsvFileError(f"{path}: the file is empty; expected a header row {','.join(FIXED)}")
    if b"\x00" in data[:8192]:
        raise CsvFileError(f"{path}: not a text file (it holds NUL bytes; is it a spreadsheet?)")
    try:
        return data.decode("utf-8-sig")  # the byte-order mark spreadsheets write
    except UnicodeDecodeError as exc:
        raise CsvFileError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it as 'CSV UTF-8' and try again"
        ) from None


def _header(source: str, cells: list[str]) -> tuple[dict[str, int], int]:
    """Column positions and the number of item columns, or a :class:`CsvFileError`."""
    names = [c.strip().lower() for c in cells]
    where: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in where:
            raise CsvFileError(f"{source}:1: {name}: the header names this column twice")
        if name not in FIXED and not ITEM.match(name):
            raise CsvFileError(
                f"{source}:1: {name or f'column {i + 1}'}: not a column of a scores file "
                f"(expected {','.join(FIXED)},item_1,...,item_n)"
            )
        where[name] = i
    for name in FIXED:
        if name not in where:
            raise CsvFileError(f"{source}:1: {name}: missing column in the header")
    n = 0
    while f"item_{n + 1}" in where:
        n += 1
    extra = sorted((k for k in where if ITEM.match(k) and int(k[5:]) > n), key=lambda k: int(k[5:]))
    if n == 0 or extra:
        missing = f"item_{n + 1}"
        raise CsvFileError(f"{source}:1: {missing}: missing column in the header")
    return where, n


def number(cell: str) -> float | None:
    """``cell`` as a number, ``None`` when it is not one (see the module docstring)."""
    text = cell.strip()
    if not _NUMBER.match(text):
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


def unquote(cell: str) -> str:
    """Take off the apostrophe that kept a formula-like cell as text (``'=x`` -> ``=x``)."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_START else cell


class _Row:
    """The checks of one row; collects every problem rather than stopping at the first."""

    def __init__(self, source: str, line: int, cells: list[str], where: dict[str, int]) -> None:
        self.source, self.line, self.cells, self.where = source, line, cells, where
        self.problems: list[RowProblem] = []

    def cell(self, column: str) -> str | None:
        i = self.where[column]
        if i >= len(self.cells):
            self.fail(column, f"missing cell (the row ends after {len(self.cells)} cells)")
            return None
        return self.cells[i]

    def fail(self, column: str, problem: str) -> None:
        self.problems.append(RowProblem(self.source, self.line, column, problem))


def _name(row: _Row, regions: Sequence[str]) -> str | None:
    raw = row.cell("trainee")
    if raw is None:
        return None
    name = " ".join(unquote(raw).split())
    if not name:
        row.fail("trainee", "empty; give the trainee's display name")
    elif len(name) > MAX_NAME:
        row.fail("trainee", f"longer than {MAX_NAME} characters")
    elif _CONTROL.search(name):
        row.fail("trainee", "contains a control character")
    elif problem := _identifier(name, regions):
        row.fail("trainee", f"{problem} A trainee is named by their display name only.")
    else:
        return name
    return None


def _identifier(text: str, regions: Sequence[str]) -> str | None:
    from supervision_workbook.privacy import flag_identifiers

    flags = flag_identifiers(text, region=list(regions) or "US")
    return flags[0].describe() if flags else None


def _case(row: _Row, regions: Sequence[str]) -> str | None:
    code = row.cell("case")
    if code is None:
        return None
    code = code.strip()
    if not _CODE.match(code):
        row.fail(
            "case",
            "not a case code: 1 to 32 letters, digits, dots, dashes or underscores, starting "
            "with a letter or digit (for example C-014); never a client's name",
        )
    elif problem := _identifier(code, regions):
        row.fail("case", f"{problem} A case code must not identify the client.")
    else:
        return code
    return None


def _session_and_date(row: _Row, today: date) -> tuple[int | None, date | None]:
    session = day = None
    raw = row.cell("session")
    if raw is not None:
        raw = raw.strip()
        if not _SESSION.match(raw) or not 1 <= int(raw) <= 10_000:
            row.fail("session", f"{raw!r} is not a session number (a whole number, 1 to 10000)")
        else:
            session = int(raw)
    raw = row.cell("date")
    if raw is not None:
        raw = raw.strip()
        try:
            day = date.fromisoformat(raw) if _DATE.match(raw) else None
        except ValueError:
            day = None
        if day is None:
            row.fail("date", f"{raw!r} is not a date written YYYY-MM-DD (for example 2025-03-14)")
        elif day > today + timedelta(days=1):
            row.fail("date", f"{raw} is in the future")
            day = None
    return session, day


def _instrument(
    row: _Row, instruments: Mapping[str, Instrument]
) -> tuple[RatingInstrument | None, Respondent | None]:
    inst = None
    raw = row.cell("instrument")
    if raw is not None:
        found = instruments.get(raw.strip())
        if found is None:
            known = ", ".join(sorted(k for k, v in instruments.items() if v.kind == "rating"))
            row.fail("instrument", f"unknown instrument {raw.strip()!r} (known: {known})")
        elif not isinstance(found, RatingInstrument):
            row.fail(
                "instrument", f"{found.id} is not a rating instrument; import reads ratings only"
            )
        else:
            inst = found
    who = None
    raw = row.cell("respondent")
    if raw is not None:
        value = raw.strip().lower()
        try:
            who = Respondent(value)
        except ValueError:
            row.fail("respondent", f"{raw.strip()!r} is not client or therapist")
        else:
            if who not in SESSION_RESPONDENTS:
                row.fail("respondent", f"{value} rates the supervision, not a session")
                who = None
            elif inst is not None and who not in inst.respondents:
                allowed = " or ".join(r.value for r in inst.respondents)
                row.fail("respondent", f"{inst.id} is filled in by the {allowed}, not the {value}")
                who = None
    return inst, who


def _answers(row: _Row, inst: RatingInstrument, n_columns: int) -> tuple[float | None, ...] | None:
    n = len(inst.items)
    if n > n_columns:
        row.fail(
            f"item_{n_columns + 1}",
            f"{inst.id} has {n} items; the header stops at item_{n_columns}",
        )
        return None
    answers: list[float | None] = []
    ok = True
    for k in range(1, n_columns + 1):
        column = f"item_{k}"
        i = row.where[column]
        raw = row.cells[i].strip() if i < len(row.cells) else ""
        if k > n:
            if raw:
                row.fail(column, f"{inst.id} has {n} items; this row has an answer for item {k}")
                ok = False
            continue
        if not raw:
            answers.append(None)  # not answered on the form
            continue
        value = number(raw)
        if value is None:
            row.fail(column, f"{raw[:40]!r} is not a number")
            ok = False
        elif not inst.scale.contains(value):
            row.fail(column, f"{raw} is outside {inst.scale.describe()}")
            ok = False
        else:
            answers.append(value)
    if ok and all(a is None for a in answers):
        row.fail("item_1", f"no answers; a response to {inst.id} needs at least one")
        ok = False
    return tuple(answers) if ok else None


def parse(
    source: str,
    text: str,
    instruments: Mapping[str, Instrument],
    *,
    regions: Sequence[str] = ("US",),
    today: date | None = None,
) -> ParsedFile:
    """Check every row of ``text`` (the CSV read from ``source``); nothing is written."""
    today = today or date.today()
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise CsvFileError(f"{source}:1: not a CSV header ({exc})") from None
    where, n_columns = _header(source, header)
    parsed = ParsedFile(source, [], [], {})
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CsvFileError(f"{source}:{start}: cannot read the row as CSV ({exc})") from None
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # a blank line
        row = _Row(source, start, cells, where)
        if len(cells) > len(header):
            row.fail(f"cell {len(header) + 1}", "more cells than the header names")
        trainee, case = _name(row, regions), _case(row, regions)
        session, day = _session_and_date(row, today)
        inst, who = _instrument(row, instruments)
        answers = _answers(row, inst, n_columns) if inst is not None else None
        if row.problems or not (trainee and case and session and day and inst and who):
            parsed.problems.extend(row.problems)
            parsed.bad_lines[start] = _typed(cells, where)
            continue
        if answers is None:  # pragma: no cover - _answers reports a problem when it fails
            continue
        parsed.rows.append(ResponseRow(start, trainee, case, session, day, inst.id, who, answers))
    if not parsed.rows and not parsed.problems:
        raise CsvFileError(f"{source}: only a header row; there are no scores to import")
    return parsed


def _typed(cells: list[str], where: dict[str, int]) -> tuple[str, str, str]:
    """(trainee, case, session) of a bad row as typed, to hold back the rest of its session."""
    got = [cells[where[k]] if where[k] < len(cells) else "" for k in ("trainee", "case", "session")]
    name = " ".join(unquote(got[0]).split()).casefold()
    return (name, got[1].strip().casefold(), got[2].strip())
