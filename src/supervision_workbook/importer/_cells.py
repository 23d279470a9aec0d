"""The checks of one row's cells: every cell is untrusted text, read as data and never run.

Each checker reports every problem it finds against the row's line and the column's name,
and returns the value or ``None``; a row becomes a record only when nothing was reported.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from supervision_workbook.instruments import Instrument, RatingInstrument, ReflectionInstrument
from supervision_workbook.model import Respondent

from ._format import FORMULA_START, SESSION_RESPONDENTS, Form, RowProblem, shape

_NUMBER = re.compile(r"^-?[0-9]{1,6}(\.[0-9]{1,6})?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_SESSION = re.compile(r"^[0-9]{1,5}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")  # model.CaseCode
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME = 120


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


class Row:
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


def name_of(row: Row, regions: Sequence[str]) -> str | None:
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
    return _flagged(text, tuple(regions))


@functools.lru_cache(maxsize=4096)
def _flagged(text: str, regions: tuple[str, ...]) -> str | None:
    """The privacy flagger's first warning for ``text`` (cached: a file repeats the same
    few names and codes on every row, and flagging is the slowest check of a row)."""
    from supervision_workbook.privacy import flag_identifiers

    flags = flag_identifiers(text, region=list(regions) or "US")
    return flags[0].describe() if flags else None


def case_of(row: Row, regions: Sequence[str]) -> str | None:
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


def session_and_date(row: Row, today: date) -> tuple[int | None, date | None]:
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


def instrument_of(
    row: Row, instruments: Mapping[str, Instrument]
) -> tuple[Form | None, Respondent | None]:
    inst = None
    raw = row.cell("instrument")
    if raw is not None:
        found = instruments.get(raw.strip())
        if found is None:
            answerable = ("rating", "reflection")
            known = ", ".join(sorted(k for k, v in instruments.items() if v.kind in answerable))
            row.fail("instrument", f"unknown instrument {raw.strip()!r} (known: {known})")
        elif not isinstance(found, (RatingInstrument, ReflectionInstrument)):
            row.fail(
                "instrument",
                f"{found.id} is not a rating or reflection instrument; import reads answers only",
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


def answers_of(row: Row, inst: Form, n_columns: int) -> tuple[float | None, ...] | None:
    n, scale = shape(inst)
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
        elif not scale.contains(value):
            row.fail(column, f"{raw} is outside {scale.describe()}")
            ok = False
        else:
            answers.append(value)
    if ok and all(a is None for a in answers):
        row.fail("item_1", f"no answers; a response to {inst.id} needs at least one")
        ok = False
    return tuple(answers) if ok else None
