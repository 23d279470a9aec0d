"""The review model: plain, validated data that every other layer reads and writes.

Why pydantic: an artifact is untrusted input, so every value that comes back from disk or
from a widget callback passes through the same validators that guard what we write. The
models are also the source of the artifact's JSON Schema (see ``artifact/schema``), so the
schema can never drift from the code.

Identity: each record carries a stable ``id`` (a short random hex string made once, at
creation). File names are built from ids and dates, never from user text.

Privacy: a :class:`Case` holds a *code* (``C-014``), never a client's name. Names that the
trainee declares for a case, so that the identifier flagger can look for them, live in the
workspace's private folder and are never written into an artifact.

The package's face re-exports every record and limit; the parts are split by responsibility:
``_base`` (limits, id types, the shared base), ``_session`` (what the trainee recorded about
one session), ``_meeting`` (check-in, action items, flag marks, sign-off, amendment,
signature) and ``_review`` (the saved unit).
"""

from __future__ import annotations

from ._base import (
    CASE_CODE_PATTERN,
    ID_PATTERN,
    NAME_MAX_LENGTH,
    SCHEMA_VERSION,
    SESSION_NUMBER_MAX,
    SESSION_NUMBER_MIN,
    SIGNOFF_MINUTES_MAX,
    SIGNOFF_MINUTES_MIN,
    CaseCode,
    FreeText,
    Id,
    _absent,
    _Model,
    _unset,
    new_id,
    utcnow,
)
from ._meeting import (
    ActionItem,
    Amendment,
    FlagMark,
    FlagMarkKind,
    Modality,
    Signature,
    SignOff,
    SupervisionCheckin,
    SupervisionFormat,
)
from ._review import Case, Review, ReviewKind, Status, Trainee
from ._session import (
    IndirectEntry,
    InstrumentResponse,
    Reflection,
    Resolved,
    Respondent,
    RiskConcern,
    RiskLevel,
    Rupture,
    RuptureFollowUp,
    RuptureType,
    SessionEntry,
)

__all__ = [
    "CASE_CODE_PATTERN",
    "ID_PATTERN",
    "NAME_MAX_LENGTH",
    "SCHEMA_VERSION",
    "SESSION_NUMBER_MAX",
    "SESSION_NUMBER_MIN",
    "SIGNOFF_MINUTES_MAX",
    "SIGNOFF_MINUTES_MIN",
    "ActionItem",
    "Amendment",
    "Case",
    "CaseCode",
    "FlagMark",
    "FlagMarkKind",
    "FreeText",
    "Id",
    "IndirectEntry",
    "InstrumentResponse",
    "Modality",
    "Reflection",
    "Resolved",
    "Respondent",
    "Review",
    "ReviewKind",
    "RiskConcern",
    "RiskLevel",
    "Rupture",
    "RuptureFollowUp",
    "RuptureType",
    "SessionEntry",
    "SignOff",
    "Signature",
    "Status",
    "SupervisionCheckin",
    "SupervisionFormat",
    "Trainee",
    "_Model",
    "_absent",
    "_unset",
    "new_id",
    "utcnow",
]
