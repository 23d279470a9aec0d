"""The verdict on one review file: the one function ``validate`` and the Lab's "Verify" share.

Why one function: a supervisor who verifies a review in JupyterLab and a programme that
runs ``supervision-workbook validate`` over the same file must be told the same thing, the
signature's verdict included (signed by whom, not signed with a key, changed after signing,
signed with a key nobody trusts). Two callers that each chained ``artifact.load`` and
``signing`` had already drifted apart once.

The file is parsed and checked (``artifact.load(strict=True)``: schema, content hash,
amendment chain and signatures, cells rebuilt and compared), never run. Whose keys are
trusted comes from the workspace that holds the file; a file outside every workspace (a
review sent by mail, copied into a Lab folder) is checked against the workspace its reader
names: ``validate --workspace DIR``, or the Lab's configured workspace. With neither, only
the roster is trusted, and a key-signed file says so.

Nothing here imports ipywidgets: the Jupyter server process runs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .artifact import LoadedArtifact
    from .signing import TrustedKeys
    from .signing import Verdict as SignatureVerdict

#: ``ArtifactError`` subclass -> the word a verdict leads with.
_KINDS = {
    "CorruptArtifact": "corrupt",
    "TruncatedArtifact": "truncated",
    "UnknownSchemaVersion": "unknown version",
    "InvalidRecord": "invalid",
    "TamperedArtifact": "tampered",
}
#: A signature verdict that fails the file -> the word a verdict leads with.
_SIGNATURE_KINDS = {"changed_after_signing": "changed after signing", "untrusted": "untrusted key"}


@dataclass(frozen=True)
class FileVerdict:
    """The verdict on one file.

    ``status``: ``valid`` (no sign-off), ``signed-off``, or the kind of problem. ``message``
    is the one line for the file: for a file that fails, the line ``validate`` prints on
    stdout; for a sound one, what it was found to be (``validate`` prints it on stderr when
    there is a sign-off to speak of). ``notes`` are the lines about what was not compared.
    """

    shown: str
    valid: bool
    status: str
    message: str
    loaded: LoadedArtifact | None = None
    signature: SignatureVerdict | None = None
    notes: tuple[str, ...] = field(default=())


def _printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def check_file(
    path: Path,
    shown: str | None = None,
    *,
    workspace: Path | None = None,
    cache: dict[Path | None, TrustedKeys] | None = None,
) -> FileVerdict:
    """Check the review file at ``path``; messages name it as ``shown`` (default: ``path``).

    ``workspace`` supplies the trusted keys when ``path`` lies outside every workspace.
    ``cache`` (a dict the caller keeps for one run, as ``validate`` does over many files)
    reads each workspace's trusted keys once.
    """
    from .artifact import ArtifactError, load
    from .console import os_reason
    from .signing import verdict_for_file

    shown = _printable(str(path) if shown is None else shown)
    try:
        loaded = load(path, strict=True)
    except ArtifactError as exc:
        status = _KINDS.get(type(exc).__name__, "invalid")
        return FileVerdict(shown, False, status, f"{shown}: {exc.problem}")
    except OSError as exc:
        return FileVerdict(shown, False, "unreadable", f"{shown}: cannot read: {os_reason(exc)}")
    notes = tuple(f"{shown}: valid; note: {note}" for note in loaded.notes)
    review = loaded.review
    signature = verdict_for_file(review, path, cache, workspace=workspace)
    if not signature.ok:
        status = _SIGNATURE_KINDS.get(signature.state, signature.state.replace("_", " "))
        return FileVerdict(
            shown, False, status, f"{shown}: {signature.text}", loaded, signature, notes
        )
    signoff = review.signoff
    words = ["valid"]
    if signoff is None:
        words.append(f"not signed off ({review.status.value})")
    else:
        words.append(f"signed off by {signoff.supervisor}")
        if review.amendments:
            words.append(f"{len(review.amendments)} amendment(s), hash chain intact")
        words.append(signature.text)
    return FileVerdict(
        shown,
        True,
        "signed-off" if signoff is not None else "valid",
        f"{shown}: " + "; ".join(words),
        loaded,
        signature,
        notes,
    )
