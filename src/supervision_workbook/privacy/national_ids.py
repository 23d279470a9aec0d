"""National health, tax and social insurance numbers of the configured regions.

Each format is the written shape its issuer documents (with the spaces or hyphens people
type) and, where the issuer defines one, its check digit: a run of digits that merely has
the right length is left to the generic ``id_number`` rule, while one that passes the
check is reported with the name of the number it looks like. Only the formats of the
configured regions are looked for, since a checksum of one country says nothing about
numbers of another.

Check digits are verified with python-stdnum where it has the number (a maintained library
with the issuers' algorithms); the three it lacks are written out here with their source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import mul

from supervision_workbook.privacy.flags import IdentifierFlag


@dataclass(frozen=True)
class NationalFormat:
    region: str
    name: str
    pattern: re.Pattern[str]
    #: The check digit test; None where the issuer defines none (the shape is the test).
    valid: Callable[[str], bool] | None
    #: Whether ``valid`` tests a check digit (the US SSN's test is of never-issued blocks).
    check_digit: bool = True


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def _stdnum(module: str) -> Callable[[str], bool]:
    def valid(text: str) -> bool:
        from importlib import import_module

        return bool(import_module(f"stdnum.{module}").is_valid(_digits(text)))

    return valid


def _us_ssn(text: str) -> bool:
    # Social Security Administration, "Social Security Number Randomization" (2011): area
    # 000 and 666 and group 00 and serial 0000 are never issued. Area 9xx is an IRS ITIN
    # (IRS, "Individual Taxpayer Identification Number"), an identifier too; the SSA keeps
    # 987-65-4320 to 987-65-4329 for advertisements, which is why tests use them.
    area, group, serial = text[:3], text[4:6], text[7:]
    return area not in {"000", "666"} and group != "00" and serial != "0000"


def _luhn(text: str) -> bool:
    from stdnum import luhn

    return bool(luhn.is_valid(_digits(text)))


def _au_medicare(text: str) -> bool:
    # Services Australia, Medicare card number: ten digits (eleven with the individual
    # reference number); the first is 2-6 and the ninth is a check digit, the sum of the
    # first eight weighted 1, 3, 7, 9, 1, 3, 7, 9, modulo 10.
    d = [int(c) for c in _digits(text)]
    return sum(map(mul, d[:8], (1, 3, 7, 9, 1, 3, 7, 9))) % 10 == d[8]


_NHI_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # I and O are never used


def _nz_nhi(text: str) -> bool:
    # Te Whatu Ora, HISO 10046:2023 Consumer Health Identity Standard, NHI validation
    # routine. Letters count A=1 ... Z=24 without I and O; the first six characters are
    # weighted 7 down to 2. Old form AAANNNC: check digit (11 - sum mod 11) mod 10, and a
    # sum divisible by 11 is invalid. New form AAANNAC: check letter 23 - sum mod 23.
    # NHI numbers starting with Z are reserved for testing, which is why tests use them.
    values = [int(c) if c.isdigit() else _NHI_LETTERS.index(c) + 1 for c in text.upper()]
    total = sum(map(mul, values[:6], range(7, 1, -1)))
    if text[-1].isdigit():
        return total % 11 != 0 and (11 - total % 11) % 10 == values[6]
    return 23 - total % 23 == values[6]


def _p(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.-]){pattern}(?![\w-]|[.,]\d)", flags)


#: The formats, by region. ``(?P=s)`` keeps one separator throughout a number.
FORMATS: tuple[NationalFormat, ...] = (
    NationalFormat(
        "US",
        "US Social Security number or ITIN",
        _p(r"\d{3}([- ])\d{2}\1\d{4}"),
        _us_ssn,
        check_digit=False,
    ),
    # NHS Data Dictionary, "NHS Number": ten digits, the last a modulus 11 check digit,
    # written 3-3-4. NHS numbers starting 999 are never issued and serve for testing.
    NationalFormat(
        "GB", "UK NHS number", _p(r"\d{3}(?P<s>[- ]?)\d{3}(?P=s)\d{4}"), _stdnum("gb.nhs")
    ),
    # HMRC, National Insurance Manual NIM39110: two prefix letters, six digits, a suffix
    # letter A-D. The prefix letters are not checked against HMRC's allocation rules, so the
    # documented example QQ 12 34 56 C is flagged too.
    NationalFormat(
        "GB",
        "UK National Insurance number",
        _p(r"[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]"),
        None,
    ),
    # Employment and Social Development Canada, Social Insurance Number: nine digits written
    # 3-3-3 with a Luhn check digit (ISO/IEC 7812-1). Numbers starting 0 are never issued.
    NationalFormat(
        "CA", "Canadian Social Insurance Number", _p(r"\d{3}(?P<s>[- ]?)\d{3}(?P=s)\d{3}"), _luhn
    ),
    # Australian Taxation Office, Tax File Number: eight or nine digits written 3-3-3,
    # weighted check (1, 4, 3, 7, 5, 8, 6, 9, 10) modulo 11, as implemented by stdnum.au.tfn.
    NationalFormat(
        "AU",
        "Australian Tax File Number",
        _p(r"\d{3}(?P<s> ?)\d{3}(?P=s)\d{2,3}"),
        _stdnum("au.tfn"),
    ),
    NationalFormat(
        "AU",
        "Australian Medicare number",
        _p(r"[2-6]\d{3}(?P<s> ?)\d{5}(?P=s)\d(?:[ /-]?[1-9])?"),
        _au_medicare,
    ),
    # Bundeszentralamt für Steuern, steuerliche Identifikationsnummer (§ 139b AO): eleven
    # digits, the last an ISO 7064 MOD 11,10 check digit; often written 2-3-3-3.
    NationalFormat(
        "DE",
        "German tax id (Steuer-ID)",
        _p(r"\d{2}(?P<s> ?)\d{3}(?P=s)\d{3}(?P=s)\d{3}"),
        _stdnum("de.idnr"),
    ),
    # INSEE, numéro d'inscription au répertoire (NIR, "numéro de sécurité sociale"): sex,
    # year, month, department (2A/2B for Corsica), commune, order number and a key of
    # 97 - (number mod 97), written 1 85 05 78 006 084 36.
    NationalFormat(
        "FR",
        "French social security number (NIR)",
        _p(
            r"[1-478](?P<s> ?)\d{2}(?P=s)\d{2}(?P=s)(?:\d{2}|2[AB])"
            r"(?P=s)\d{3}(?P=s)\d{3}(?P=s)\d{2}"
        ),
        _stdnum("fr.nir"),
    ),
    # Rijksoverheid, burgerservicenummer (Wet algemene bepalingen BSN): nine digits passing
    # the "11-proef" (weights 9 ... 2 and -1), often written 1234.56.789.
    NationalFormat(
        "NL",
        "Dutch citizen service number (BSN)",
        _p(r"(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}(?P<s>[ .])\d{3}(?P=s)\d{3})"),
        _stdnum("nl.bsn"),
    ),
    # Department of Social Protection, Personal Public Service Number: seven digits and one
    # or two letters, the first letter a modulus 23 check character.
    NationalFormat("IE", "Irish PPS number", _p(r"\d{7} ?[A-W][A-IW]?"), _stdnum("ie.pps")),
    NationalFormat(
        "NZ",
        "New Zealand NHI number",
        _p(r"[A-HJ-NP-Z]{3}(?:\d{4}|\d{2}[A-HJ-NP-Z]{2})"),
        _nz_nhi,
    ),
)


def national_ids(text: str, regions: Sequence[str]) -> Iterator[IdentifierFlag]:
    """Numbers in ``text`` with the shape and check digit of a configured region's id."""
    for fmt in FORMATS:
        if fmt.region not in regions:
            continue
        for m in fmt.pattern.finditer(text):
            if fmt.valid is not None and not fmt.valid(m.group()):
                continue
            what = "format and check digit" if fmt.valid and fmt.check_digit else "format"
            reason = f"has the {what} of a {fmt.name}"
            yield IdentifierFlag("national_id", m.start(), m.end(), m.group(), reason)
