"""Which countries' formats to look for, from a region code or several.

Why regions at all: a phone number, a postcode or a national insurance number is written
differently in every country, and a checksum that proves a Dutch BSN proves nothing about a
British NHS number. Looking for every country's formats everywhere would flag harmless
numbers far more often, so the workspace configuration names the countries its clients
live in, and only their formats are looked for (emails, declared names and long numbers
are looked for everywhere).
"""

from __future__ import annotations

from collections.abc import Sequence

#: Regions whose national id, postcode and address formats are known to the flagger.
#: Phone numbers work for every region that libphonenumber knows.
SUPPORTED_REGIONS: tuple[str, ...] = ("US", "GB", "CA", "AU", "DE", "FR", "NL", "IE", "NZ")

#: Common names for a region that are not its ISO 3166-1 code.
_ALIASES = {"UK": "GB"}

#: Regions that write numeric dates month first (3/14/1985); others are day first.
MONTH_FIRST = frozenset({"US", "CA", "PH"})


def normalise_regions(region: str | Sequence[str]) -> tuple[str, ...]:
    """``"us"``, ``"UK"`` or ``["GB", "IE"]`` as upper-case ISO codes, first one first.

    The first region is the primary one: it decides how a numeric date such as 03/04/2015
    is read. An empty sequence means ``("US",)``, the historical default.
    """
    codes = [region] if isinstance(region, str) else list(region)
    out: list[str] = []
    for code in codes:
        code = _ALIASES.get(str(code).strip().upper(), str(code).strip().upper())
        if code and code not in out:
            out.append(code)
    return tuple(out) or ("US",)


def day_first(regions: Sequence[str]) -> bool:
    """Whether numeric dates are read day first: the primary region's habit."""
    return regions[0] not in MONTH_FIRST
