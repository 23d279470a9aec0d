"""The scores file's format: its columns, and the records a checked row becomes.

``trainee,case,session,date,instrument,respondent,item_1,...,item_n``: one row per completed
form. A rating form's answers are its items in order; a reflection's are its theme
intensities in the order its instrument lists the themes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from supervision_workbook.instruments import (
    Instrument,
    RatingInstrument,
    ReflectionInstrument,
    Scale,
)
from supervision_workbook.model import Respondent

#: The columns every file names in its header, before ``item_1 ... item_n``.
FIXED = ("trainee", "case", "session", "date", "instrument", "respondent")
ITEM = re.compile(r"^item_([1-9][0-9]{0,3})$")
#: Who fills in a session's forms. Supervisor and supervisee rate the supervision meeting,
#: which lives in a case review, not in a session.
SESSION_RESPONDENTS = (Respondent.client, Respondent.therapist)

#: Cells a spreadsheet would run as a formula. A leading apostrophe before one is how our
#: own export (and most tools) keeps such a cell as text; the reader takes it off again.
FORMULA_START = "=+-@"
MAX_BYTES = 50 * 1024 * 1024


#: What a row can answer: a rating form's items, or a reflection's theme intensities (its
#: written prompts are free text, which the format does not carry).
Form = RatingInstrument | ReflectionInstrument


def shape(inst: Form) -> tuple[int, Scale]:
    """How many answer columns ``inst`` has, and the scale they are on."""
    if isinstance(inst, ReflectionInstrument):
        return len(inst.themes), inst.intensity
    return len(inst.items), inst.scale


def reflection_form(
    themes: Iterable[str], instruments: Mapping[str, Instrument]
) -> ReflectionInstrument | None:
    """The reflection instrument whose themes include every theme id of a record (the
    record does not name its instrument), preferring ``countertransference``."""
    wanted = set(themes)
    forms = [i for i in instruments.values() if isinstance(i, ReflectionInstrument)]
    forms.sort(key=lambda i: i.id != "countertransference")
    return next((i for i in forms if wanted <= {t.id for t in i.themes}), None)


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
    #: For a reflection (countertransference) row: the theme ids the answers rate, in order.
    themes: tuple[str, ...] | None = None

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
