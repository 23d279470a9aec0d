"""Opening a saved session in the session workbook: a draft on reload, or an uploaded file.

A mixin of :class:`~supervision_workbook.ui.supervisee.workbook.SuperviseeWorkbook`, kept
apart because opening is where a file from outside meets the page: the review is checked
(``record.check_session_review``) *before* any editor changes, so a file the workbook
cannot show is refused with its reason and changes nothing; the workspace's own copy is
compared by its hash (``Workspace.current_hash``), and a damaged copy is never overwritten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from supervision_workbook.formatting import status_words
from supervision_workbook.model import Review, Status, new_id
from supervision_workbook.ui.supervisee.record import check_session_review

if TYPE_CHECKING:
    from supervision_workbook.artifact import LoadedArtifact


class SessionOpening:
    """Showing a saved review in every step; the workbook supplies the parts."""

    # --- applying a saved review ---------------------------------------------------------
    def check_review(self, review: Review) -> None:
        """Raise ``ValueError`` (in words) if ``review`` cannot be shown in this workbook."""
        check_session_review(review, self.instruments, self.reflection_instrument)

    def _apply_review(self, review: Review, expected_hash: str | None) -> None:
        """Show ``review`` in every step (checked first, so a bad one changes nothing)."""
        self.check_review(review)
        session = review.sessions[0] if review.sessions else None
        with self.loading():
            self.context.opened(review)
            self.review_id, self.created = review.id, review.created
            self.expected_hash = expected_hash
            self.status = review.status
            self.unlock()
            if session is None:
                self.session_id = new_id("se")
                self.basics.set_session(self.context.history.next_number, self._today())
                self.parts.clear()
            else:
                self.session_id = session.id
                self.basics.set_session(session.number, session.date)
                self.parts.apply(session)
            self.review_step.reset()  # no result of another session's Submit lingers
            self.handover.reset()
        self._chart_stale = True
        if review.status != Status.draft:
            self.frozen = review
            self.lock(
                f"This session is {status_words(review.status.value)}; it is shown "
                "read-only and no drafts are saved.",
                benign=True,
            )

    def _apply_upload(self, loaded: LoadedArtifact, filename: str) -> str:
        review = loaded.review
        self.check_review(review)  # before anything changes
        self.autosave.flush()
        from supervision_workbook.artifact import ArtifactError

        unreadable = ""
        try:
            on_disk = self.ws.current_hash(review)
        except ArtifactError as exc:  # the workspace's copy is damaged: show, never overwrite
            on_disk, unreadable = None, str(exc)
        self.context.remember(review)
        self.basics.trainee.options = self.directory.trainee_options()
        self.basics.select(review.trainee.id, review.case.id, notify=False)
        # The case's ids and records first: loading its history writes the line under Case,
        # which must name the uploaded case, not the one open before.
        self.context.opened(review)
        self.warn(self.context.load(review.trainee.id, review.case.id, exclude_review_id=review.id))
        self.handover.reset()
        self._apply_review(review, on_disk)
        self.url.set(trainee=review.trainee.id, case=review.case.id)
        self.flow.go(0)
        session = review.sessions[0] if review.sessions else None
        message = (
            f"Opened the workbook of case {review.case.code}"
            + (f", session {session.number}" if session else "")
            + f" ({status_words(review.status.value)})."
        )
        if unreadable:
            self.lock(
                "This workspace's own copy of this review could not be read, so the file you "
                "opened is shown read-only and nothing is saved over that copy."
            )
            return message + f" The copy in this workspace could not be read: {unreadable}"
        if review.status == Status.draft:
            self.autosave.touch()
            if on_disk is not None and on_disk != loaded.content_hash:
                message += (
                    " This workspace held a different version of it; the file you opened "
                    "replaces it when the draft is saved."
                )
            else:
                message += " It is saved here as your draft."
        return message
