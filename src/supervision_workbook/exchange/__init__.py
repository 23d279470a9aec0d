"""Exchange: how a trainee's workbook reaches their supervisor.

One interface (:class:`Exchange`: ``submit`` and ``collect``), two back ends:

- :class:`DownloadExchange` for Binder and laptops: submitting offers the verified artifact
  as a download; the supervisor uploads it, and ``collect`` saves it into their workspace.
- :class:`FolderExchange` for a hub: a shared exchange folder with one inbound folder per
  trainee, a roster of who supervises whom, and permissions that are checked before every
  read and write (see ``folder.py`` for the layout and what the operating system enforces).

Nothing in this package imports ipywidgets; the workbooks' submit and upload controls call
it. Importing it is cheap: the artifact layer is imported when a text is first verified.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ._base import CollectReport, Conflict, Exchange, Refused, Submission
from ._errors import ExchangeError, ExchangePermissionError
from .binder import binder_mode
from .download import DownloadExchange
from .folder import FolderExchange
from .roster import EXCHANGE_ENV, ROSTER_ENV, Roster, current_user, load_roster


def exchange_for(environ: Mapping[str, str] | None = None) -> Exchange:
    """The exchange this server uses: the hub's folder if one is configured, else download.

    Raises :class:`ExchangeError` when a folder is configured but its roster is unusable,
    so the workbook can say so instead of silently falling back to downloads.
    """
    env = os.environ if environ is None else environ
    root = env.get(EXCHANGE_ENV, "").strip()
    if not root:
        return DownloadExchange()
    roster = env.get(ROSTER_ENV, "").strip()
    return FolderExchange(Path(root), Path(roster) if roster else None)


__all__ = [
    "EXCHANGE_ENV",
    "CollectReport",
    "Conflict",
    "DownloadExchange",
    "Exchange",
    "ExchangeError",
    "ExchangePermissionError",
    "FolderExchange",
    "Refused",
    "Roster",
    "Submission",
    "binder_mode",
    "current_user",
    "exchange_for",
    "load_roster",
]
