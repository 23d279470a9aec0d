"""What the supervision meeting adds to a case: notes, check-in, goals, actions, sign-off.

These are the editable parts of a case review; the trainee's sessions are not among them.
:class:`MeetingParts` owns the controls, builds the meeting's share of the record
(:meth:`MeetingParts.review`), and restores it from a draft (:meth:`MeetingParts.apply`),
checking every restored value before any control changes, so a draft that this workspace
cannot show is refused in words and changes nothing.

The supervision check-in is the configured ``supervision_instrument`` rated twice on the
same items, once by the supervisor and once by the supervisee, through the same
``RatingForm`` as every other instrument (scores come from ``scoring``). A check-in with no
answer at all is left out of the record rather than stored empty.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.model import (
    InstrumentResponse,
    Respondent,
    Review,
    ReviewKind,
    Status,
    SupervisionCheckin,
    new_id,
    utcnow,
)
from supervision_workbook.ui.components.text import IdentifierWarnings, escape, text_area
from supervision_workbook.ui.forms.action_items import ActionItemsEditor
from supervision_workbook.ui.forms.rating import RatingForm
from supervision_workbook.ui.forms.signoff import SignOffForm

if TYPE_CHECKING:
    from supervision_workbook.instruments import RatingInstrument
    from supervision_workbook.model import Case, SessionEntry, Trainee

_WHO = (Respondent.supervisor, Respondent.supervisee)


class MeetingParts:
    """The controls of steps 4 (notes), 5 (check-in), 6 (goals) and 7 (sign-off)."""

    def __init__(
        self,
        instrument: RatingInstrument,
        warnings: IdentifierWarnings,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.instrument = instrument
        self._today = today
        self._callbacks: list[Callable[[], None]] = []
        #: Called when check-in answers change (the workbook redraws the trend).
        self.checkin_changed: Callable[[], None] | None = None
        self._extra: list[InstrumentResponse] = []
        self.notes = text_area(
            "Supervisor notes: what you noticed and discussed about the relationship, "
            "transference and countertransference",
            rows=5,
            testid="swb-cr-supervisor-notes",
        )
        self.notes_warning = warnings.watch(self.notes, "Supervisor notes")
        self.forms = {
            Respondent.supervisor: RatingForm(instrument, heading="Supervisor's ratings").add_class(
                "swb-cr-supervisor-form"
            ),
            Respondent.supervisee: RatingForm(instrument, heading="Supervisee's ratings").add_class(
                "swb-cr-supervisee-form"
            ),
        }
        self.goals = text_area("Agreed goals for the next sessions", rows=4, testid="swb-cr-goals")
        self.goals_warning = warnings.watch(self.goals, "Agreed goals")
        self.tasks = text_area(
            "Agreed tasks: how the trainee will work towards these goals (optional)",
            rows=3,
            testid="swb-cr-tasks",
        )
        self.tasks_warning = warnings.watch(self.tasks, "Agreed tasks")
        self.actions = ActionItemsEditor(warnings=warnings)
        self.signoff = SignOffForm(today)
        for area in (self.notes, self.goals, self.tasks):
            area.observe(lambda _c: self._changed(), names="value")
        for form in self.forms.values():
            form.on_change(self._checkin_edited)
        self.actions.on_change(self._changed)
        self.reset()

    # --- parts of steps ----------------------------------------------------------------------
    def notes_parts(self) -> list[widgets.Widget]:
        return [self.notes, self.notes_warning]

    def checkin_parts(self) -> list[widgets.Widget]:
        note = (
            f"<p class='swb-intro'>{escape(self.instrument.note)}</p>"
            if self.instrument.note
            else ""
        )
        intro = widgets.HTML(
            "<p class='swb-intro'>Both of you answer the same items about this supervision, "
            "each on your own form. Differences are something to talk about, not to "
            f"settle.</p>{note}"
        )
        grid = widgets.GridBox(
            list(self.forms.values()),
            layout=widgets.Layout(
                grid_template_columns="repeat(auto-fit, minmax(22rem, 1fr))",
                grid_gap="1rem",
                width="100%",
            ),
        ).add_class("swb-cr-checkin-forms")
        return [intro, grid]

    def goal_parts(self) -> list[widgets.Widget]:
        return [
            self.goals,
            self.goals_warning,
            self.tasks,
            self.tasks_warning,
            self.actions,
        ]

    # --- checks --------------------------------------------------------------------------------
    def validate_checkin(self) -> list[str]:
        return [p for form in self.forms.values() for p in form.validate()]

    def validate_goals(self) -> list[str]:
        problems = []
        if not self.goals.value.strip():
            problems.append("Write the goals you agreed for the next sessions.")
        return problems + self.actions.validate()

    # --- state ---------------------------------------------------------------------------------
    def on_change(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def reset(self) -> None:
        """A new meeting: fresh ids, today's date, every control empty."""
        self.review_id = new_id("rv")
        self.created = utcnow()
        self.checkin_id = new_id("ci")
        self.checkin_date = self._today()
        self.response_ids = {who: new_id("ir") for who in _WHO}
        self._extra = []
        self.notes.value = self.goals.value = self.tasks.value = ""
        for form in self.forms.values():
            form.clear()
        self.actions.items = []
        self.signoff.reset()

    def apply(self, review: Review) -> None:
        """Show a saved draft's meeting parts; raises ``ValueError`` (and changes nothing)
        if the draft is not a case review or holds answers off the instrument's scale."""
        from supervision_workbook.scoring import score

        if review.kind != ReviewKind.case_review:
            raise ValueError("this file is a session workbook, not a case review")
        answers: dict[Respondent, InstrumentResponse] = {}
        extra: list[InstrumentResponse] = []
        for response in review.checkin.responses if review.checkin else []:
            if response.instrument_id == self.instrument.id and response.respondent in _WHO:
                if response.respondent in answers:
                    extra.append(response)
                    continue
                score(self.instrument, response.answers)  # ScoringError is a ValueError
                answers[response.respondent] = response
            else:
                extra.append(response)
        self.reset()
        self.review_id, self.created = review.id, review.created
        if review.checkin is not None:
            self.checkin_id, self.checkin_date = review.checkin.id, review.checkin.date
        self._extra = extra
        for who, response in answers.items():
            self.forms[who].answers = response.answers
            self.response_ids[who] = response.id
        self.notes.value = review.supervisor_notes
        self.goals.value = review.goals
        self.tasks.value = review.tasks
        self.actions.items = review.action_items

    def current_checkin(self, *, complete_only: bool = True) -> SupervisionCheckin | None:
        """Today's check-in: the forms with answers (only complete ones if asked)."""
        responses = [
            form.response(self.response_ids[who], who)
            for who, form in self.forms.items()
            if form.answered and (not complete_only or form.answered == len(form.answers))
        ]
        if not responses and not self._extra:
            return None
        return SupervisionCheckin(
            id=self.checkin_id, date=self.checkin_date, responses=[*responses, *self._extra]
        )

    def review(
        self,
        trainee: Trainee,
        case: Case,
        sessions: Sequence[SessionEntry],
        status: Status = Status.draft,
    ) -> Review:
        return Review(
            id=self.review_id,
            kind=ReviewKind.case_review,
            status=status,
            trainee=trainee,
            case=case,
            created=self.created,
            updated=utcnow(),
            sessions=list(sessions),
            supervisor_notes=self.notes.value,
            checkin=self.current_checkin(complete_only=False),
            goals=self.goals.value,
            tasks=self.tasks.value,
            action_items=self.actions.items,
        )

    def summary_rows(self) -> list[tuple[str, str]]:
        rows = [
            (f"Check-in, {who.value}: {self.instrument.name}", form.score_text)
            for who, form in self.forms.items()
        ]
        items = self.actions.items
        rows += [
            ("Supervisor notes", "written" if self.notes.value.strip() else "none"),
            ("Agreed goals", self.goals.value or "not written yet"),
            ("Agreed tasks", self.tasks.value or "none"),
            ("Action items", "; ".join(i.text for i in items) if items else "none"),
        ]
        return rows

    @property
    def disabled(self) -> bool:
        return self.notes.disabled

    @disabled.setter
    def disabled(self, value: bool) -> None:
        for control in (
            self.notes,
            self.goals,
            self.tasks,
            self.actions,
            self.signoff,
            *self.forms.values(),
        ):
            control.disabled = bool(value)

    # --- events --------------------------------------------------------------------------------
    def _changed(self) -> None:
        for callback in list(self._callbacks):
            callback()

    def _checkin_edited(self) -> None:
        self._changed()
        if self.checkin_changed is not None:
            self.checkin_changed()
