"""The flag record, overlap resolution and the masked snippet a warning quotes.

Why a masked snippet: a warning that says "characters 212-224" makes the person count
characters; one that quotes the place ("…call me on 07••• ••••••, after six…") is found at
a glance. The snippet never repeats the identifier itself: all but its first few letters or
digits are masked, and any *other* identifier that falls inside the quoted context is masked
whole, so a warning shown on screen (or read aloud by a screen reader) leaks no more than
the text it points at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, Protocol, TypeVar

IdentifierKind = Literal[
    "email", "phone", "birth_date", "address", "national_id", "id_number", "declared_name"
]

#: Overlap resolution: earlier kinds are more specific and win.
PRIORITY: tuple[IdentifierKind, ...] = (
    "email",
    "birth_date",
    "national_id",
    "phone",
    "address",
    "declared_name",
    "id_number",
)

#: How each kind is named in a sentence.
KIND_WORDS: dict[str, str] = {
    "email": "email address",
    "phone": "phone number",
    "birth_date": "date of birth",
    "address": "address",
    "national_id": "national id number",
    "id_number": "id number",
    "declared_name": "declared name",
}

MASK = "•"
#: Characters of context quoted on each side of the flagged text.
CONTEXT = 24


@dataclass(frozen=True)
class IdentifierFlag:
    """One likely identifier: ``text == source[start:end]``; ``reason`` says why in words.

    ``snippet`` quotes the place in the text with the identifier masked (see
    :func:`masked_snippet`); :meth:`describe` is the sentence a warning shows.
    """

    kind: IdentifierKind
    start: int
    end: int
    text: str
    reason: str = ""
    snippet: str = ""

    def describe(self) -> str:
        """``Possible phone number: “…call me on 07••• ••••••, after six…” (looks like …).``

        Plain text (the caller escapes it for HTML); it quotes only the masked snippet,
        never the identifier.
        """
        what = KIND_WORDS.get(self.kind, self.kind.replace("_", " "))
        quoted = f": “{self.snippet}”" if self.snippet else ""
        why = f" ({self.reason})" if self.reason else ""
        return f"Possible {what}{quoted}{why}."


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_S = TypeVar("_S", bound=_Span)


def without_overlaps(items: Iterable[_S], key: Callable[[_S], Any]) -> list[_S]:
    """Greedy: take items in ``key`` order, dropping any that overlap one already taken."""
    taken: list[_S] = []
    for item in sorted(items, key=key):
        if all(item.end <= t.start or item.start >= t.end for t in taken):
            taken.append(item)
    return sorted(taken, key=lambda t: t.start)


def mask(text: str, keep: int = 0) -> str:
    """``text`` with every letter and digit after the first ``keep`` replaced by ``•``.

    Separators (spaces, ``-``, ``@``, ``.``) stay, so the shape remains recognisable.
    """
    out: list[str] = []
    kept = 0
    for char in text:
        if char.isalnum():
            out.append(char if kept < keep else MASK)
            kept += 1
        else:
            out.append(char)
    return "".join(out)


def _shown(text: str) -> int:
    """How many leading letters or digits of an identifier a snippet may show."""
    alnum = sum(c.isalnum() for c in text)
    return max(1, min(4, alnum // 4))


def masked_snippet(source: str, flag: _Span, others: Sequence[_Span] = ()) -> str:
    """The flagged place with a little context; identifiers masked, whitespace folded.

    ``others``: every flag in ``source``; those inside the context are masked whole.
    """
    lo = max(0, flag.start - CONTEXT)
    hi = min(len(source), flag.end + CONTEXT)
    # Cut at a space so the quote starts and ends on whole words.
    if lo > 0 and (cut := source.find(" ", lo, flag.start)) != -1:
        lo = cut + 1
    if hi < len(source) and (cut := source.rfind(" ", flag.end, hi)) != -1:
        hi = cut
    pieces: list[str] = []
    pos = lo
    for other in sorted([*others, flag], key=lambda s: s.start):
        # Clipped to the window: a neighbour cut by the window's edge is masked all the same.
        start, end = max(other.start, lo), min(other.end, hi)
        if end <= start or start < pos:
            continue
        pieces.append(source[pos:start])
        pieces.append(mask(source[start:end], _shown(source[start:end]) if other is flag else 0))
        pos = end
    pieces.append(source[pos:hi])
    quoted = " ".join("".join(pieces).split())
    return f"{'…' if lo > 0 else ''}{quoted}{'…' if hi < len(source) else ''}"


def with_snippets(source: str, flags: Sequence[IdentifierFlag]) -> list[IdentifierFlag]:
    """Each flag with its :func:`masked_snippet` filled in."""
    return [replace(f, snippet=masked_snippet(source, f, flags)) for f in flags]
