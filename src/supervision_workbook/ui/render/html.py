"""The few pieces every HTML fragment is made of: escaped text, a word with its count, a table.

The rule (docs/ARCHITECTURE.md, "Escaping"): ``ipywidgets.HTML`` inserts raw markup, so
every value that reaches a fragment passes through :func:`escape`, attribute values
included. "I hate <you>" is shown as ``I hate <you>``, and ``<img src=x onerror=...>`` as
those characters. This module is the bottom of ``render``: it imports nothing of the
project, so every fragment builder (and the widgets in ``components.text``) can use it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence


def escape(text: object) -> str:
    """``text`` made safe to place inside HTML (quotes included, for attribute values)."""
    return html.escape(str(text), quote=True)


def text_html(text: str, *, tag: str = "p", cls: str = "swb-text") -> str:
    """One element holding ``text`` escaped, with line breaks kept (CSS ``pre-wrap``)."""
    if tag not in {"p", "div", "span", "h2", "h3", "h4", "li", "strong", "em"}:
        raise ValueError(f"unsupported tag {tag!r}")
    return f'<{tag} class="{escape(cls)}">{escape(text)}</{tag}>'


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def text_div(value: str, cls: str = "swb-text") -> str:
    """User text as typed (escaped, line breaks kept by the ``swb-text`` style)."""
    return f"<div class='{escape(cls)}'>{escape(value)}</div>"


def summary_html(rows: Sequence[tuple[str, str]], caption: str = "This session") -> str:
    """A two-column table of ``(label, value)`` pairs, all escaped."""
    body = "".join(
        f"<tr><th scope='row'>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows
    )
    return (
        f"<table class='swb-summary-table'><caption>{escape(caption)}</caption>"
        f"<tbody>{body}</tbody></table>"
    )
