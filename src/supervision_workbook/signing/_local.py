"""Sign-offs made in a workspace are signed with that workspace's key, when it has one.

Why at save time and not in the screen that signs off: every way of making a sign-off or an
amendment (the case review, the Python API, a future contract screen) ends in
``Workspace.save``, and only there is the workspace known. What is signed is decided by
the objects themselves: only the very link objects that ``artifact.integrity`` made in this
process are remembered (:func:`mark_made_here`, weakly, by identity, so the model and its
equality stay untouched). A record read from a file (an upload, a hub submission, a
collected copy) is a new object and never remembered, so a sign-off that arrives from
outside is never signed on the way in: it counts only if it already carries a signature
from a trusted key.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from ._crypto import sign
from ._keys import key_for

if TYPE_CHECKING:
    from ..model import Amendment, Review, SignOff

_MADE_HERE: weakref.WeakValueDictionary[int, object] = weakref.WeakValueDictionary()


def mark_made_here(link: SignOff | Amendment) -> None:
    """Remember that ``link`` was made in this process (by ``integrity``), not read."""
    _MADE_HERE[id(link)] = link


def _made_here(link: object) -> bool:
    return _MADE_HERE.get(id(link)) is link


def sign_links_made_here(review: Review, workspace: Path) -> Review:
    """``review`` with its unsigned links made in this process signed by ``workspace``'s key
    for their author (the sign-off's supervisor, the amendment's author; else the
    workspace's only key). Unchanged when nothing needs it or the workspace has no key.

    Raises ``SigningError`` when the workspace's key cannot be used safely (for example a
    key file others can read): better no save than a silent unsigned record.
    """
    signoff = review.signoff
    todo_signoff = signoff is not None and signoff.signature is None and _made_here(signoff)
    todo = [n for n, a in enumerate(review.amendments) if a.signature is None and _made_here(a)]
    if not todo_signoff and not todo:
        return review
    signed = review.model_copy(deep=True)
    if todo_signoff and signed.signoff is not None:
        key = key_for(workspace, signed.signoff.supervisor)
        if key is not None:
            signed.signoff.signature = sign(key, "signoff", signed.id, signed.signoff.data_hash)
    for number in todo:
        amendment = signed.amendments[number]
        key = key_for(workspace, amendment.author)
        if key is not None:
            amendment.signature = sign(
                key, "amendment", f"{signed.id}/{amendment.id}", amendment.chain_hash
            )
    return signed
