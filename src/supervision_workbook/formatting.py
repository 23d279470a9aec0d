"""One wording for one number: how scores, minutes and statuses read, wherever they appear.

A supervisor compares the session form, the case review, the caseload dashboard, the
artifact and a CSV side by side; the same mean must read the same in each. So every view
asks this module, and none formats a clinical number itself.

The rules:

* **Shown numbers** (:func:`number`): at most two decimals, trailing zeros dropped, so a
  mean of 22/6 reads ``3.67``, a whole sum ``36``, a half ``31.5``. Two decimals because
  the instruments' cut-offs and change indices are published to two places.
* **Data numbers** (:func:`data_number`, CSV cells): four decimals, trailing zeros dropped
  (``3.6667``). A file is read by programs that compute on it, so it keeps two digits more
  than a page shows; rounded to two places it always reads as the page does, because both
  are rounded from the same value. A missing value is an empty cell, not a zero.
* **Minutes** (:func:`minutes`): ``1 h 35 min``, as licensure boards count supervision.
* **Status words** (:data:`STATUS_WORDS`): what a review's status is called on every page.
* **Invalid values** (:func:`field_problems`): a pydantic error as ``<field>: <problem>``
  lines, one per problem, so that a person can find and fix the field.

Pure functions, no imports of the project: every layer may use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError

SHOWN_DIGITS = 2
"""Decimals a person reads (pages, messages, the artifact's text)."""

DATA_DIGITS = 4
"""Decimals a file carries (CSV): two more than shown, see the module docstring."""

MISSING = "–"
"""What a page shows where there is no number (never a zero)."""

STATUS_WORDS = {
    "draft": "draft",
    "submitted": "submitted",
    "reviewed": "reviewed, not signed off",
    "signed_off": "signed off",
}


def _trimmed(x: float, digits: int) -> str:
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def number(x: float) -> str:
    """A number as people read it: ``3.67``, ``36``, ``31.5`` (at most two decimals)."""
    return _trimmed(x, SHOWN_DIGITS)


def score(x: float | None) -> str:
    """A score on a page: :func:`number`, or :data:`MISSING` when there is none."""
    return MISSING if x is None else number(x)


def data_number(x: float | int | None) -> str:
    """A number in a data file: four decimals at most, ``""`` when missing."""
    return "" if x is None else _trimmed(float(x), DATA_DIGITS)


def minutes(total: float) -> str:
    """``95`` -> ``1 h 35 min``: supervision is counted in hours by licensure boards."""
    whole = round(total)
    hours, rest = divmod(whole, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def status_words(status: str) -> str:
    """The words for a review status (``signed_off`` -> ``signed off``)."""
    return STATUS_WORDS.get(status, status.replace("_", " "))


def field_problems(exc: ValidationError, prefix: str = "") -> list[str]:
    """A pydantic error as ``<field>: <problem>`` lines, the field as a dotted path
    (``prefix`` names where the validated object sits: ``settings.alerts``)."""
    head = [prefix] if prefix else []
    lines = []
    for err in exc.errors():
        where = ".".join([*head, *(str(part) for part in err["loc"])])
        lines.append(f"{where or 'value'}: {err['msg']}")
    return lines
