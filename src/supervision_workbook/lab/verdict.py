"""The verdict on one review artifact, as ``supervision-workbook validate`` gives it.

Built on :func:`supervision_workbook.artifact.load` with ``strict=True``, exactly the call
``validate`` makes, so the Lab and the command line always agree: the file is parsed and
checked (schema, content hash, amendment chain, cells rebuilt and compared), never run.
The message is ``validate``'s line for the file, with the path as the Lab user knows it
(relative to the Jupyter root) instead of the server's absolute path.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: ``ArtifactError`` subclass -> the word the dialog leads with.
_KINDS = {
    "CorruptArtifact": "corrupt",
    "TruncatedArtifact": "truncated",
    "UnknownSchemaVersion": "unknown version",
    "InvalidRecord": "invalid",
    "TamperedArtifact": "tampered",
}


@dataclass(frozen=True)
class Verdict:
    """What the dialog shows. ``status`` is ``valid`` or the kind of problem."""

    path: str
    valid: bool
    status: str
    message: str
    signed_off: bool = False
    signed_by: str | None = None
    amendments: int = 0
    kind: str | None = None
    review_id: str | None = None
    trainee_id: str | None = None
    case_id: str | None = None
    case_code: str | None = None
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def verify(os_path: Path, shown: str) -> Verdict:
    """Check the artifact at ``os_path``; messages name it as ``shown``."""
    from ..artifact import ArtifactError, load

    try:
        loaded = load(os_path, strict=True)
    except ArtifactError as exc:
        status = _KINDS.get(type(exc).__name__, "invalid")
        return Verdict(shown, False, status, f"{shown}: {exc.problem}")
    except OSError as exc:
        return Verdict(shown, False, "unreadable", f"{shown}: cannot read: {exc.strerror or exc}")
    review = loaded.review
    signoff = review.signoff
    words = ["valid"]
    if signoff is not None:
        words.append(f"signed off by {signoff.supervisor}")
        if review.amendments:
            words.append(f"{len(review.amendments)} amendment(s), hash chain intact")
    else:
        words.append(f"not signed off ({review.status.value})")
    return Verdict(
        path=shown,
        valid=True,
        status="signed-off" if signoff is not None else "valid",
        message=f"{shown}: " + "; ".join(words),
        signed_off=signoff is not None,
        signed_by=signoff.supervisor if signoff is not None else None,
        amendments=len(review.amendments),
        kind=review.kind.value,
        review_id=review.id,
        trainee_id=review.trainee.id,
        case_id=review.case.id,
        case_code=review.case.code,
        notes=[f"{shown}: valid; note: {note}" for note in loaded.notes],
    )
