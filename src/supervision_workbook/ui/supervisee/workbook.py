"""The session workbook: its five steps, its state, drafts, submitting and handing over.

See :mod:`supervision_workbook.ui.supervisee` for what each step asks and why. This class
wires the parts together and owns what they share: the session's identity (review and
session ids), the draft's content hash (so that two windows on one draft get a conflict
rather than overwrite each other) and the lock after submitting, on the shared
``components.shell.WorkbookShell``. The parts are ``basics`` (step 1), ``case`` (the chosen
trainee and case and their records), ``parts`` (steps 2 to 4), ``components.review_step``
(step 5), ``opening`` (drafts and uploads), ``reviewing`` (the chart and step 5's content),
``ui.handover`` (the exchange after Submit) and ``casework`` (what the workspace holds).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.model import (
    Case,
    Review,
    ReviewKind,
    SessionEntry,
    Status,
    Trainee,
    new_id,
    utcnow,
)
from supervision_workbook.ui.casework import latest_draft, scan_directory, session_instruments
from supervision_workbook.ui.components.chart_panel import ChartPanel
from supervision_workbook.ui.components.files import Download, FilePayload, Upload
from supervision_workbook.ui.components.review_step import ReviewStep, ensure_ready
from supervision_workbook.ui.components.saving import AUTOSAVE_DELAY, Scheduler, call_later
from supervision_workbook.ui.components.shell import WorkbookShell
from supervision_workbook.ui.components.steps import Step, StepFlow
from supervision_workbook.ui.components.text import IdentifierWarnings
from supervision_workbook.ui.handover.submit import ExchangeFactory, Handover
from supervision_workbook.ui.supervisee.basics import SessionBasics
from supervision_workbook.ui.supervisee.case import SessionCase
from supervision_workbook.ui.supervisee.opening import SessionOpening
from supervision_workbook.ui.supervisee.parts import SessionParts
from supervision_workbook.ui.supervisee.reviewing import SessionReviewing

if TYPE_CHECKING:
    from supervision_workbook.store import Workspace

log = logging.getLogger(__name__)


class SuperviseeWorkbook(SessionOpening, SessionReviewing, WorkbookShell):
    """The five-step workbook and its state. ``widget`` is what the page displays.

    ``scheduler``, ``clock`` and ``today`` are there for tests (timers without an event
    loop, fixed times), and ``exchange`` (what Submit hands the session to; default: the
    server's own, see :func:`exchange.exchange_for`); the defaults are the real ones.
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
    ) -> None:
        super().__init__(
            workspace,
            message_testid="swb-app-message",
            scheduler=scheduler,
            clock=clock,
            autosave_delay=autosave_delay,
        )
        chosen = session_instruments(self.instruments, self.config)
        self.client_instrument = chosen.client
        self.therapist_instrument = chosen.therapist
        self.rupture_instrument = chosen.ruptures
        self.reflection_instrument = chosen.reflection
        self._today = today
        self._chart_stale = True
        self.status = Status.draft
        self.frozen: Review | None = None

        self.directory = scan_directory(workspace)
        self.warnings = IdentifierWarnings(
            lambda: self.context.declared_names,
            region=workspace.config.privacy.regions,
            scheduler=scheduler,
        )
        self.basics = SessionBasics(
            self.directory,
            on_case=self._case_chosen,
            on_change=self._changed,
            on_names=lambda names: self.context.save_names(names),
            today=today,
        )
        self.context = SessionCase(workspace, self.directory, self.basics, self.warnings)
        self.parts = SessionParts(chosen, self.warnings)
        p = self.parts
        # The parts by name, as the steps and the tests know them.
        self.client_form, self.therapist_form = p.client_form, p.therapist_form
        self.ruptures, self.reflection = p.ruptures, p.reflection
        self.bring, self.notes = p.bring, p.notes
        self._new_identity()
        self.chart = ChartPanel(
            self._trajectory,
            title="The alliance in this case so far",
            empty_text="The trajectory appears once this session has a date and ratings.",
            describe=self._trajectory_text,
            scheduler=scheduler,
            heading=False,
        )
        self.download = Download(
            self._download_payload,
            label="Download workbook (.ipynb)",
            description="Download this session workbook as a notebook file",
        )
        self.upload = Upload(self._apply_upload, description="Resume from a downloaded workbook:")
        self.handover = Handover(exchange)
        self.review_step = ReviewStep(
            self.chart,
            submit=self.submit,
            next_session=self.start_next_session,
            handover=self.handover,
        )
        self.flow = StepFlow(
            [
                Step("Session", self.basics, validate=self.basics.validate, key="session"),
                Step(
                    "Alliance",
                    p.alliance_body(self.chart),
                    validate=p.validate_alliance,
                    on_enter=self._chart_step_entered,
                    key="alliance",
                ),
                Step("Ruptures", p.ruptures, validate=p.ruptures.validate, key="ruptures"),
                Step(
                    "Reflection",
                    p.reflection_body(),
                    validate=p.reflection.validate,
                    key="reflection",
                ),
                Step(
                    "Review and submit",
                    self.review_step,
                    on_enter=self._review_entered,
                    key="review",
                ),
            ]
        )
        p.on_change(charted=self._shown_data_changed, other=self._changed)
        self.flow.observe(lambda _c: self.autosave.flush(), names="index")

        self.widget = self._page()
        self._start(dict(params or {}))

    # --- layout --------------------------------------------------------------------------
    def _page(self) -> widgets.Widget:
        return self.frame(
            "Session workbook",
            "After a session: the alliance from both sides, ruptures and repair, your "
            "reflection, and what to bring to supervision. Your work is saved as a draft "
            "while you type.",
            css_class="swb-supervisee",
            toolbar=[self.download],
            body=[self.upload],
        )

    # --- identity and state --------------------------------------------------------------
    def _new_identity(self) -> None:
        self.review_id = new_id("rv")
        self.created = utcnow()
        self.session_id = new_id("se")
        self.parts.new_ids()

    def _start(self, params: dict[str, str]) -> None:
        problems = list(self.directory.problems)
        trainee_id, case_id = params.get("trainee"), params.get("case")
        if trainee_id or case_id:
            if trainee_id not in self.directory.trainees:
                problems.append(
                    "The link names a trainee who has no saved work in this workspace; "
                    "choose or add the trainee below."
                )
            elif case_id and case_id not in self.directory.cases.get(trainee_id, {}):
                problems.append(
                    "The link names a case that this trainee has no saved work for; choose "
                    "or add the case below."
                )
                self.basics.select(trainee_id, None)
            else:
                self.basics.select(trainee_id, case_id)
        elif self.directory.latest_draft is not None:
            self.basics.select(*self.directory.latest_draft)
        elif len(self.directory.trainees) == 1:
            self.basics.select(next(iter(self.directory.trainees)), None)
        self.warn(problems)

    def _case_chosen(self, trainee_id: str | None, case_id: str | None) -> None:
        """The person (or a link) chose a trainee and case: save, then open that case."""
        self.autosave.flush()
        self.autosave.cancel()
        self.message.clear()
        self.context.choose(trainee_id, case_id)
        self.url.set(trainee=trainee_id, case=case_id)
        if trainee_id is None or case_id is None:
            self._reset_session()
            self.context.show_history()
            self.recheck()
            return
        self.warn(self.context.load(trainee_id, case_id))
        loaded, problems = latest_draft(self.ws, trainee_id, case_id)
        if loaded is None:
            self._reset_session()
        else:
            try:
                self._apply_review(loaded.review, loaded.content_hash)
            except ValueError as exc:
                problems.append(f"Your draft could not be restored ({exc}); starting afresh.")
                self._reset_session()
            else:
                session = loaded.review.sessions[0] if loaded.review.sessions else None
                self.restored(loaded.review, f" of session {session.number}" if session else "")
        self.warn(problems)
        self.recheck()

    def people(self) -> tuple[Trainee, Case]:
        """The trainee and case records this session belongs to (see ``SessionCase``)."""
        return self.context.people()

    def _reset_session(self) -> None:
        """A blank session: new ids, the next free number, today's date."""
        with self.loading():
            self._new_identity()
            self.unlock()
            self.expected_hash = None
            self.frozen = None
            self.status = Status.draft
            self.basics.set_session(self.context.history.next_number, self._today())
            self.parts.clear()
        self._chart_stale = True
        self.review_step.reset()
        self.handover.reset()

    # --- locking ----------------------------------------------------------------------------
    def _set_editable(self, editable: bool) -> None:
        self.basics.disabled = not editable
        self.parts.disabled = not editable
        self.review_step.set_submitted(not editable)

    # --- building the record -------------------------------------------------------------
    def session_entry(self) -> SessionEntry:
        """This session as a record (raises ``ValueError`` while the date is missing)."""
        day = self.basics.date.value
        if not isinstance(day, date):
            raise ValueError("choose the date of the session first")
        return self.parts.entry(self.session_id, self.basics.number.value, day)

    def build_review(self, status: Status = Status.draft) -> Review:
        trainee, case = self.people()
        return Review(
            id=self.review_id,
            kind=ReviewKind.session,
            status=status,
            trainee=trainee,
            case=case,
            created=self.created,
            updated=utcnow(),
            sessions=[self.session_entry()],
        )

    # --- saving --------------------------------------------------------------------------
    def _save_draft(self) -> str | None:
        if self.locked or not self.context.chosen:
            return None
        review = self.build_review(Status.draft)
        ref = self.save_draft_of(review)
        self.context.remember(review)
        return ref.path.name

    def submit(self) -> str:
        """Validate every step, save the session as submitted, then hand it over.

        Raises in words when the session cannot be saved; once it is saved, handing it to
        the supervisor (:class:`Handover`) reports its own outcome and never undoes that.
        """
        if self.locked:
            raise ValueError("this session is already submitted")

        def make() -> Review:
            ensure_ready(self.flow, self.review_step.identifiers)
            return self.build_review(Status.submitted)

        review, ref = self.save_record(make)
        self.status = Status.submitted
        self.frozen = review
        self.context.recorded(review)
        self.lock(
            "Submitted: this session is saved as a record; drafts are no longer saved.",
            benign=True,
        )
        session = review.sessions[0]
        saved = (
            f"Submitted session {session.number} of case {review.case.code} and saved it in "
            f"your workspace as {ref.path.name}."
        )
        handed = self.handover.hand_over(ref.path.read_text(encoding="utf-8"), ref.path.name)
        return f"{saved} {handed}" if handed else saved

    def start_next_session(self) -> None:
        """After a submit: a blank workbook for the next session of the same case."""
        self._reset_session()
        self.message.show("info", f"Started session {self.basics.number.value}.")
        self.flow.go(0)

    def _download_payload(self) -> FilePayload:
        review = self.frozen if self.frozen is not None else self.build_review(self.status)
        return self.record_payload(review)

    # --- change tracking ------------------------------------------------------------------
    def _changed(self) -> None:
        if not self._loading:
            self._chart_stale = True
            self.changed()
