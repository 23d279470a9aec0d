"""What a workbook asks about the workspace's folders, answered by the store that owns them.

Why here and not in the views: the folder layout (``reviews/`` and ``drafts/``, then
trainee, then case, then ``<date>_<kind>_<review_id>.ipynb``) is the store's business
(``_layout``). A view that parses path depths or spells ``"drafts"`` itself breaks the day
the layout changes, and one that builds a file name without :func:`_layout.safe_id` can be
handed a path by a tampered record. So :class:`Workspace` offers these as methods.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from . import _layout as layout

if TYPE_CHECKING:
    from supervision_workbook.model import Review


class LayoutQueries:
    """Folder look-ups of :class:`Workspace` (mixed in; ``self.path`` is the root)."""

    path: Path

    def artifact_name(self, review: Review) -> str:
        """``2026-03-14_session_rv-3f9a1c2b7d.ipynb``, ids checked (see ``_layout``)."""
        return layout.artifact_name(review)

    def draft_files(
        self, trainee_id: str | None = None, case_id: str | None = None
    ) -> Iterator[Path]:
        """Draft artifacts: of one case when both ids are given, else of the workspace.

        For one case only that case's folder is read, not the whole workspace.
        """
        area = self.path / layout.DRAFTS
        if trainee_id and case_id:
            area = (
                area / layout.safe_id(trainee_id, "trainee id") / layout.safe_id(case_id, "case id")
            )
        yield from layout.walk_artifacts(area)

    def case_of(self, path: str | Path) -> tuple[str, str] | None:
        """(trainee id, case id) of the case folder that a saved file lies in, or None."""
        try:
            parts = Path(path).relative_to(self.path).parts
        except ValueError:
            return None
        if len(parts) != 4 or parts[0] not in (layout.REVIEWS, layout.DRAFTS):
            return None
        return parts[1], parts[2]

    def current_file(self, review: Review) -> Path | None:
        """The current version of ``review`` on disk: its draft, else its record."""
        for area in (layout.DRAFTS, layout.REVIEWS):
            found = layout.find_by_id(layout.case_folder(self.path, area, review), review.id)
            if found is not None:
                return found
        return None

    def current_hash(self, review: Review) -> str | None:
        """The content hash that :meth:`Workspace.save` expects for ``review`` now (None
        when it was never saved); a damaged file raises the artifact error."""
        from supervision_workbook.artifact import load

        current = self.current_file(review)
        return load(current).content_hash if current is not None else None
