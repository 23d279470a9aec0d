"""Notebook JSON text exactly as ``nbformat.writes`` lays it out, without its cost.

nbformat writes ``json.dumps(nb, sort_keys=True, indent=1, separators=(",", ": "),
ensure_ascii=False)``. Any ``indent`` makes the standard library fall back from its C
encoder to a pure-Python one built from nested generators, which took about half of a
save's CPU time. :func:`notebook_text` produces the same text with plain recursion over
the JSON types that a notebook holds, leaving strings to the C string encoder and numbers
to ``repr`` (as ``json`` does).

Anything outside that shape (a non-string key, a tuple, a type ``json`` would reject or
convert) is handed to ``json.dumps`` itself, so the output is always what the standard
library writes. The tests compare the two on every artifact they build.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

__all__ = ["notebook_text"]

_INF = float("inf")


class _Unusual(Exception):
    """A value this writer leaves to ``json.dumps``."""


def _float(value: float) -> str:
    # json's own float rule (allow_nan=True, as nbformat writes).
    if value != value:
        return "NaN"
    if value == _INF:
        return "Infinity"
    if value == -_INF:
        return "-Infinity"
    return float.__repr__(value)


def _value(value: Any, indent: str) -> str:
    """``value`` at the nesting level whose newline-and-indent is ``indent``."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = indent + " "
        parts = []
        for key in sorted(value):
            if type(key) is not str:
                raise _Unusual
            item = value[key]
            text = encode_basestring(item) if type(item) is str else _value(item, inner)
            parts.append(encode_basestring(key) + ": " + text)
        return "{" + inner + ("," + inner).join(parts) + indent + "}"
    if kind is list:
        if not value:
            return "[]"
        inner = indent + " "
        items = [encode_basestring(v) if type(v) is str else _value(v, inner) for v in value]
        return "[" + inner + ("," + inner).join(items) + indent + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    raise _Unusual


def notebook_text(notebook: dict[str, Any]) -> str:
    """``json.dumps(notebook, sort_keys=True, indent=1, separators=(",", ": "),
    ensure_ascii=False)``, computed faster for plain JSON types."""
    try:
        return _value(notebook, "\n")
    except (_Unusual, TypeError):
        # A mixed-type key sort (TypeError) or a value json converts or refuses: let
        # json decide, so that the text (or the error) is exactly json's.
        return json.dumps(
            notebook, indent=1, sort_keys=True, separators=(",", ": "), ensure_ascii=False
        )
