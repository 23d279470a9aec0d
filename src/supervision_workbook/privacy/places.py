"""Street addresses and postcodes, in the forms of the configured regions.

Everywhere: house number, one to four street-name words and a street suffix (Street, St,
Avenue, Road, Lane, Drive, Close, Crescent, Mews, ...), with an optional unit
(``Apt 4B``, ``Flat 2``); also units and P.O. boxes on their own. Street-name words may not
be small function words or units of time, so "walked 2 miles down the road" is not an
address. Australia's ``3/12 Smith St`` (unit 3 of number 12) is a house number too.

Per region, the written forms its postal service documents:

* US: state and ZIP code, ``IL 62704`` or ``IL 62704-1234`` (USPS Publication 28).
* GB: postcodes, ``SW1A 1AA`` (the pattern of the UK Government Data Standards Catalogue,
  "Postcode", as used by GOV.UK services).
* CA: postal codes, ``K1A 0B6`` (Canada Post, "Addressing guidelines"; the letters D, F, I,
  O, Q and U are never used).
* AU: state and postcode, ``NSW 2000`` (Australia Post, "Addressing guidelines").
* NZ: street forms as above; the four-digit postcode is not looked for alone.
* IE: Eircodes, ``D02 X285`` (Eircode, "Eircode Address Database" documentation: a
  routing key of a letter and two digits, or ``D6W``, and a four-character unique id).
* NL: postcodes, ``1234 AB`` (PostNL: never SA, SD or SS), and street-first addresses
  ``Kerkstraat 12`` (suffixes straat, weg, laan, plein, gracht, kade, singel, dijk).
* DE: street-first addresses ``Hauptstraße 5``, ``Hauptstr. 5``, ``Lindenallee 7``, and a
  five-digit postcode before a town name as an address's last line, ``, 10115 Berlin``
  (Deutsche Post).
* FR: ``12 rue de la Paix``, ``3 bis avenue Victor Hugo`` (La Poste, norme AFNOR NF Z10-011)
  and a postcode and town, ``, 75008 Paris``.

Town names on their own are not looked for: they are rarely identifying without a street.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from supervision_workbook.privacy.flags import IdentifierFlag

_SUFFIXES = (
    "street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|"
    "terrace|ter|tce|circle|cir|parkway|pkwy|highway|hwy|square|sq|close|crescent|cres|"
    "alley|row|gardens|grove|mews|parade|pde|esplanade|quay|view|park|hill|heights|rise|"
    "green|walk|vale"
)
_FULL_SUFFIXES = frozenset(
    {
        *("street", "avenue", "road", "lane", "drive", "boulevard", "way", "court", "place"),
        *("terrace", "circle", "parkway", "highway", "square", "close", "crescent", "alley"),
        *("row", "gardens", "grove", "mews", "parade", "esplanade", "quay", "view", "park"),
        *("hill", "heights", "rise", "green", "walk", "vale"),
    }
)
_UNIT = r"(?:apt|apartment|unit|suite|ste|flat|#)\.?\s*#?\s*[A-Za-z0-9]{1,5}(?:-[A-Za-z0-9]{1,4})?"
_ADDRESS = re.compile(
    r"(?<![\w.,/-])(?P<num>(?:\d{1,4}[A-Za-z]?/)?\d{1,6}[A-Za-z]?(?:-\d{1,6})?)\s+"
    r"(?P<name>(?:(?:[A-Za-z][A-Za-z'’.-]*|\d{1,3}(?:st|nd|rd|th))\s+){1,4}?)"
    rf"(?P<suffix>{_SUFFIXES})\b\.?"
    r"(?-i:(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b(?!['’]))?)"
    rf"(?P<unit>,?\s+{_UNIT}\b)?",
    re.IGNORECASE,
)
_ANOTHER_SUFFIX = re.compile(rf"\s+({_SUFFIXES})\b\.?", re.IGNORECASE)
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

_US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|"
    "NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)
_TOWN = r"[A-ZÄÖÜÉÈ][a-zäöüßéèêëàâîïôûç]+(?:[- ][A-ZÄÖÜÉ][a-zäöüßéèêëàâîïôûç]+)?"
#: Five digits and a town, as the last line of an address: after a comma or a line break
#: ("Hauptstraße 5, 10115 Berlin"), so "20000 Euro" in a sentence is not one.
_POSTCODE_TOWN = re.compile(rf"(?:(?<=,)|(?<=, )|(?<=\n)|^)\d{{5}}\s+{_TOWN}(?!\w)", re.MULTILINE)
_FR_TYPES = "rue|avenue|av\\.|boulevard|bd|place|allée|allee|impasse|chemin|quai|cours|route|square"
#: Region -> (pattern, reason). Case-sensitive: postcodes are written in capitals.
_REGIONAL: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "US": ((re.compile(rf"(?<![\w-])(?:{_US_STATES})\s+\d{{5}}(?:-\d{{4}})?(?![\w-])"), "zip"),),
    "GB": (
        (
            re.compile(
                r"(?<![\w-])(?:[A-PR-UWYZ][0-9][0-9A-HJKSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
                r" ?[0-9][ABD-HJLNP-UW-Z]{2}(?![\w-])"
            ),
            "postcode",
        ),
    ),
    "CA": (
        (
            re.compile(
                r"(?<![\w-])[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z]"
                r" ?[0-9][ABCEGHJ-NPRSTV-Z][0-9](?![\w-])"
            ),
            "postcode",
        ),
    ),
    "AU": ((re.compile(r"(?<![\w-])(?:NSW|VIC|QLD|SA|WA|TAS|NT|ACT)\s+\d{4}(?![\w-])"), "zip"),),
    "IE": (
        (
            re.compile(
                r"(?<![\w-])(?:[AC-FHKNPRTV-Y][0-9]{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}(?![\w-])"
            ),
            "postcode",
        ),
    ),
    "NL": (
        # Never SA, SD or SS; nor, here, a year before a common abbreviation ("2024 US").
        (
            re.compile(
                r"(?<![\w-])[1-9][0-9]{3} ?(?!SA|SD|SS|US|UK|EU|UN|AD|BC|CE|TV|PC|GP|AM|PM|OK)"
                r"[A-Z]{2}(?![\w-])"
            ),
            "postcode",
        ),
        (
            re.compile(
                r"(?<![\w-])[A-Z][a-z'-]*(?:straat|weg|laan|plein|gracht|kade|singel|dijk)"
                r"\s+\d{1,4}(?:[-\s]?[A-Za-z](?![\w-]))?"
            ),
            "street",
        ),
    ),
    "DE": (
        (
            re.compile(
                r"(?<![\w-])[A-ZÄÖÜ][a-zäöüß-]*(?:straße|strasse|str\.|weg|gasse|allee|platz|damm|ufer)"
                r"\s+\d{1,4}(?:\s?[a-z](?![\w-]))?"
            ),
            "street",
        ),
        (_POSTCODE_TOWN, "town"),
    ),
    "FR": (
        (
            re.compile(
                rf"(?<![\w.,/-])\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+(?i:{_FR_TYPES})\s+"
                r"(?:(?:de la|de l'|du|des|de|d')\s*)?[A-ZÉÈ][\w'’-]*(?:\s+[A-ZÉÈ][\w'’-]*){0,3}"
            ),
            "street",
        ),
        (_POSTCODE_TOWN, "town"),
    ),
}
_REASONS = {
    "street": "looks like a street address",
    "postcode": "looks like a postcode",
    "zip": "looks like a state and postcode",
    "town": "looks like a postcode and town",
}
_PART = "looks like part of an address"


def addresses(text: str, regions: Sequence[str]) -> Iterator[IdentifierFlag]:
    """Addresses in ``text``: the common street forms and those of ``regions``."""
    pos = 0
    while (m := _ADDRESS.search(text, pos)) is not None:
        words = [w.strip(".'’").lower() for w in m.group("name").split()]
        if any(w in _NOT_STREET_WORDS for w in words):
            pos = m.start() + 1
            continue
        end = m.end()
        suffix = m.group("suffix")
        if m.group("unit") is None and (more := _ANOTHER_SUFFIX.match(text, end)):
            end, suffix = more.end(), more.group(1)  # "8 Harbour View Road": not "... View"
        if m.group("unit") is None and suffix.lower() in _FULL_SUFFIXES:
            end -= text[:end].endswith(".")  # a sentence's full stop, not an abbreviation's
        yield IdentifierFlag("address", m.start(), end, text[m.start() : end], _REASONS["street"])
        pos = end
    for m in _UNIT_ALONE.finditer(text):
        yield IdentifierFlag("address", m.start(), m.end(), m.group(), _PART)
    for region in regions:
        for pattern, why in _REGIONAL.get(region, ()):
            for m in pattern.finditer(text):
                yield IdentifierFlag("address", m.start(), m.end(), m.group(), _REASONS[why])
