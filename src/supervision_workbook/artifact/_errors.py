"""Why an artifact was refused.

Every error names its source (a file path or the name the caller gave) at the start of its
message, because the command line prints these messages one per file and a supervisor
validating a folder of submissions needs to know which file to look at. Each problem has
its own class so that callers can react differently: a truncated download is worth asking
for again, a tampered one is worth a conversation.
"""

from __future__ import annotations


class ArtifactError(ValueError):
    """An artifact that cannot be used. ``str(error)`` starts with the source name."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class CorruptArtifact(ArtifactError):
    """Not JSON, not a version 4 notebook, or a notebook that is not a review artifact."""


class TruncatedArtifact(ArtifactError):
    """Empty, or JSON that stops before it is complete (an interrupted save or download)."""


class UnknownSchemaVersion(ArtifactError):
    """A record layout this version cannot read (newer, or older than any migration)."""


class InvalidRecord(ArtifactError):
    """The record does not fit the review model; the message names the field path."""


class TamperedArtifact(ArtifactError):
    """The record, its hashes, its amendment chain or its cells do not agree."""
