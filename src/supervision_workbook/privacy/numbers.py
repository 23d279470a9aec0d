"""Phone numbers and long numbers that may be ids.

``phone``
    The ``phonenumbers`` library's matcher (libphonenumber's rules, not a home-made regex)
    at ``Leniency.VALID``, once for each configured region: national formats of each region
    and international formats (``+44 ...``, and a region's international prefix such as
    ``011`` in the US). Numbers in ranges a regulator keeps free for fiction, such as
    Ofcom's ``07700 900xxx`` drama numbers, are not "valid" to libphonenumber; so, in
    regions whose national numbers start with the trunk prefix ``0``, a number written
    with that ``0`` and at least nine digits in all also counts when libphonenumber calls
    it merely *possible*, and so does one written in international form (``+44 7700
    900321``) in any region. The matcher skips most dates and times itself; a span that reads
    as a date is left to the date rules.
``id_number``
    A run of six or more digits, or digit groups joined by hyphens or dots with six or more
    digits in all and at least one group of three or more (``123-45-6789``), optionally
    after a short letter prefix (``MRN12345678``, ``AB-9-87654-3``); or the spaced forms of
    social-security and card numbers (``123 45 6789``, ``4111 1111 1111 1111``). Dates and
    year ranges (``2024-2025``) are not id numbers. National id numbers that pass their
    country's check digit are reported by :mod:`.national_ids` instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

from supervision_workbook.privacy.dates import Date
from supervision_workbook.privacy.flags import IdentifierFlag

_PHONE = "looks like a phone number"


@cache
def _trunk_zero(region: str) -> bool:
    from phonenumbers import PhoneMetadata

    metadata = PhoneMetadata.metadata_for_region(region)
    return metadata is not None and metadata.national_prefix == "0"


def _a_list_of_scores(raw: str) -> bool:
    """``30 32 35 31 28``: a valid US number by its digits, but written as a list.

    Numbers written in pairs (France's ``01 99 00 12 34``) start with the trunk ``0`` or a
    ``+``; a run of four or more one- or two-digit groups without either is a list of
    scores or items.
    """
    groups = re.findall(r"\d+", raw)
    return len(groups) >= 4 and max(map(len, groups)) <= 2 and not raw.startswith(("0", "+"))


def phones(text: str, regions: Sequence[str], dates: Sequence[Date]) -> Iterator[IdentifierFlag]:
    """Phone numbers in the national formats of ``regions`` and in international formats."""
    # Imported here: the metadata tables are not needed until someone types text.
    from phonenumbers import Leniency, PhoneNumberMatcher

    def clear_of_dates(start: int, end: int) -> bool:
        # "21.03.2026" is a date even where it could be dialled
        return not any(d.start < end and start < d.end for d in dates)

    for region in regions:
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
            if clear_of_dates(match.start, match.end) and not _a_list_of_scores(match.raw_string):
                yield IdentifierFlag("phone", match.start, match.end, match.raw_string, _PHONE)
        trunk = "0" if _trunk_zero(region) else "+"
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.POSSIBLE):
            raw = match.raw_string
            digits = sum(c.isdigit() for c in raw)
            written_as_phone = raw.lstrip("(").startswith(("+", trunk)) and digits >= 9
            if written_as_phone and clear_of_dates(match.start, match.end):
                yield IdentifierFlag("phone", match.start, match.end, raw, _PHONE)


_ID_PATTERNS = (
    re.compile(r"(?<![\w.-])(?:[A-Za-z]{1,3}-?)?\d{6,}(?![\w-]|[.,]\d)"),
    re.compile(r"(?<![\w.-])(?:[A-Za-z]{1,3}-)?\d{1,6}(?:[-.]\d{1,6}){1,5}(?![\w-]|[.]\d)"),
    re.compile(
        r"(?<![\w.-])(?:\d{3} \d{2} \d{4}|\d{4}(?: \d{4}){2,3}|\d{4} \d{6} \d{5})(?![\w-]|[.,]\d)"
    ),
)
_LONG_NUMBER = "a long number, possibly an id"
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d[-.](?:19|20)\d\d")


def id_numbers(text: str, dates: Sequence[Date]) -> Iterator[IdentifierFlag]:
    """Long numbers of any country: a prompt to look, without claiming which id it is."""
    date_spans = {(d.start, d.end) for d in dates}
    for pattern in _ID_PATTERNS:
        for m in pattern.finditer(text):
            groups = re.findall(r"\d+", m.group())
            if sum(map(len, groups)) < 6 or max(map(len, groups)) < 3:
                continue
            if (m.start(), m.end()) in date_spans or _YEAR_RANGE.fullmatch(m.group()):
                continue
            yield IdentifierFlag("id_number", m.start(), m.end(), m.group(), _LONG_NUMBER)
