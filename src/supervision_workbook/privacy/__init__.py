"""Flag likely identifiers in free text before it is saved.

This package *flags likely identifiers*; it never certifies that text is de-identified.
Heuristics miss things (a nickname, a rare street form, a workplace, a distinctive story)
and sometimes flag harmless text. The ui shows each flag with its reason and a masked
snippet of the place, and the trainee decides. Say so wherever results are shown: see
:data:`DISCLAIMER`.

What is looked for, and where each rule lives:

``email``
    ``name@domain.tld`` (here).
``phone``
    libphonenumber's matcher for each configured region (:mod:`.numbers`).
``birth_date``
    A date after a birth cue, or a full date more than ten years ago (:mod:`.dates`).
``address``
    Street addresses, units, P.O. boxes, and the postcodes and street forms of the
    configured regions (:mod:`.places`).
``national_id``
    NHS, National Insurance, SSN, SIN, TFN, Medicare, Steuer-ID, NIR, BSN, PPS and NHI
    numbers of the configured regions, with their check digits (:mod:`.national_ids`).
``id_number``
    Any other long number (:mod:`.numbers`).
``declared_name``
    The names declared for the case; names that are ordinary words only where they read
    as names (:mod:`.names`).

The regions come from the workspace configuration (``[privacy] regions`` in
``supervision-workbook.toml``); :mod:`.regions` says why. Where flags of different kinds
overlap, the more specific kind wins, in the order of :data:`PRIORITY`; within a kind, the
longer match. Results are sorted by position and never overlap. docs/identifiers.md gives
the measured recall and false alarms per kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date

from supervision_workbook.privacy.dates import OLD_DATE_YEARS, birth_dates, find_dates
from supervision_workbook.privacy.flags import (
    PRIORITY,
    IdentifierFlag,
    IdentifierKind,
    masked_snippet,
    with_snippets,
    without_overlaps,
)
from supervision_workbook.privacy.names import declared_names as _declared_names
from supervision_workbook.privacy.national_ids import national_ids
from supervision_workbook.privacy.numbers import id_numbers, phones
from supervision_workbook.privacy.places import addresses
from supervision_workbook.privacy.regions import (
    SUPPORTED_REGIONS,
    day_first,
    normalise_regions,
)

DISCLAIMER = (
    "These checks flag text that looks like an identifier (emails, phone numbers, dates "
    "of birth, addresses, national id and other long numbers, and the names you declared "
    "for this case). They cannot find every identifier and never certify that text is "
    "de-identified: read your text yourself before you share it."
)

_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"
)


def _emails(text: str) -> Iterator[IdentifierFlag]:
    for m in _EMAIL.finditer(text):
        yield IdentifierFlag("email", m.start(), m.end(), m.group(), "looks like an email address")


def flag_identifiers(
    text: str,
    declared_names: Sequence[str] = (),
    region: str | Sequence[str] = "US",
    *,
    today: date | None = None,
) -> list[IdentifierFlag]:
    """Likely identifiers in ``text``, sorted by position and non-overlapping.

    ``declared_names``: names the trainee declared for the case (kept in the workspace's
    private folder). ``region``: an ISO country code, or several (``["GB", "IE"]``; "UK"
    is read as "GB"), for phone, postcode and national id formats; the first one decides
    how numeric dates are read. ``today``: the reference date for "more than ten years
    ago" (tests pass a fixed one). Each flag carries a masked ``snippet`` and a
    ``describe()`` sentence for the warning. Flags are a prompt to look again, never a
    guarantee; see :data:`DISCLAIMER`.
    """
    if not text:
        return []
    regions = normalise_regions(region)
    today = today or date.today()
    dates = find_dates(text, day_first(regions), today)
    candidates = [
        *_emails(text),
        *birth_dates(dates, text, today),
        *national_ids(text, regions),
        *phones(text, regions, dates),
        *addresses(text, regions),
        *_declared_names(text, declared_names),
        *id_numbers(text, dates),
    ]
    rank = {kind: i for i, kind in enumerate(PRIORITY)}
    kept = without_overlaps(candidates, key=lambda f: (rank[f.kind], -(f.end - f.start), f.start))
    return with_snippets(text, kept)


__all__ = [
    "DISCLAIMER",
    "OLD_DATE_YEARS",
    "PRIORITY",
    "SUPPORTED_REGIONS",
    "IdentifierFlag",
    "IdentifierKind",
    "flag_identifiers",
    "masked_snippet",
]
