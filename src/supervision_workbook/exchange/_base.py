"""The one interface both exchanges share, and the records they hand back.

A trainee *submits* artifact text; a supervisor *collects* submissions into their workspace.
How the text travels differs (a browser download and upload on Binder or a laptop, a shared
folder on a hub), so the views call only :meth:`Exchange.submit` and
:meth:`Exchange.collect` and show the :class:`Submission` or :class:`CollectReport` they get.

Every text that crosses the exchange is untrusted: it is parsed and verified with
``artifact.loads`` on the way in and again on the way out, and never executed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ._errors import ExchangeError

if TYPE_CHECKING:
    from supervision_workbook.artifact import LoadedArtifact
    from supervision_workbook.store import Workspace

#: Larger than any real review (a year of weekly sessions is well under 2 MB), small enough
#: that a wrong file picked in an upload dialog cannot exhaust the kernel's memory. The same
#: limit as ``artifact.MAX_ARTIFACT_BYTES`` (a test holds them equal), checked here before
#: the bytes are decoded.
MAX_ARTIFACT_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Submission:
    """One submitted version of a review.

    ``path`` is the file in a folder exchange (``None`` for a download); ``filename`` is the
    name to offer for a download (built from ids and dates, never from user text).
    """

    trainee: str
    review_id: str
    case_id: str
    version: int | None
    submitted_at: datetime | None
    filename: str
    path: Path | None = None
    text: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Refused:
    """A file that was not imported, and why (shown to the supervisor as is)."""

    source: str
    reason: str


@dataclass(frozen=True)
class Conflict:
    """A submission that differs from a submitted or signed record in the workspace: the
    record was kept, the submission saved aside at ``kept_at`` for the supervisor."""

    source: str
    kept_at: Path
    reason: str


@dataclass
class CollectReport:
    """What :meth:`Exchange.collect` did, file by file."""

    imported: list[Path] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_newer: list[str] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused and not self.conflicts

    def summary(self) -> str:
        parts = [f"{len(self.imported)} imported"]
        if self.unchanged:
            parts.append(f"{len(self.unchanged)} already in the workspace")
        if self.kept_newer:
            parts.append(f"{len(self.kept_newer)} kept (the workspace copy is further along)")
        if self.conflicts:
            parts.append(
                f"{len(self.conflicts)} kept aside (they differ from a submitted or signed "
                "record in the workspace)"
            )
        if self.refused:
            parts.append(f"{len(self.refused)} refused")
        return ", ".join(parts)


class Exchange(ABC):
    """Submit artifact text; collect submissions into a workspace."""

    @abstractmethod
    def submit(self, text: str, *, source: str = "<workbook>") -> Submission:
        """Validate ``text`` and hand it on. Raises ``ArtifactError`` or ``ExchangeError``."""

    @abstractmethod
    def collect(self, workspace: Workspace, *, trainee: str | None = None) -> CollectReport:
        """Import what was submitted (for one trainee, or all allowed) into ``workspace``."""


def too_large(source: str, size: int) -> str:
    return (
        f"{source}: the file is {size / 2**20:.1f} MB; a review file may be at most "
        f"{MAX_ARTIFACT_BYTES // 2**20} MB"
    )


def validate_text(text: str | bytes, source: str) -> LoadedArtifact:
    """Parse and verify artifact text (``ArtifactError`` if it is not a sound review)."""
    from supervision_workbook.artifact import loads

    if isinstance(text, bytes):
        if len(text) > MAX_ARTIFACT_BYTES:
            raise ExchangeError(too_large(source, len(text)))
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ExchangeError(f"{source}: not a text file (not UTF-8)") from None
    elif len(text) > MAX_ARTIFACT_BYTES:
        raise ExchangeError(too_large(source, len(text)))
    return loads(text, source=source)


def download_name(loaded: LoadedArtifact) -> str:
    """``2026-03-14_session_rv-3f9a1c2b7d.ipynb``, the name the workspace uses too."""
    review = loaded.review
    day = review.session_date or review.created.date()
    return f"{day.isoformat()}_{review.kind.value}_{review.id}.ipynb"
