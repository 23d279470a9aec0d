"""Which trainee and case a session belongs to, and what the workspace holds about them.

The session workbook asks this object, not the workspace, for the case's recorded sessions
(``casework.CaseHistory``: numbers already taken, the trajectory so far), for the names
declared for the identifier check, and for the trainee and case records a new session
carries (the same supervisor as the earlier sessions). It also writes the line under the
case choice that says how far the case has come. Saving, locking and the steps are the
workbook's business (``supervisee.workbook``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from supervision_workbook.model import Case, Trainee
from supervision_workbook.ui.casework import CaseHistory, Directory, case_history
from supervision_workbook.ui.components.text import IdentifierWarnings, escape

if TYPE_CHECKING:
    from supervision_workbook.model import Review
    from supervision_workbook.store import Workspace
    from supervision_workbook.ui.supervisee.basics import SessionBasics


class SessionCase:
    """The chosen trainee and case (ids), their records, and the case's declared names."""

    def __init__(
        self,
        workspace: Workspace,
        directory: Directory,
        basics: SessionBasics,
        warnings: IdentifierWarnings,
    ) -> None:
        self.ws = workspace
        self.directory = directory
        self.basics = basics
        self.warnings = warnings
        self.trainee_id: str | None = None
        self.case_id: str | None = None
        #: The people of a review that was opened (a draft, an upload); otherwise they are
        #: taken from the case's records when first needed (see :meth:`people`).
        self._people: tuple[Trainee, Case] | None = None
        self.history = CaseHistory()
        self.declared_names: list[str] = []

    @property
    def chosen(self) -> bool:
        return self.trainee_id is not None and self.case_id is not None

    def choose(self, trainee_id: str | None, case_id: str | None) -> None:
        """A new choice: nothing known about it yet (see :meth:`load`)."""
        self.trainee_id, self.case_id, self._people = trainee_id, case_id, None
        if not self.chosen:
            self.history = CaseHistory()
            self.declared_names = []

    def opened(self, review: Review) -> None:
        """A saved review was opened: its trainee and case records are the people."""
        self.trainee_id, self.case_id = review.trainee.id, review.case.id
        self._people = (review.trainee, review.case)

    def remember(self, review: Review) -> None:
        """Offer the review's trainee and case in the choices from now on."""
        self.directory.add(review.trainee.id, review.trainee.name, review.case.id, review.case.code)

    def people(self) -> tuple[Trainee, Case]:
        """The trainee and case records this session belongs to.

        From the opened review if there is one; else from the case's latest record (read on
        first use), so that a new session carries the same trainee details (supervisor) as
        the earlier ones; else built from what was chosen or added on this page.
        """
        if self.trainee_id is None or self.case_id is None:
            raise ValueError("choose the trainee and the case first")
        if self._people is not None:
            return self._people
        trainee = self.history.trainee if self.history.rows else None
        case = self.history.case if self.history.rows else None
        if trainee is None or trainee.id != self.trainee_id:
            trainee = self.basics.new_trainees.get(self.trainee_id) or Trainee(
                id=self.trainee_id, name=self.directory.trainees[self.trainee_id]
            )
        if case is None or case.id != self.case_id:
            code = self.directory.cases.get(self.trainee_id, {}).get(self.case_id, "")
            case = self.basics.new_cases.get(self.case_id) or Case(
                id=self.case_id, code=code or self.case_id, trainee_id=self.trainee_id
            )
        self._people = (trainee, case)
        return self._people

    @property
    def code(self) -> str:
        """The case's code (``C-014``), or "" before a case is chosen."""
        if self._people is not None:
            return self._people[1].code
        return self.directory.cases.get(self.trainee_id or "", {}).get(self.case_id or "", "")

    @property
    def trainee_name(self) -> str:
        return self.directory.trainees.get(self.trainee_id or "", "")

    def load(
        self, trainee_id: str, case_id: str, *, exclude_review_id: str | None = None
    ) -> list[str]:
        """Read the case's records and declared names; return what could not be read."""
        from supervision_workbook.store import WorkspaceError

        self.history = case_history(
            self.ws, trainee_id, case_id, exclude_review_id=exclude_review_id
        )
        try:
            self.declared_names = self.ws.declared_names(case_id)
        except WorkspaceError as exc:
            self.declared_names = []
            self.history.problems.append(str(exc))
        self.basics.set_names(self.declared_names)
        self.basics.taken_numbers = self.history.numbers()
        self.warnings.recheck()
        self.show_history()
        return self.history.problems

    def recorded(self, review: Review) -> None:
        """A session of this case was just saved as a record: read the history again."""
        self.history = case_history(self.ws, review.trainee.id, review.case.id)
        self.basics.taken_numbers = self.history.numbers()
        self.show_history()

    def show_history(self) -> None:
        """The line under the case choice: how many sessions, the latest one and when."""
        if self.case_id is None:
            text = "Choose the case to see its sessions so far."
        else:
            count, number, day = self.history.latest_summary()
            if not count:
                text = f"Case {self.code} has no recorded sessions yet."
            else:
                noun = "session" if count == 1 else "sessions"
                when = f" on {day.isoformat()}" if day else ""
                text = (
                    f"Case {self.code} has {count} recorded {noun}; the latest is session "
                    f"{number}{when}."
                )
        self.basics.history.value = f"<p class='swb-help'>{escape(text)}</p>"

    def save_names(self, names: list[str]) -> str:
        """Store the names to look out for in this case (privately); say what changed."""
        from supervision_workbook.store import WorkspaceError

        if self.case_id is None:
            raise ValueError("choose the case first")
        try:
            stored = self.ws.set_declared_names(self.case_id, names)
        except WorkspaceError as exc:
            raise ValueError(str(exc)) from exc
        self.declared_names = stored
        self.basics.set_names(stored)
        self.warnings.recheck()
        if not stored:
            return "No names are declared for this case."
        noun = "name" if len(stored) == 1 else "names"
        return f"The identifier check now also looks for {len(stored)} {noun} in this case."
