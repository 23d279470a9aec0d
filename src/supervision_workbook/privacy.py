"""Flag likely identifiers in free text before it is saved.

This module *flags likely identifiers*; it never certifies that text is de-identified.
Heuristics miss things (a nickname, a rare street form, a workplace, a distinctive story)
and sometimes flag harmless text. The ui shows each flag with its reason, and the trainee
decides. Say so wherever results are shown: see :data:`DISCLAIMER`.

What is looked for, and the heuristic behind each kind:

``email``
    ``name@domain.tld``.
``phone``
    The ``phonenumbers`` library's matcher (libphonenumber's rules, not a home-made regex)
    at ``Leniency.VALID``: national formats of ``region`` and international formats
    (``+44 ...``, and the region's international prefix such as ``011`` in the US). The
    matcher skips most dates and times itself; a span that reads as a date is left to the
    date rules. Digit strings that are not valid numbers still meet the ``id_number``
    rule, so the stricter leniency costs little recall and keeps the label honest.
``birth_date``
    A date (``1985-03-14``, ``3/14/85``, ``14 March 1985``, ``March 14``, ``March 1985``)
    that follows a birth cue (*born*, *DOB*, *date of birth*, *birthday*, *b.*) in the same
    sentence, within a few words. Or a *full* date (day, month and year) more than
    :data:`OLD_DATE_YEARS` years before today, whatever the words around it: sessions are
    recent, and an old full date tied to a person is identifying anyway (HIPAA's Safe
    Harbor method lists every date of an individual except the year). Recent dates, such
    as last week's session, and years on their own are not flagged. Numeric dates are read
    month-first in the US (and Canada and the Philippines) and day-first elsewhere, falling
    back to the other order when the first is impossible.
``address``
    House number, one to four street-name words, and a street suffix (Street, St, Avenue,
    Ave, Road, Rd, Lane, Drive, Blvd, Way, Court, ...), with an optional unit
    (``Apt 4B``); also units and P.O. boxes on their own. Street-name words may not be
    small function words or units of time, so "walked 2 miles down the road" is not an
    address. City, state and postcode are not looked for.
``id_number``
    A run of six or more digits, or digit groups joined by hyphens or dots with six or more
    digits in all and at least one group of three or more (``123-45-6789``), optionally
    after a short letter prefix (``MRN12345678``, ``AB-9-87654-3``); or the spaced forms of
    social-security and card numbers (``123 45 6789``, ``4111 1111 1111 1111``). Dates and
    year ranges (``2024-2025``) are not id numbers.
``declared_name``
    A name the trainee declared for the case, matched case-insensitively as a whole word
    (so inside "Maria's" but not inside "Mariana"); each part of a multi-word name is
    looked for too, except particles such as "de" or "van".

Where flags of different kinds overlap, the more specific kind wins, in the order of
:data:`PRIORITY`; within a kind, the longer match. Results are sorted by position and never
overlap.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol, TypeVar

DISCLAIMER = (
    "These checks flag text that looks like an identifier (emails, phone numbers, dates "
    "of birth, street addresses, id numbers and the names you declared for this case). "
    "They cannot find every identifier and never certify that text is de-identified: "
    "read your text yourself before you share it."
)

IdentifierKind = Literal["email", "phone", "birth_date", "address", "id_number", "declared_name"]

#: Overlap resolution: earlier kinds are more specific and win.
PRIORITY: tuple[IdentifierKind, ...] = (
    "email",
    "birth_date",
    "phone",
    "address",
    "declared_name",
    "id_number",
)

#: A full date further back than this many years is treated as a likely date of birth.
OLD_DATE_YEARS = 10


@dataclass(frozen=True)
class IdentifierFlag:
    """One likely identifier: ``text == source[start:end]``; ``reason`` says why in words."""

    kind: IdentifierKind
    start: int
    end: int
    text: str
    reason: str = ""


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_S = TypeVar("_S", bound=_Span)


# --- email ---------------------------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"
)


def _emails(text: str) -> Iterator[IdentifierFlag]:
    for m in _EMAIL.finditer(text):
        yield IdentifierFlag("email", m.start(), m.end(), m.group(), "looks like an email address")


# --- phone ---------------------------------------------------------------------------------
def _phones(text: str, region: str, dates: Sequence[_Date]) -> Iterator[IdentifierFlag]:
    # Imported here: the metadata tables are not needed until someone types text.
    from phonenumbers import Leniency, PhoneNumberMatcher

    for match in PhoneNumberMatcher(text, region.upper(), leniency=Leniency.VALID):
        if any(d.start < match.end and match.start < d.end for d in dates):
            continue  # "21.03.2026" is a date even where it could be dialled
        yield IdentifierFlag(
            "phone", match.start, match.end, match.raw_string, "looks like a phone number"
        )


# --- dates ---------------------------------------------------------------------------------
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MON = "(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"
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
            rf"(?<![\w/.-])(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MON},?(?:\s+(?P<y>\d{{4}}))?(?!\w)",
        ),
        ("mdy", rf"(?<!\w){_MON}\s+(?P<d>\d{{1,2}}){_ORD}(?:,?\s+(?P<y>\d{{4}}))?(?![\w/])"),
        ("my", rf"(?<!\w){_MON},?\s+(?P<y>\d{{4}})(?!\w)"),
    )
)
_BIRTH_CUE = re.compile(
    r"(?:\b(?:born|birth\s*date|birthdate|birthdays?|date\s+of\s+birth)\b"
    r"|\bd\.?\s?o\.?\s?b\b\.?|(?<![\w.])b\.)"
    # then a short gap inside the same sentence, ending where the date starts
    r"(?:(?![.!?]\s)[^\n;]){0,30}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Date:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None

    @property
    def full(self) -> bool:
        return None not in (self.year, self.month, self.day)


def _full_year(two_or_four: str, today: date) -> int:
    year = int(two_or_four)
    if len(two_or_four) == 2:
        year += 2000 if year <= today.year % 100 else 1900
    return year


def _valid(year: int | None, month: int, day: int | None) -> bool:
    try:
        date(year or 2000, month, day or 1)
    except ValueError:
        return False
    return True


def _read_date(form: str, m: re.Match[str], day_first: bool, today: date) -> _Date | None:
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
    return _Date(m.start(), m.end(), year, month, day)


def _dates(text: str, region: str, today: date) -> list[_Date]:
    """Every date-shaped span, longest first where they overlap."""
    day_first = region.upper() not in {"US", "CA", "PH"}
    found: list[_Date] = []
    for form, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            parsed = _read_date(form, m, day_first, today)
            if parsed is not None:
                found.append(parsed)
    return _without_overlaps(found, key=lambda d: (-(d.end - d.start), d.start))


def _birth_dates(dates: Sequence[_Date], text: str, today: date) -> Iterator[IdentifierFlag]:
    cutoff_year = today.year - OLD_DATE_YEARS
    for d in dates:
        window = text[max(0, d.start - 60) : d.start]
        if _BIRTH_CUE.search(window):
            reason = "a date written next to a birth word (born, DOB, birthday)"
        elif d.full and (d.year, d.month, d.day) < (cutoff_year, today.month, today.day):
            reason = f"a full date more than {OLD_DATE_YEARS} years ago, likely a date of birth"
        else:
            continue
        yield IdentifierFlag("birth_date", d.start, d.end, text[d.start : d.end], reason)


# --- addresses -----------------------------------------------------------------------------
_SUFFIXES = (
    "street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|"
    "terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|close|crescent|cres|alley|"
    "row|gardens|grove"
)
_FULL_SUFFIXES = frozenset(
    {
        *("street", "avenue", "road", "lane", "drive", "boulevard", "way", "court", "place"),
        *("terrace", "circle", "parkway", "highway", "square", "close", "crescent", "alley"),
        *("row", "gardens", "grove"),
    }
)
_UNIT = r"(?:apt|apartment|unit|suite|ste|flat|#)\.?\s*#?\s*[A-Za-z0-9]{1,5}(?:-[A-Za-z0-9]{1,4})?"
_ADDRESS = re.compile(
    r"(?<![\w.,/-])(?P<num>\d{1,6}[A-Za-z]?(?:-\d{1,6})?)\s+"
    r"(?P<name>(?:(?:[A-Za-z][A-Za-z'’.-]*|\d{1,3}(?:st|nd|rd|th))\s+){1,4}?)"
    rf"(?P<suffix>{_SUFFIXES})\b\.?"
    rf"(?P<unit>,?\s+{_UNIT}\b)?",
    re.IGNORECASE,
)
_UNIT_ALONE = re.compile(
    r"(?<!\w)(?:(?i:apt|apartment)\.?\s*#?\s*\d{1,5}[A-Za-z]?"
    r"|(?:Unit|Suite|Flat)\s+#?\d{1,5}[A-Za-z]?"
    r"|(?i:p\.?\s?o\.?\s+box)\s+\d{1,6})\b"
)
_NOT_STREET_WORDS = frozenset(
    """a an the of to in on at by for from with and or but nor so as into onto over under
    down up along across through around near past off out about than then
    her his my our their your its this that these those he she they we you it i
    is was were be been being am are has had have do did does will would can could
    more less most least many much few several some any each every per other another
    times time weeks week days day hours hour minutes minute months month years year
    sessions session miles mile km kms meters metres blocks block steps step
    points point items item questions question pages page mg kg lbs pounds dollars
    long short quick slow hard easy good bad new old same different next last first""".split()  # noqa: SIM905
)


_STREET = "looks like a street address"
_PART = "looks like part of an address"


def _addresses(text: str) -> Iterator[IdentifierFlag]:
    pos = 0
    while (m := _ADDRESS.search(text, pos)) is not None:
        words = [w.strip(".'’").lower() for w in m.group("name").split()]
        if any(w in _NOT_STREET_WORDS for w in words):
            pos = m.start() + 1
            continue
        end = m.end()
        if m.group("unit") is None and m.group("suffix").lower() in _FULL_SUFFIXES:
            end -= m.group().endswith(".")  # a sentence's full stop, not an abbreviation's
        yield IdentifierFlag("address", m.start(), end, text[m.start() : end], _STREET)
        pos = end
    for m in _UNIT_ALONE.finditer(text):
        yield IdentifierFlag("address", m.start(), m.end(), m.group(), _PART)


# --- id numbers ----------------------------------------------------------------------------
_ID_PATTERNS = (
    re.compile(r"(?<![\w.-])(?:[A-Za-z]{1,3}-?)?\d{6,}(?![\w-]|[.,]\d)"),
    re.compile(r"(?<![\w.-])(?:[A-Za-z]{1,3}-)?\d{1,6}(?:[-.]\d{1,6}){1,5}(?![\w-]|[.]\d)"),
    re.compile(
        r"(?<![\w.-])(?:\d{3} \d{2} \d{4}|\d{4}(?: \d{4}){2,3}|\d{4} \d{6} \d{5})(?![\w-]|[.,]\d)"
    ),
)
_LONG_NUMBER = "a long number, possibly an id"
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d[-.](?:19|20)\d\d")


def _id_numbers(text: str, dates: Sequence[_Date]) -> Iterator[IdentifierFlag]:
    date_spans = {(d.start, d.end) for d in dates}
    for pattern in _ID_PATTERNS:
        for m in pattern.finditer(text):
            groups = re.findall(r"\d+", m.group())
            if sum(map(len, groups)) < 6 or max(map(len, groups)) < 3:
                continue
            if (m.start(), m.end()) in date_spans or _YEAR_RANGE.fullmatch(m.group()):
                continue
            yield IdentifierFlag("id_number", m.start(), m.end(), m.group(), _LONG_NUMBER)


# --- declared names ------------------------------------------------------------------------
_PARTICLES = frozenset(
    "de da del della der di du la le van von den dos das al el bin ibn ben st mc mac".split()  # noqa: SIM905
)


def _name_variants(declared: Sequence[str]) -> list[str]:
    """Each declared name, and each part of a multi-word one, longest first."""
    variants: dict[str, str] = {}
    for name in declared:
        name = " ".join(str(name).split())
        if not name:
            continue
        variants.setdefault(name.casefold(), name)
        parts = name.split(" ")
        if len(parts) > 1:
            for part in parts:
                part = part.strip(".,")
                if len(part) >= 2 and part.casefold() not in _PARTICLES:
                    variants.setdefault(part.casefold(), part)
    return sorted(variants.values(), key=len, reverse=True)


def _declared_names(text: str, declared: Sequence[str]) -> Iterator[IdentifierFlag]:
    for name in _name_variants(declared):
        body = r"\s+".join(re.escape(p) for p in name.split(" "))
        pattern = re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)
        for m in pattern.finditer(text):
            yield IdentifierFlag(
                "declared_name",
                m.start(),
                m.end(),
                m.group(),
                "a name you declared for this case",
            )


# --- putting it together -------------------------------------------------------------------
def _without_overlaps(items: Iterable[_S], key: Callable[[_S], Any]) -> list[_S]:
    """Greedy: take items in ``key`` order, dropping any that overlap one already taken."""
    taken: list[_S] = []
    for item in sorted(items, key=key):
        if all(item.end <= t.start or item.start >= t.end for t in taken):
            taken.append(item)
    return sorted(taken, key=lambda t: t.start)


def flag_identifiers(
    text: str,
    declared_names: Sequence[str] = (),
    region: str = "US",
    *,
    today: date | None = None,
) -> list[IdentifierFlag]:
    """Likely identifiers in ``text``, sorted by position and non-overlapping.

    ``declared_names``: names the trainee declared for the case (kept in the workspace's
    private folder). ``region``: ISO country code for national phone formats and for
    reading numeric dates. ``today``: the reference date for "more than ten years ago"
    (tests pass a fixed one). Flags are a prompt to look again, never a guarantee; see
    :data:`DISCLAIMER`.
    """
    if not text:
        return []
    today = today or date.today()
    dates = _dates(text, region, today)
    candidates = [
        *_emails(text),
        *_birth_dates(dates, text, today),
        *_phones(text, region, dates),
        *_addresses(text),
        *_declared_names(text, declared_names),
        *_id_numbers(text, dates),
    ]
    rank = {kind: i for i, kind in enumerate(PRIORITY)}
    return _without_overlaps(candidates, key=lambda f: (rank[f.kind], -(f.end - f.start), f.start))


__all__ = ["DISCLAIMER", "OLD_DATE_YEARS", "PRIORITY", "IdentifierFlag", "flag_identifiers"]
