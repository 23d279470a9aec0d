"""The exchange where there is no shared folder: Binder, a laptop, e-mail, a USB stick.

The trainee *submits* by downloading the artifact from the workbook (the browser saves the
file); they hand the file over however their program allows. The supervisor *receives* it
through the workbook's upload control and *collects* it into their workspace.

Why the kernel sees only text: on Binder the page's download and upload are the only way
work leaves or enters the session, and the upload arrives as bytes from a browser. So
:meth:`DownloadExchange.receive` treats every upload as hostile: bounded in size, decoded
as UTF-8, parsed and verified with ``artifact.loads`` (never executed), and only then
staged. Nothing touches the workspace until :meth:`DownloadExchange.collect`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._base import CollectReport, Exchange, Submission, download_name, validate_text
from ._collect import import_loaded

if TYPE_CHECKING:
    from supervision_workbook.artifact import LoadedArtifact
    from supervision_workbook.store import Workspace


@dataclass(frozen=True)
class _Staged:
    source: str
    loaded: LoadedArtifact


class DownloadExchange(Exchange):
    """Artifact text in, artifact text out; uploads wait in memory until collected."""

    def __init__(self) -> None:
        self._staged: list[_Staged] = []

    def submit(self, text: str, *, source: str = "<workbook>") -> Submission:
        """Verify ``text`` and return it with the file name to offer for download."""
        loaded = validate_text(text, source)
        review = loaded.review
        return Submission(
            trainee=review.trainee.id,
            review_id=review.id,
            case_id=review.case.id,
            version=None,
            submitted_at=None,
            filename=download_name(loaded),
            text=text,
        )

    def receive(self, name: str, data: bytes | str) -> LoadedArtifact:
        """Verify one uploaded file and stage it; raises ``ArtifactError``/``ExchangeError``.

        ``name`` is the browser's file name: used in messages only, never as a path.
        """
        source = f"upload {name!r}"
        loaded = validate_text(data, source)
        self._staged.append(_Staged(source, loaded))
        return loaded

    @property
    def staged(self) -> list[LoadedArtifact]:
        return [s.loaded for s in self._staged]

    def collect(self, workspace: Workspace, *, trainee: str | None = None) -> CollectReport:
        """Save the staged uploads (of one trainee id, or all) into ``workspace``."""
        report = CollectReport()
        keep: list[_Staged] = []
        for item in self._staged:
            if trainee is not None and item.loaded.review.trainee.id != trainee:
                keep.append(item)
                continue
            import_loaded(workspace, item.loaded, item.source, report)
        self._staged = keep
        return report
