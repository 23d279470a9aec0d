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
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from supervision_workbook.instruments import Instrument, ReflectionInstrument

from ._cells import Row, answers_of, case_of, instrument_of, name_of, session_and_date, unquote
from ._format import FIXED, ITEM, MAX_BYTES, CsvFileError, ParsedFile, ResponseRow


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
        row = Row(source, start, cells, where)
        if len(cells) > len(header):
            row.fail(f"cell {len(header) + 1}", "more cells than the header names")
        trainee, case = name_of(row, regions), case_of(row, regions)
        session, day = session_and_date(row, today)
        inst, who = instrument_of(row, instruments)
        answers = answers_of(row, inst, n_columns) if inst is not None else None
        if row.problems or not (trainee and case and session and day and inst and who):
            parsed.problems.extend(row.problems)
            parsed.bad_lines[start] = _typed(cells, where)
            continue
        if answers is None:  # pragma: no cover - _answers reports a problem when it fails
            continue
        themes = (
            tuple(t.id for t in inst.themes) if isinstance(inst, ReflectionInstrument) else None
        )
        parsed.rows.append(
            ResponseRow(start, trainee, case, session, day, inst.id, who, answers, themes)
        )
    if not parsed.rows and not parsed.problems:
        raise CsvFileError(f"{source}: only a header row; there are no scores to import")
    return parsed


def _typed(cells: list[str], where: dict[str, int]) -> tuple[str, str, str]:
    """(trainee, case, session) of a bad row as typed, to hold back the rest of its session."""
    got = [cells[where[k]] if where[k] < len(cells) else "" for k in ("trainee", "case", "session")]
    name = " ".join(unquote(got[0]).split()).casefold()
    return (name, got[1].strip().casefold(), got[2].strip())
