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
        self.source = _printable(source)
        self.problem = _printable(problem)
        super().__init__(f"{self.source}: {self.problem}")


def _printable(text: str) -> str:
    """``text`` with lone surrogates (a crafted file's ``"\\ud800"``, quoted in a message)
    written as escapes, so that printing the message cannot fail."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


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


class OversizedArtifact(ArtifactError):
    """Beyond a limit no review file comes near: its size, how deeply its JSON nests, or
    the length of a number in it. Crafted files use these to exhaust the reader (a
    recursion or integer-conversion error instead of a message); the message names the
    limit that was crossed."""


class ActiveContent(TamperedArtifact):
    """An output or cell that could run code when the file is opened or converted (HTML
    with script, JavaScript, a widget view, an SVG image, a raw cell). Supervision-workbook
    never writes one, so its presence means the file was made or edited elsewhere."""
