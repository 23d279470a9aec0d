"""The names a trainee declared for a case, found in free text.

A declared name is matched case-insensitively as a whole word (so inside "Maria's" but not
inside "Mariana"); each part of a multi-word name is looked for too, except particles such
as "de" or "van".

Names that are also ordinary English words ("Will", "Hope", "Grace", "May", "Mark", see
:data:`ORDINARY_WORDS`) would match every "I will" and "we hope". For those the rule is:

* only the capitalised form counts ("Will", not "will" or "WILL"); and
* at the start of a sentence, where every word is capitalised, it counts unless the next
  word shows the ordinary use: a pronoun, article or similar word that a name is not
  followed by ("Will you ...", "Hope this ...", "Mark the date"); and
* a month name followed by a number or after "in", "since", "last" ... is the month
  ("May 3", "in June").

A title before it ("Ms Hope") or a possessive after it ("Will's") always counts. So a
name typed in lower case is missed, and a sentence starting "Hope is ..." is flagged
whichever it means: the flagger leans towards asking.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from supervision_workbook.privacy.flags import IdentifierFlag

_PARTICLES = frozenset(
    "de da del della der di du la le van von den dos das al el bin ibn ben st mc mac".split()  # noqa: SIM905
)

#: Given names that are also common English words (lower case).
ORDINARY_WORDS = frozenset(
    """will hope grace faith joy may june april august rose mark bill art dawn summer
    autumn sky sunny honey amber ruby pearl jack frank rich drew chase hunter guy pat sue
    don ray max iris lily daisy heather holly ivy violet jasmine olive hazel crystal
    destiny patience prudence charity mercy harmony melody wade cliff dale glen lane grant
    miles gene carol penny sandy rusty victor earl king prince duke royal bud buck rocky
    reed rod stone brook river rain storm star angel precious kit jay robin wren lark dove
    fern sage bay ash forest cash price justice liberty trinity genesis eve sol luna
    honor honour constance felicity verity bliss blossom clay cole dash flint gay gil
    hardy heath lance lee marsh ness pip rowan sterling tad tanner tucker young""".split()  # noqa: SIM905
)
_MONTHS = frozenset({"may", "june", "april", "august"})
_MONTH_CUES = frozenset(
    "in on since until till by from last next this early late mid each every of".split()  # noqa: SIM905
)
#: Words that follow a sentence-initial ordinary word used as a word, not as a name.
_ORDINARY_FOLLOWERS = frozenset(
    """i you he she it we they me us them the a an this that these those there my your his
    her our their its some any all every no not so to for of as if""".split()  # noqa: SIM905
)
_TITLES = re.compile(r"(?:\b(?:mr|mrs|ms|miss|mx|dr|prof)\.?\s+)$", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*)[\"'“‘(\[]*$")
_NEXT_WORD = re.compile(r"\s+([A-Za-z'’]+)")
_REASON = "a name you declared for this case"


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


def _used_as_name(text: str, start: int, end: int, word: str) -> bool:
    """Whether a capitalised ordinary word at ``text[start:end]`` reads as a name."""
    before = text[max(0, start - 40) : start]
    after = text[end : end + 40]
    if _TITLES.search(before) or re.match(r"['’]s\b", after):
        return True
    nxt = _NEXT_WORD.match(after)
    next_word = nxt.group(1).lower() if nxt else ""
    if word in _MONTHS:
        previous = re.findall(r"[A-Za-z]+", before)
        if re.match(r"\s*\d", after) or (previous and previous[-1].lower() in _MONTH_CUES):
            return False
    if _SENTENCE_START.search(before):
        return next_word not in _ORDINARY_FOLLOWERS
    return True


def declared_names(text: str, declared: Sequence[str]) -> Iterator[IdentifierFlag]:
    """Every place a declared name (or part of one) appears, by the rules above."""
    for name in _name_variants(declared):
        word = name.casefold()
        if word in ORDINARY_WORDS:
            pattern = re.compile(rf"(?<!\w){re.escape(name[:1].upper() + name[1:].lower())}(?!\w)")
            for m in pattern.finditer(text):
                if _used_as_name(text, m.start(), m.end(), word):
                    yield IdentifierFlag("declared_name", m.start(), m.end(), m.group(), _REASON)
            continue
        body = r"\s+".join(re.escape(p) for p in name.split(" "))
        for m in re.finditer(rf"(?<!\w){body}(?!\w)", text, re.IGNORECASE):
            yield IdentifierFlag("declared_name", m.start(), m.end(), m.group(), _REASON)
