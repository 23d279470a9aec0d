"""The session workbook: its five steps, its state, drafts, submitting and handing over.

See :mod:`supervision_workbook.ui.supervisee` for what each step asks and why. This class
wires the parts together and owns what they share: the session's identity (review and
session ids), the draft's content hash (so that two windows on one draft get a conflict
rather than overwrite each other), opening a saved review, and the lock after submitting.
The parts are ``session_basics`` (step 1), ``session_case`` (the chosen trainee and case and
their records), ``session_parts`` (steps 2 to 4), ``session_review`` (step 5), ``handover``
(the exchange after Submit) and ``casework`` (what the workspace holds).
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
from supervision_workbook.ui.casework import (
    artifact_filename,
    current_hash,
    latest_draft,
    scan_directory,
    session_instruments,
)
from supervision_workbook.ui.components.banner import banner_parts
from supervision_workbook.ui.components.chart_panel import ChartPanel
from supervision_workbook.ui.components.files import Download, FilePayload, Upload
from supervision_workbook.ui.components.page import StyleSheet, UrlState
from supervision_workbook.ui.components.review_step import ReviewStep, ensure_ready
from supervision_workbook.ui.components.saving import (
    AUTOSAVE_DELAY,
    Autosave,
    Scheduler,
    call_later,
)
from supervision_workbook.ui.components.steps import Step, StepFlow
from supervision_workbook.ui.components.text import IdentifierWarnings, Notice
from supervision_workbook.ui.handover.submit import ExchangeFactory, Handover
from supervision_workbook.ui.render.session_html import entered_html, sessions_with, trajectory_text
from supervision_workbook.ui.supervisee.basics import SessionBasics
from supervision_workbook.ui.supervisee.case import SessionCase
from supervision_workbook.ui.supervisee.parts import SessionParts
from supervision_workbook.ui.supervisee.record import check_session_review

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from supervision_workbook.alerts import Alert
    from supervision_workbook.artifact import LoadedArtifact
    from supervision_workbook.store import Workspace

log = logging.getLogger(__name__)

CHART_STEPS = (1, 4)
"""Steps (0-based) that show the trajectory: the alliance step and the review step."""


class SuperviseeWorkbook:
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
        self.ws = workspace
        self.config = workspace.config
        self.instruments = workspace.instruments
        chosen = session_instruments(self.instruments, self.config)
        self.client_instrument = chosen.client
        self.therapist_instrument = chosen.therapist
        self.rupture_instrument = chosen.ruptures
        self.reflection_instrument = chosen.reflection
        self._today = today
        self._loading = 0
        self._chart_stale = True
        self.locked = False
        self.status = Status.draft
        self.frozen: Review | None = None
        self.expected_hash: str | None = None

        self.directory = scan_directory(workspace)
        self.warnings = IdentifierWarnings(lambda: self.context.declared_names, scheduler=scheduler)
        self.message = Notice(testid="swb-app-message")
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
        self.autosave = Autosave(
            self._save_draft, delay=autosave_delay, scheduler=scheduler, clock=clock
        )
        self.download = Download(
            self._download_payload,
            label="Download workbook (.ipynb)",
            description="Download this session workbook as a notebook file",
        )
        self.upload = Upload(self._apply_upload, description="Resume from a downloaded workbook:")
        self.url = UrlState()
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
        header = widgets.HTML(
            "<h1 class='swb-title'>Session workbook</h1>"
            "<p class='swb-muted'>After a session: the alliance from both sides, ruptures and "
            "repair, your reflection, and what to bring to supervision. Your work is saved as "
            "a draft while you type.</p>"
        )
        parts: list[widgets.Widget] = [
            StyleSheet(),
            *banner_parts(self.config),
            self.url,
            header,
        ]
        toolbar = widgets.HBox(
            [self.autosave, self.download], layout=widgets.Layout(width="100%")
        ).add_class("swb-toolbar")
        parts += [toolbar, self.upload, self.message, self.flow]
        return (
            widgets.VBox(parts, layout=widgets.Layout(width="100%"))
            .add_class("swb-app")
            .add_class("swb-supervisee")
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
        self._warn(problems)

    def _warn(self, problems: list[str]) -> None:
        """Add problems to the page's message, each once."""
        shown = list(self.message.messages)
        new = [p for p in dict.fromkeys(problems) if p not in shown]
        if new:
            self.message.show("warning", [*shown, *new])

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
            self._recheck()
            return
        self._warn(self.context.load(trainee_id, case_id))
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
                when = loaded.review.updated.astimezone().strftime("%d %b %Y %H:%M")
                which = f" of session {session.number}" if session else ""
                self.message.show("info", f"Restored your draft{which} (last saved {when}).")
        self._warn(problems)
        self._recheck()

    def people(self) -> tuple[Trainee, Case]:
        """The trainee and case records this session belongs to (see ``SessionCase``)."""
        return self.context.people()

    def _reset_session(self) -> None:
        """A blank session: new ids, the next free number, today's date."""
        self._loading += 1
        try:
            self._new_identity()
            self._unlock()
            self.expected_hash = None
            self.frozen = None
            self.status = Status.draft
            self.basics.set_session(self.context.history.next_number, self._today())
            self.parts.clear()
        finally:
            self._loading -= 1
        self._chart_stale = True
        self.review_step.reset()
        self.handover.reset()

    # --- applying a saved review ---------------------------------------------------------
    def check_review(self, review: Review) -> None:
        """Raise ``ValueError`` (in words) if ``review`` cannot be shown in this workbook."""
        check_session_review(review, self.instruments, self.reflection_instrument)

    def _apply_review(self, review: Review, expected_hash: str | None) -> None:
        """Show ``review`` in every step (checked first, so a bad one changes nothing)."""
        self.check_review(review)
        session = review.sessions[0] if review.sessions else None
        self._loading += 1
        try:
            self.context.opened(review)
            self.review_id, self.created = review.id, review.created
            self.expected_hash = expected_hash
            self.status = review.status
            self._unlock()
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
        finally:
            self._loading -= 1
        self._chart_stale = True
        if review.status != Status.draft:
            self.frozen = review
            self._lock(
                f"This session is {review.status.value.replace('_', ' ')}; it is shown "
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
            on_disk = current_hash(self.ws, review)
        except ArtifactError as exc:  # the workspace's copy is damaged: show, never overwrite
            on_disk, unreadable = None, str(exc)
        self.context.remember(review)
        self.basics.trainee.options = self.directory.trainee_options()
        self.basics.select(review.trainee.id, review.case.id, notify=False)
        # The case's ids and records first: loading its history writes the line under Case,
        # which must name the uploaded case, not the one open before.
        self.context.opened(review)
        self._warn(
            self.context.load(review.trainee.id, review.case.id, exclude_review_id=review.id)
        )
        self.handover.reset()
        self._apply_review(review, on_disk)
        self.url.set(trainee=review.trainee.id, case=review.case.id)
        self.flow.go(0)
        session = review.sessions[0] if review.sessions else None
        message = (
            f"Opened the workbook of case {review.case.code}"
            + (f", session {session.number}" if session else "")
            + f" ({review.status.value.replace('_', ' ')})."
        )
        if unreadable:
            self._lock(
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

    # --- locking ----------------------------------------------------------------------------
    def _lock(self, reason: str, *, benign: bool = False) -> None:
        """Read-only from now on; ``benign`` when that is the expected end (submitted)."""
        self.locked = True
        self.autosave.stop(reason, benign=benign)
        self.basics.disabled = True
        self.parts.disabled = True
        self.review_step.set_submitted(True)

    def _unlock(self) -> None:
        self.locked = False
        self.autosave.resume()
        self.basics.disabled = False
        self.parts.disabled = False
        self.review_step.set_submitted(False)

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
        ref = self.ws.save(review, expected_hash=self.expected_hash, draft=True)
        self.expected_hash = ref.content_hash
        self.context.remember(review)
        return ref.path.name

    def submit(self) -> str:
        """Validate every step, save the session as submitted, then hand it over.

        Raises in words when the session cannot be saved; once it is saved, handing it to
        the supervisor (:class:`Handover`) reports its own outcome and never undoes that.
        """
        if self.locked:
            raise ValueError("this session is already submitted")
        self.autosave.cancel()
        try:
            ensure_ready(self.flow, self.review_step.identifiers)
            review = self.build_review(Status.submitted)
            ref = self.ws.save(review, expected_hash=self.expected_hash)
        except Exception:
            self.autosave.touch()
            raise
        self.expected_hash = ref.content_hash
        self.status = Status.submitted
        self.frozen = review
        self.context.recorded(review)
        self._lock(
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
        from supervision_workbook.artifact import dumps

        review = self.frozen if self.frozen is not None else self.build_review(self.status)
        return FilePayload(artifact_filename(review), dumps(review, self.instruments, self.config))

    # --- change tracking ------------------------------------------------------------------
    def _changed(self) -> None:
        if self._loading:
            return
        self._chart_stale = True
        if not self.locked:
            self.autosave.touch()
        self._recheck()

    def _recheck(self) -> None:
        """Problems shown under the step follow the person's fixes (see ``StepFlow``)."""
        flow = getattr(self, "flow", None)  # changes made while the page is being built
        if flow is not None:
            flow.recheck()

    def _shown_data_changed(self) -> None:
        """Ratings and ruptures are on the chart: redraw it if it is on screen."""
        self._changed()
        if not self._loading and self.flow.index in CHART_STEPS:
            self.chart.request_refresh()
            self._chart_stale = False

    def _chart_step_entered(self) -> None:
        if self._chart_stale or self.chart.draws == 0:
            self.chart.refresh()
            self._chart_stale = False
        self._warn(self.context.history.problems)  # reading files for the chart may fail

    # --- the chart and the review step ----------------------------------------------------
    def chart_sessions(self) -> list[SessionEntry]:
        """The recorded sessions plus this one (which replaces a recorded one of its number)."""
        try:
            current = self.session_entry()
        except ValueError:
            current = None
        return sessions_with(self.context.history.sessions, current)

    def current_alerts(self) -> list[Alert]:
        from supervision_workbook.alerts import case_alerts

        return case_alerts(self.chart_sessions(), self.instruments, self.config.alerts)

    def _trajectory(self) -> go.Figure | None:
        from supervision_workbook.charts import alliance_trajectory

        sessions = self.chart_sessions()
        if not any(s.responses or s.ruptures for s in sessions):
            return None
        return alliance_trajectory(sessions, self.instruments, self.current_alerts())

    def _trajectory_text(self) -> str:
        return trajectory_text(
            len(self.chart_sessions()),
            self.basics.number.value,
            [(self.client_form, "client"), (self.therapist_form, "you")],
        )

    def _review_entered(self) -> None:
        self._chart_step_entered()
        self.review_step.show(
            self._summary_rows(),
            self.bring.value,
            self.current_alerts,
            self.basics.number.value,
            self.warnings.summary(),
            entered_html(
                self._entered_session(), self.rupture_instrument, self.reflection_instrument
            ),
        )

    def _entered_session(self) -> SessionEntry | None:
        try:
            return self.session_entry()
        except ValueError:  # no date yet
            return None

    def _summary_rows(self) -> list[tuple[str, str]]:
        day = self.basics.date.value
        rows = [
            ("Trainee", self.context.trainee_name or "not chosen"),
            ("Case", self.context.code or "not chosen"),
            ("Session", str(self.basics.number.value)),
            ("Date", day.isoformat() if isinstance(day, date) else "not set"),
        ]
        return rows + self.parts.summary_rows(self.config.alerts.theme_strong_at)
