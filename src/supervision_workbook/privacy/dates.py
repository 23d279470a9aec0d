"""Dates, and which of them are likely dates of birth.

A date (``1985-03-14``, ``3/14/85``, ``14 March 1985``, ``March 14``, ``March 1985``) is a
likely date of birth when a birth cue (*born*, *DOB*, *date of birth*, *birthday*, *b.*, and
on forms from the configured regions *geb.*, *geboren*, *née le*, *geboortedatum*) comes
before it in the same sentence, within a few words. So is a *full* date (day, month and
year) more than :data:`OLD_DATE_YEARS` years before today, whatever the words around it:
sessions are recent, and an old full date tied to a person is identifying anyway (HIPAA's
Safe Harbor method, 45 CFR 164.514(b)(2), lists every date of an individual except the
year). Recent dates, such as last week's session, and years on their own are not flagged.

Numeric dates are read in the primary region's order (month first in the US, Canada and
the Philippines, day first elsewhere), falling back to the other order when the first is
impossible. The dates found here also keep the phone and id rules off date-shaped numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from supervision_workbook.privacy.flags import IdentifierFlag, without_overlaps

#: A full date further back than this many years is treated as a likely date of birth.
OLD_DATE_YEARS = 10

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            # English, then German, French and Dutch names as written on forms
            ("january", "jan", "januar", "janvier", "januari"),
            ("february", "feb", "februar", "février", "fevrier", "februari"),
            ("march", "mar", "märz", "maerz", "mars", "maart"),
            ("april", "apr", "avril"),
            ("may", "mai", "mei"),
            ("june", "jun", "juni", "juin"),
            ("july", "jul", "juli", "juillet"),
            ("august", "aug", "août", "aout", "augustus"),
            ("september", "sep", "sept", "septembre"),
            ("october", "oct", "oktober", "octobre", "okt"),
            ("november", "nov", "novembre"),
            ("december", "dec", "dezember", "décembre", "dez"),
        ),
        start=1,
    )
    for name in names
}
_MON = "(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th|er|\.)?"
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (form, re.compile(pattern, re.IGNORECASE))
    for form, pattern in (
        ("ymd", r"(?<![\w/.-])(?P<y>\d{4})[-/.](?P<a>\d{1,2})[-/.](?P<b>\d{1,2})(?![\w/-]|\.\d)"),
        (
            "numeric",
            r"(?<![\w/.-])(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4}|\d{2})(?![\w/-]|\.\d)",
        ),
        (
            "dmy",
            # a two-digit year only after a month name: "14 Mar 85"
            rf"(?<![\w/.-])(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MON},?"
            r"(?:\s+(?P<y>\d{4}|['’]?\d{2}(?![\w:])))?(?!\w)",
        ),
        ("mdy", rf"(?<!\w){_MON}\s+(?P<d>\d{{1,2}}){_ORD}(?:,?\s+(?P<y>\d{{4}}))?(?![\w/])"),
        ("my", rf"(?<!\w){_MON},?\s+(?P<y>\d{{4}})(?!\w)"),
    )
)
_BIRTH_CUE = re.compile(
    r"(?:\b(?:born|birth\s*date|birthdate|birthdays?|date\s+of\s+birth"
    # the same cue in the configured regions' other languages, as it appears on forms
    r"|geboren|geburtsdatum|geboortedatum|n[ée]e?\s+le|date\s+de\s+naissance)\b"
    r"|\bgeb\."
    r"|\bd\.?\s?o\.?\s?b\b\.?|(?<![\w.])b\.)"
    # then a short gap inside the same sentence, ending where the date starts
    r"(?:(?![.!?]\s)[^\n;]){0,30}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Date:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    sure_of_year: bool = True

    @property
    def full(self) -> bool:
        return None not in (self.year, self.month, self.day)


def _full_year(two_or_four: str, today: date) -> int:
    year = int(two_or_four.lstrip("'’"))
    if len(two_or_four.lstrip("'’")) == 2:
        year += 2000 if year <= today.year % 100 else 1900
    return year


def _valid(year: int | None, month: int, day: int | None) -> bool:
    try:
        date(year or 2000, month, day or 1)
    except ValueError:
        return False
    return True


def _read_date(form: str, m: re.Match[str], day_first: bool, today: date) -> Date | None:
    groups = m.groupdict()
    year = _full_year(groups["y"], today) if groups.get("y") else None
    if groups.get("mon"):
        month = _MONTHS[groups["mon"].lower()]
        day = int(groups["d"]) if groups.get("d") else None
    else:
        a, b = int(groups["a"]), int(groups["b"])
        # Year-first dates are always year-month-day; others follow the region's habit.
        orders = [(b, a), (a, b)] if day_first else [(a, b), (b, a)]
        if form == "ymd":
            orders = [(a, b)]
        month, day = next(((mo, d) for mo, d in orders if _valid(year, mo, d)), (0, 0))
        if not month:
            return None
    if not _valid(year, month, day):
        return None
    # "12 May 10 minutes late": a bare two-digit number after a month name may not be a
    # year, so such a date counts only after a birth cue, never as an old date alone.
    bare = form == "dmy" and groups.get("y") is not None and len(groups["y"]) == 2
    return Date(m.start(), m.end(), year, month, day, sure_of_year=not bare)


def find_dates(text: str, day_first: bool, today: date) -> list[Date]:
    """Every date-shaped span, longest first where they overlap."""
    found: list[Date] = []
    for form, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            parsed = _read_date(form, m, day_first, today)
            if parsed is not None:
                found.append(parsed)
    return without_overlaps(found, key=lambda d: (-(d.end - d.start), d.start))


def birth_dates(dates: Sequence[Date], text: str, today: date) -> Iterator[IdentifierFlag]:
    cutoff_year = today.year - OLD_DATE_YEARS
    for d in dates:
        window = text[max(0, d.start - 60) : d.start]
        if _BIRTH_CUE.search(window):
            reason = "a date written next to a birth word (born, DOB, birthday)"
        elif (
            d.full
            and d.sure_of_year
            and (d.year, d.month, d.day) < (cutoff_year, today.month, today.day)
        ):
            reason = f"a full date more than {OLD_DATE_YEARS} years ago, likely a date of birth"
        else:
            continue
        yield IdentifierFlag("birth_date", d.start, d.end, text[d.start : d.end], reason)
