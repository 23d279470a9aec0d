"""Where a workbook runs: its workspace and the query string of the page that opened it.

Why this module exists: a workbook notebook holds one import and one display call, so the
view needs another way to learn *which* workspace to use and *which* trainee or case the
link pointed at.

- The workspace comes from the environment variable ``SUPERVISION_WORKBOOK_WORKSPACE``
  (an absolute path), which ``supervision-workbook serve`` sets for the Voila server and
  therefore for every kernel it starts. The workspace is never inside the served folder, so
  Voila cannot hand out an artifact as a file.
- The query string comes from Voila. Without preheated kernels Voila puts it into the
  kernel's environment (``QUERY_STRING``) before the notebook runs. With preheated kernels
  the notebook starts *before* any request exists, and ``voila.utils.get_query_string()``
  blocks until a page claims the kernel, then returns that page's query string. It may be
  asked only once per kernel (a second call would wait for a request that never comes), so
  the answer is cached here.

Query values are untrusted input: only allow-listed keys are kept, each value must look
like an id or a case code, and everything else is dropped (``?token=...`` included).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

if TYPE_CHECKING:
    from supervision_workbook.store import Workspace

WORKSPACE_ENV = "SUPERVISION_WORKBOOK_WORKSPACE"
"""Environment variable holding the absolute path of the workspace folder."""

ALLOWED_KEYS: frozenset[str] = frozenset({"trainee", "case", "review", "session"})
"""Query keys a workbook may read. ``token`` and Voila's own keys are dropped."""

_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
"""Ids and case codes (see ``model.Id`` and ``model.CaseCode``): no spaces, no markup."""

_MAX_QUERY = 4096


class WorkspaceNotConfigured(RuntimeError):
    """The kernel was not started by ``supervision-workbook serve`` (or the path is wrong)."""


def workspace_path() -> Path:
    """The workspace folder named by ``SUPERVISION_WORKBOOK_WORKSPACE``, checked to exist."""
    raw = os.environ.get(WORKSPACE_ENV, "").strip()
    if not raw:
        raise WorkspaceNotConfigured(
            f"No workspace is set. Start the workbooks with "
            f"'supervision-workbook serve WORKSPACE', or set {WORKSPACE_ENV} to the "
            f"absolute path of a workspace folder."
        )
    path = Path(raw)
    if not path.is_absolute():
        raise WorkspaceNotConfigured(f"{WORKSPACE_ENV} must be an absolute path; it is {raw!r}.")
    if not path.is_dir():
        raise WorkspaceNotConfigured(
            f"The workspace folder {raw!r} does not exist. Create one with "
            f"'supervision-workbook init {raw}'."
        )
    return path


def current_workspace() -> Workspace:
    """The :class:`store.Workspace` this kernel works in.

    Imported lazily so that importing a view does not open the SQLite index.
    """
    from supervision_workbook.store import Workspace

    return Workspace(workspace_path())


def in_voila() -> bool:
    """True inside a kernel that Voila started (it always sets ``VOILA_PREHEAT``)."""
    return "VOILA_PREHEAT" in os.environ


@functools.lru_cache(maxsize=1)
def _raw_query_string() -> str:
    """The page's raw query string, asked of Voila at most once per kernel."""
    if not in_voila():
        return ""
    if os.environ.get("VOILA_PREHEAT") == "True":
        # Blocks until a page request claims this preheated kernel.
        from voila.utils import get_query_string

        return get_query_string() or ""
    return os.environ.get("QUERY_STRING", "")


def parse_query(query: str, allowed: Iterable[str] = ALLOWED_KEYS) -> dict[str, str]:
    """Allow-listed ``key -> first value`` pairs from a raw query string.

    Keys outside ``allowed`` are dropped silently (the page URL also carries ``token``).
    A value that does not look like an id or a case code is dropped too, so a view never
    receives markup, paths or sentences through a link.
    """
    keep = frozenset(allowed)
    query = query.lstrip("?")[:_MAX_QUERY]
    parsed = parse_qs(query, keep_blank_values=False, max_num_fields=50)
    result: dict[str, str] = {}
    for key, values in parsed.items():
        if key not in keep or not values:
            continue
        value = values[0].strip()
        if _VALUE.match(value):
            result[key] = value
    return result


def query_params(allowed: Iterable[str] = ALLOWED_KEYS) -> dict[str, str]:
    """The current page's query parameters (``{}`` outside Voila); see :func:`parse_query`."""
    try:
        return parse_query(_raw_query_string(), allowed)
    except ValueError:  # parse_qs refuses a query with more than 50 fields
        return {}
