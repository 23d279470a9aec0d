"""Upgrades of stored records from older schema versions, as a registry.

``MIGRATIONS[n]`` turns a record written with schema ``n`` (a JSON dict) into one of schema
``n + 1``; the reader applies them in turn up to ``model.SCHEMA_VERSION``. Old artifacts are
migrated on read, never silently dropped, and the file on disk is left as it was: the
migrated record is written back only when someone saves the review again.

The registry is empty: schema 1 is the first. When a change to ``model`` would make an old
record fail validation, bump ``SCHEMA_VERSION`` and register a pure function here::

    @migration(1)
    def _split_goals(record: dict) -> dict:
        ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Record = dict[str, Any]
Migration = Callable[[Record], Record]

MIGRATIONS: dict[int, Migration] = {}


def migration(from_version: int) -> Callable[[Migration], Migration]:
    """Register ``function`` as the upgrade from ``from_version`` to ``from_version + 1``."""

    def register(function: Migration) -> Migration:
        if from_version in MIGRATIONS:
            raise ValueError(f"a migration from schema {from_version} is already registered")
        MIGRATIONS[from_version] = function
        return function

    return register
