"""User text in markdown cells, shown exactly as typed.

Why not just ``html.escape``: a markdown cell is markdown first, so ``![x](y)`` would still
become an image, ``[x](javascript:...)`` a link, ``# x`` a heading, ``www.example.org`` an
autolink and ``$x$`` maths. Every ASCII punctuation character is therefore backslash-escaped
(CommonMark allows this for all of them, and renders the character itself), except ``<``,
``>`` and ``&``, which become HTML entities so that no tag, comment or entity survives.
Line breaks are kept as hard breaks and leading spaces as non-breaking spaces, so an
indented line cannot turn into a code block and a list typed by hand looks as it was typed.

The stored record keeps the text untouched; this escaping happens only when cells are built.
"""

from __future__ import annotations

import re

_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
# All ASCII punctuation except < > & (handled as entities above).
_PUNCTUATION = frozenset("!\"#$%'()*+,-./:;=?@[\\]^_`{|}~")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NBSP, _TAB = "&nbsp;", "&nbsp;" * 4
# The backslash first (so the escapes added next are not doubled), the entities last (so
# their ";" and "&" are not escaped). One C-level ``str.replace`` per character present is
# several times faster than a Python function per character, and a save escapes every line
# of user text.
_BACKSLASHED = tuple(sorted(_PUNCTUATION - {"\\"}))
_ENTITY_ORDER = ("&", "<", ">")


def _escape_body(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in _BACKSLASHED:
        if char in text:
            text = text.replace(char, "\\" + char)
    for char in _ENTITY_ORDER:
        if char in text:
            text = text.replace(char, _ENTITIES[char])
    return text


def _escape_line(line: str) -> str:
    body = line.lstrip(" \t")
    if len(body) == len(line):
        return _escape_body(body)
    indent = line[: len(line) - len(body)]
    return indent.replace(" ", _NBSP).replace("\t", _TAB) + _escape_body(body)


def escape_markdown(text: str) -> str:
    """``text`` as a markdown fragment that renders as the same characters, inert.

    >>> escape_markdown("I hate <you>")
    'I hate &lt;you&gt;'
    >>> escape_markdown("![x](y)")
    '\\\\!\\\\[x\\\\]\\\\(y\\\\)'
    """
    return "  \n".join(_escape_line(line) for line in _LINE_BREAK.split(text))


def escape_inline(text: str) -> str:
    """Like :func:`escape_markdown`, for a label inside one line (line breaks become spaces)."""
    return escape_markdown(" ".join(_LINE_BREAK.split(text)))
