"""Limits, id types and the base every record shares.

The limits are named once here; the views check the same numbers before the model does.
``_absent`` and ``_unset`` decide which fields added after 0.1 stay out of a record's dump
while unset, so that a record written before them hashes exactly as it did.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

#: Version of the record layout. Bump it, and add a migration in ``artifact.migrations``,
#: whenever a change would make an old artifact fail to validate.
SCHEMA_VERSION = 1

# --- limits: named once here; the views check the same numbers before the model does ---------
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{2,63}$"
CASE_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"
NAME_MAX_LENGTH = 120
"""Names of trainees, supervisors and amendment authors."""
SESSION_NUMBER_MIN = 1
SESSION_NUMBER_MAX = 10_000
SIGNOFF_MINUTES_MIN = 0
SIGNOFF_MINUTES_MAX = 24 * 60
"""Minutes of supervision in one sign-off (at most a day)."""

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""Stable identifiers: lower-case, safe in file names and URLs."""

CaseCode = Annotated[str, StringConstraints(pattern=CASE_CODE_PATTERN)]
"""A case code such as ``C-014``. Deliberately too narrow to hold a sentence or a name."""

FreeText = Annotated[str, StringConstraints(max_length=20_000)]
"""User-typed text. Stored exactly as typed; escaped wherever it is shown."""


def new_id(prefix: str) -> str:
    """A fresh id such as ``rv-3f9a1c2b7d``: readable prefix, 40 random bits."""
    return f"{prefix}-{secrets.token_hex(5)}"


def utcnow() -> datetime:
    """The current time, timezone-aware and truncated to seconds so it survives JSON."""
    return datetime.now(timezone.utc).replace(microsecond=0)


class _Model(BaseModel):
    """Base for every record: unknown fields are refused, values are re-validated on change."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


def _absent(value: object) -> bool:
    """True for the default of a field added after 0.1 (empty or None).

    Why: every hash (content, sign-off, amendment chain) is computed over ``model_dump``.
    Such a field is left out of the dump while it holds its default, so a record saved
    before the field existed still hashes to what was signed, and old artifacts load.
    """
    return value is None or value == "" or value == []


def _unset(default: object) -> Callable[[object], bool]:
    """``exclude_if`` for a field added after artifacts were already written without it.

    Every hash (``artifact.integrity``) is computed over ``model_dump``. A field added with a
    default would appear in the dump of an old record and change its hash, so an untouched
    old artifact would read as tampered. Such a field is left out of the dump while it holds
    its default: an old record dumps, and hashes, exactly as it did, and a record that uses
    the field carries it. (A wrapping model serializer would also have turned infinite
    answers into nulls in JSON mode, hiding the writer's "not finite" refusal.)
    """
    return lambda value: value == default
