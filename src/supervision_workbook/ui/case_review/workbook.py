"""The case review workbook: its seven steps, its state, drafts and the sign-off.

See :mod:`supervision_workbook.ui.case_review` for what each step shows and why. This class
wires the parts together and owns what they share: the open case (trainee, case, the
sessions as recorded), the draft's content hash (so that two windows on one draft get a
conflict rather than overwrite each other), and the lock after sign-off.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.model import Case, Review, SessionEntry, Status, Trainee, utcnow
from supervision_workbook.ui.case_review.meeting import MeetingParts
from supervision_workbook.ui.case_review.signoff import SignOffStep
from supervision_workbook.ui.case_review.views import CaseViews
from supervision_workbook.ui.casework import CaseHistory, SetupError, case_history, scan_directory
from supervision_workbook.ui.components.files import Download, FilePayload
from supervision_workbook.ui.components.page import CaseReviewStyleSheet
from supervision_workbook.ui.components.picker import CasePicker
from supervision_workbook.ui.components.review_step import ensure_ready
from supervision_workbook.ui.components.saving import AUTOSAVE_DELAY, Scheduler, call_later
from supervision_workbook.ui.components.shell import WorkbookShell
from supervision_workbook.ui.components.steps import Step, StepFlow
from supervision_workbook.ui.components.text import IdentifierWarnings
from supervision_workbook.ui.handover.receive import CaseKeys, ReceivePanel
from supervision_workbook.ui.handover.submit import ExchangeFactory
from supervision_workbook.ui.render import review_html

if TYPE_CHECKING:
    from supervision_workbook.artifact import LoadedArtifact
    from supervision_workbook.store import Workspace

log = logging.getLogger(__name__)

TITLE = "Case review"


def _step(n: int, parts: list[widgets.Widget]) -> widgets.VBox:
    return widgets.VBox(parts, layout=widgets.Layout(width="100%")).add_class(f"swb-cr-step-{n}")


class CaseReviewWorkbook(WorkbookShell):
    """The seven steps and their state; ``widget`` is what the page displays.

    ``scheduler``, ``clock`` and ``today`` exist for tests (timers without an event loop,
    fixed times), and ``exchange`` (what "Collect submissions" collects from) and
    ``collect`` (whether to offer it); the defaults are the real ones: the server's
    exchange, offered where an exchange folder is configured.
    """

    def __init__(
        self,
        workspace: Workspace,
        params: Mapping[str, str] | None = None,
        *,
        scheduler: Scheduler = call_later,
        clock: Callable[[], datetime] = datetime.now,
        today: Callable[[], date] = date.today,
        autosave_delay: float = AUTOSAVE_DELAY,
        exchange: ExchangeFactory | None = None,
        collect: bool | None = None,
    ) -> None:
        from supervision_workbook.instruments import RatingInstrument

        super().__init__(
            workspace,
            message_testid="swb-cr-message",
            scheduler=scheduler,
            clock=clock,
            autosave_delay=autosave_delay,
        )
        supervision = self.instruments.get(self.config.supervision_instrument)
        if not isinstance(supervision, RatingInstrument):
            raise SetupError(
                f"supervision_instrument = '{self.config.supervision_instrument}' in "
                "supervision-workbook.toml is not an installed rating instrument."
            )
        self.trainee_id: str | None = None
        self.case_id: str | None = None
        self.history = CaseHistory()
        self.sessions: list[SessionEntry] = []
        self.people: tuple[Trainee, Case] | None = None
        self.declared_names: list[str] = []

        self.directory = scan_directory(workspace)
        self.warnings = IdentifierWarnings(
            lambda: self.declared_names, region=workspace.config.privacy.regions
        )
        self.picker = CasePicker(self.directory, self._case_chosen)
        self.receive = ReceivePanel(workspace, self._received, collect=collect, exchange=exchange)
        self.views = CaseViews(self.ws, scheduler=scheduler)
        self.meeting = MeetingParts(supervision, self.warnings, today=today)
        self.meeting.on_change(self._changed)
        self.meeting.checkin_changed = self._checkin_changed
        self.download = Download(
            self._download_payload,
            label="Download this case review (.ipynb)",
            description="Download this case review as a notebook file: the meeting so far, "
            "or the signed record once it is signed off",
        )
        self.download.add_class("swb-cr-toolbar-download")
        self.signoff_step = SignOffStep(self.meeting.signoff, self.sign_off)

        m, v = self.meeting, self.views
        self.flow = StepFlow(
            [
                Step(
                    "Case snapshot",
                    _step(1, [self.receive, self.picker, v.snapshot, v.previous]),
                    validate=self._validate_case,
                    key="snapshot",
                ),
                Step(
                    "Binocular view",
                    _step(2, v.binocular_parts()),
                    on_enter=v.binocular_entered,
                    key="binocular",
                ),
                Step("Ruptures and repairs", _step(3, [v.ruptures]), key="ruptures"),
                Step(
                    "Transference and countertransference",
                    _step(4, [*v.reflection_parts(), *m.notes_parts()]),
                    on_enter=v.reflection_entered,
                    key="transference",
                ),
                Step(
                    "Supervision check-in",
                    _step(5, [*m.checkin_parts(), v.checkin_chart]),
                    validate=m.validate_checkin,
                    on_enter=self._checkin_entered,
                    key="checkin",
                ),
                Step(
                    "Goals and tasks",
                    _step(6, m.goal_parts()),
                    validate=m.validate_goals,
                    key="goals",
                ),
                Step(
                    "Sign-off",
                    self.signoff_step,
                    validate=m.signoff.validate,
                    on_enter=self._signoff_entered,
                    key="signoff",
                ),
            ],
            label="Case review steps",
        )
        self.flow.observe(lambda _c: self.autosave.flush(), names="index")
        for control in (m.signoff.supervisor, m.signoff.minutes, m.signoff.format):
            control.observe(lambda _c: self.recheck(), names="value")
        for control in (self.picker.trainee, self.picker.case):
            control.observe(lambda _c: self.recheck(), names="value")
        self.widget = self._page()
        self._start(dict(params or {}))

    # --- layout --------------------------------------------------------------------------
    def _page(self) -> widgets.Widget:
        return self.frame(
            TITLE,
            "For the supervision meeting: both views of the alliance, flags and their "
            "reasons, ruptures, countertransference, the supervision check-in, agreed goals "
            "and the sign-off. The meeting is saved as a draft while you type.",
            css_class="swb-case-review",
            sheets=[CaseReviewStyleSheet()],
            toolbar=[self.download],
        )

    # --- choosing the case ---------------------------------------------------------------
    def _start(self, params: dict[str, str]) -> None:
        problems = list(self.directory.problems)
        trainee_id, case_id = params.get("trainee"), params.get("case")
        if trainee_id or case_id:
            if not self.picker.select(trainee_id, case_id):
                problems.append(
                    "The link names a trainee or case that has no saved records in this "
                    "workspace; choose them below."
                )
        elif len(self.directory.trainees) == 1:
            self.picker.select(next(iter(self.directory.trainees)), None)
        self.warn(problems)

    def _case_chosen(self, trainee_id: str | None, case_id: str | None) -> None:
        """Save the open draft, then open the chosen case and its draft, if any."""
        from supervision_workbook.store import WorkspaceError
        from supervision_workbook.ui.case_review.data import (
            damaged_in_case,
            latest_case_review_draft,
        )

        self.autosave.flush()
        self.autosave.cancel()
        self.message.clear()
        self.url.set(trainee=trainee_id, case=case_id)
        self.trainee_id, self.case_id = trainee_id, case_id
        self._reset()
        if trainee_id is None or case_id is None:
            self.views.clear()
            return
        loaded, problems = latest_case_review_draft(self.ws, trainee_id, case_id)
        review_id = loaded.review.id if loaded is not None else self.meeting.review_id
        self.history = case_history(self.ws, trainee_id, case_id, exclude_review_id=review_id)
        self.sessions = self.history.sessions
        problems += self.history.problems
        problems += damaged_in_case(self.ws, trainee_id, case_id)
        if self.history.trainee is not None and self.history.case is not None:
            self.people = (self.history.trainee, self.history.case)
        try:
            self.declared_names = self.ws.declared_names(case_id)
        except WorkspaceError as exc:
            problems.append(str(exc))
        self.warnings.recheck()
        self.views.show_case(trainee_id, case_id, self.sessions, self.people, review_id)
        if loaded is not None:
            self._restore(loaded, problems)
        if self.people is not None and not self.meeting.signoff.supervisor.value:
            self.meeting.signoff.supervisor.value = self.people[0].supervisor
        self.warn(problems)
        self.recheck()

    def _restore(self, loaded: LoadedArtifact, problems: list[str]) -> None:
        with self.loading():
            try:
                self.meeting.apply(loaded.review)
            except ValueError as exc:
                problems.append(f"Your draft could not be restored ({exc}); starting afresh.")
                self.meeting.reset()
                return
        self.expected_hash = loaded.content_hash
        self.restored(loaded.review, " of this case review")

    def _reset(self) -> None:
        """A fresh meeting: new ids, empty parts, editable again."""
        with self.loading():
            self.history = CaseHistory()
            self.sessions, self.people, self.declared_names = [], None, []
            self.expected_hash = None
            self.meeting.reset()
            self.signoff_step.reset()
            self.unlock()

    def _validate_case(self) -> list[str]:
        problems = self.picker.validate()
        if not problems and not self.sessions:
            problems.append(
                "This case has no recorded sessions yet: the trainee submits session "
                "workbooks first."
            )
        return problems

    # --- the record ------------------------------------------------------------------------
    def build_review(self, status: Status = Status.draft) -> Review:
        if self.people is None:
            raise ValueError("choose a case with recorded sessions first")
        trainee, case = self.people
        return self.meeting.review(trainee, case, self.sessions, status)

    def _changed(self) -> None:
        self.changed()

    def _save_draft(self) -> str | None:
        if self.locked or self.people is None:
            return None
        return self.save_draft_of(self.build_review(Status.draft)).path.name

    def sign_off(self) -> str:
        """Check every step, sign, save, read the record back. Raises in words."""
        from supervision_workbook.artifact import integrity

        if self.locked:
            raise ValueError("this case review is already signed off")

        def make() -> Review:
            ensure_ready(self.flow, self.signoff_step.identifiers)
            review = self.build_review(Status.reviewed)
            return integrity.sign_off(review, self.meeting.signoff.signoff(utcnow()))

        signed, ref = self.save_record(make)
        self.lock("Signed off: drafts are no longer saved.", benign=True)
        self.message.show(
            "success",
            "Signed off: this case review is saved as a signed record and shown "
            "read-only; drafts are no longer saved.",
        )
        from supervision_workbook import signing

        loaded = self.ws.load(ref.path)
        verdict = signing.verdict(loaded.review, signing.trusted_keys(self.ws.path))
        self.signoff_step.show_signed(loaded, ref.path, verdict)
        return (
            f"Signed off and saved the case review of case {signed.case.code} as "
            f"{ref.path.name}. The saved file is the signed record; it is shown below, "
            "read-only, and can be downloaded."
        )

    def _set_editable(self, editable: bool) -> None:
        self.meeting.disabled = not editable

    # --- trainees' work arriving, and the download -----------------------------------------
    def _received(self, cases: CaseKeys) -> None:
        """Records were collected or uploaded: offer their trainees and cases in the picker.

        The open case is read again if it received something (its draft is saved first and
        restored after); with no case open, a single case that arrived is opened.
        """
        self.directory = scan_directory(self.ws)
        self.picker.refresh(self.directory)
        current = (self.trainee_id, self.case_id)
        if self.case_id is not None and current in cases:
            if not self.locked:
                self._case_chosen(*current)  # type: ignore[arg-type] - both are set
        elif self.case_id is None and len(cases) == 1:
            self.picker.select(*cases[0])

    def _download_payload(self) -> FilePayload:
        """The signed record as saved once signed off; before that, the meeting so far."""
        signed = self.signoff_step.signed_path
        if signed is not None:
            return FilePayload(signed.name, signed.read_text(encoding="utf-8"))
        return self.record_payload(self.build_review(Status.draft))

    # --- step hooks ------------------------------------------------------------------------
    def _checkin_entered(self) -> None:
        self.views.checkin_entered(self.meeting.current_checkin())

    def _checkin_changed(self) -> None:
        if self.flow.index == 4:
            self.views.checkin_changed(self.meeting.current_checkin())

    def _signoff_entered(self) -> None:
        rows = [
            ("Case", self.people[1].code if self.people else "not chosen"),
            ("Trainee", self.people[0].name if self.people else "not chosen"),
            ("Sessions covered", review_html.date_span(self.sessions)),
            ("Open flags", self.views.flag_text),
            *self.meeting.summary_rows(),
        ]
        self.signoff_step.show_summary(rows, self.warnings.summary())
