"""The verdict on one review artifact, as ``supervision-workbook validate`` gives it.

Built on :func:`supervision_workbook.verdict.check_file`, the function ``validate`` calls,
so the Lab and the command line always agree, the signature's verdict included: the file
is parsed and checked (schema, content hash, amendment chain, signatures, cells rebuilt and
compared), never run. A file outside every workspace is checked against the keys the Lab's
configured workspace trusts (``validate --workspace`` does the same). The message is
``validate``'s line for the file, with the path as the Lab user knows it (relative to the
Jupyter root) instead of the server's absolute path.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


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


def _trust_workspace() -> Path | None:
    """The Lab's configured workspace, whose keys check files outside every workspace."""
    from .workspace import NoWorkspace, ServeError, lab_workspace

    try:
        return lab_workspace()
    except (NoWorkspace, ServeError):
        return None


def verify(os_path: Path, shown: str) -> Verdict:
    """Check the artifact at ``os_path``; messages name it as ``shown``."""
    from ..verdict import check_file

    found = check_file(os_path, shown, workspace=_trust_workspace())
    if found.loaded is None or not found.valid:
        return Verdict(found.shown, False, found.status, found.message, notes=list(found.notes))
    review = found.loaded.review
    signoff = review.signoff
    return Verdict(
        path=found.shown,
        valid=True,
        status=found.status,
        message=found.message,
        signed_off=signoff is not None,
        signed_by=signoff.supervisor if signoff is not None else None,
        amendments=len(review.amendments),
        kind=review.kind.value,
        review_id=review.id,
        trainee_id=review.trainee.id,
        case_id=review.case.id,
        case_code=review.case.code,
        notes=list(found.notes),
    )
