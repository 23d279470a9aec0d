"""What may replace a record that has left the trainee's hands.

Why a store rule and not a view rule: a submitted session or a signed case review is what
supervision hours and evaluations rest on, and it can be reached from several directions
(an upload of an older download, a draft autosave from a page opened before the submit, a
collected submission, a script). :meth:`Workspace.save` asks this module before it writes,
under the review's lock, so every path meets the same rule:

* a record still in ``draft`` may be replaced by anything (the usual concurrency check
  still applies);
* a ``submitted`` or ``reviewed`` record is never replaced, as a record or by a draft, by
  a copy earlier in the lifecycle (an upload of a download taken while drafting is still
  marked ``draft``) or by a copy updated before it;
* a ``signed_off`` record is replaced only by itself with more amendments: the same
  sign-off, its amendment chain as a prefix (the store's own amendment path).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ._errors import RecordProtected

if TYPE_CHECKING:
    from supervision_workbook.artifact import LoadedArtifact
    from supervision_workbook.model import Review

RANK = {"draft": 0, "submitted": 1, "reviewed": 2, "signed_off": 3}
_WORDS = {"submitted": "submitted", "reviewed": "reviewed", "signed_off": "signed off"}


def _stamp(review: Review) -> str:
    return review.updated.strftime("%Y-%m-%d %H:%M UTC")


def extends(kept: Review, incoming: Review) -> bool:
    """True when ``incoming`` is ``kept`` with the same sign-off and more (or the same)
    amendments appended.

    The sign-off is compared by what sealed it (its id, the data hash it signed and its
    signature), not field by field: an amendment may change a sign-off's own fields (the
    minutes, say), and ``Workspace.save`` has already checked the whole chain from that
    sealed hash to the incoming data (``integrity.verify``)."""
    count = len(kept.amendments)
    new, old = incoming.signoff, kept.signoff
    return (
        new is not None
        and old is not None
        and (new.id, new.data_hash, new.signature) == (old.id, old.data_hash, old.signature)
        and incoming.amendments[:count] == kept.amendments
    )


def refusal(kept: Review, incoming: Review, *, draft: bool) -> str | None:
    """Why ``incoming`` (saved as a draft when ``draft``) may not replace the record
    ``kept``, or None when it may."""
    status = kept.status.value
    rank = RANK.get(status, 0)
    if rank == 0:
        return None
    if status == "signed_off":
        if incoming.status.value == "signed_off" and extends(kept, incoming):
            return None
        return "only an amendment of that signed record can replace it"
    if RANK.get(incoming.status.value, 0) < rank:
        what = "a draft" if draft else "a copy"
        return f"{what} still marked {incoming.status.value} cannot replace it"
    if incoming.updated < kept.updated:
        return f"this copy (saved {_stamp(incoming)}) is older and cannot replace it"
    return None


def check_replace(path: Path, kept: LoadedArtifact, incoming: Review, *, draft: bool) -> None:
    """Raise :class:`RecordProtected` when ``incoming`` may not replace the record at
    ``path`` (see the module docstring); the message names the version on record."""
    why = refusal(kept.review, incoming, draft=draft)
    if why is None:
        return
    review = kept.review
    status = review.status.value
    fix = (
        "A correction to a signed record is added as an amendment."
        if status == "signed_off"
        else "To correct it, tell the supervisor: a correction to a record is added as an "
        "amendment once it is signed off."
    )
    raise RecordProtected(
        path,
        status,
        kept.content_hash,
        f"{path}: review {review.id} is {_WORDS.get(status, status)} on record (version "
        f"{kept.content_hash[:12]}, saved {_stamp(review)}); {why}. Nothing was saved. {fix}",
    )
