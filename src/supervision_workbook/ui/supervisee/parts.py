"""What a trainee writes about one session: both ratings, ruptures, reflection, agenda, notes.

These are the editable parts of the session workbook (steps 2 to 4), apart from who, which
case and when (``basics``) and from saving and handing over (``supervisee.workbook``).
:class:`SessionParts` owns the controls, fills them from a saved session
(:meth:`SessionParts.apply`), clears them for a new one, and builds the session's share of
the record (:meth:`SessionParts.entry`), like ``case_review.meeting.MeetingParts`` does for the
case review. Scores, alerts and files are not its business.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.model import InstrumentResponse, Respondent, SessionEntry, new_id
from supervision_workbook.ui.components.text import IdentifierWarnings, text_area
from supervision_workbook.ui.forms.rating import RatingForm
from supervision_workbook.ui.forms.reflection import ReflectionEditor
from supervision_workbook.ui.forms.ruptures import RuptureEditor
from supervision_workbook.ui.supervisee.record import split_responses

if TYPE_CHECKING:
    from supervision_workbook.ui.casework import SessionInstruments

_WHO = (Respondent.client, Respondent.therapist)


class SessionParts:
    """The controls of steps 2 (alliance), 3 (ruptures) and 4 (reflection)."""

    def __init__(self, chosen: SessionInstruments, warnings: IdentifierWarnings) -> None:
        self.client_form = RatingForm(chosen.client, heading="The client's ratings").add_class(
            "swb-client-form"
        )
        self.therapist_form = RatingForm(chosen.therapist, heading="Your ratings").add_class(
            "swb-therapist-form"
        )
        self.forms = {
            Respondent.client: self.client_form,
            Respondent.therapist: self.therapist_form,
        }
        self.ruptures = RuptureEditor(chosen.ruptures, warnings=warnings)
        self.reflection = ReflectionEditor(chosen.reflection, warnings=warnings)
        self.bring = text_area(
            "Your agenda for supervision: what do you want to bring about this case?",
            rows=4,
            testid="swb-bring",
        )
        self.notes = text_area(
            "Other notes for your supervisor (optional)", rows=3, testid="swb-notes"
        )
        self.bring_warning = warnings.watch(self.bring, "What to bring to supervision")
        self.notes_warning = warnings.watch(self.notes, "Other notes")
        #: Responses of instruments this workbook does not ask for, kept as they came.
        self.extra_responses: list[InstrumentResponse] = []
        self.response_ids: dict[Respondent, str] = {}
        self.new_ids()

    # --- wiring and layout -------------------------------------------------------------------
    def on_change(self, *, charted: Callable[[], None], other: Callable[[], None]) -> None:
        """``charted`` runs when ratings or ruptures change (they are on the chart),
        ``other`` when the reflection, the agenda or the notes change."""
        for form in self.forms.values():
            form.on_change(charted)
        self.ruptures.on_change(charted)
        self.reflection.on_change(other)
        for area in (self.bring, self.notes):
            area.observe(lambda _c: other(), names="value")

    def alliance_body(self, chart: widgets.Widget) -> widgets.Widget:
        """Step 2: the two forms side by side (the binocular view), the chart under them."""
        return widgets.VBox(
            [
                widgets.GridBox(
                    [self.client_form, self.therapist_form],
                    layout=widgets.Layout(
                        grid_template_columns="repeat(auto-fit, minmax(22rem, 1fr))",
                        grid_gap="1rem",
                        width="100%",
                    ),
                ).add_class("swb-binocular"),
                chart,
            ]
        )

    def reflection_body(self) -> widgets.Widget:
        """Step 4: the reflection, the agenda for supervision, other notes."""
        return widgets.VBox(
            [self.reflection, self.bring, self.bring_warning, self.notes, self.notes_warning]
        )

    def validate_alliance(self) -> list[str]:
        return self.client_form.validate() + self.therapist_form.validate()

    # --- state -------------------------------------------------------------------------------
    def new_ids(self) -> None:
        self.response_ids = {who: new_id("ir") for who in _WHO}

    def clear(self) -> None:
        """Empty every part for a new session (new response ids)."""
        self.new_ids()
        self.extra_responses = []
        for form in self.forms.values():
            form.clear()
        self.ruptures.ruptures = []
        self.reflection.clear()
        self.bring.value = ""
        self.notes.value = ""

    def apply(self, session: SessionEntry) -> None:
        """Show a saved session (already checked by ``check_session_review``)."""
        split = split_responses(
            session, self.client_form.instrument.id, self.therapist_form.instrument.id
        )
        self.extra_responses = split.other
        for who, response in (
            (Respondent.client, split.client),
            (Respondent.therapist, split.therapist),
        ):
            form = self.forms[who]
            if response is None:
                form.clear()
                self.response_ids[who] = new_id("ir")
            else:
                form.answers = response.answers
                self.response_ids[who] = response.id
        self.ruptures.ruptures = session.ruptures
        if session.reflection is not None:
            self.reflection.reflection = session.reflection
        else:
            self.reflection.clear()
        self.bring.value = session.bring_to_supervision
        self.notes.value = session.notes

    def entry(self, session_id: str, number: int, day: date) -> SessionEntry:
        """The session as a record (the model validates every value again)."""
        responses = [
            form.response(self.response_ids[who], who)
            for who, form in self.forms.items()
            if form.answered
        ]
        reflection = None if self.reflection.is_empty() else self.reflection.reflection
        return SessionEntry(
            id=session_id,
            number=number,
            date=day,
            responses=[*responses, *self.extra_responses],
            ruptures=self.ruptures.ruptures,
            reflection=reflection,
            bring_to_supervision=self.bring.value,
            notes=self.notes.value,
        )

    @property
    def disabled(self) -> bool:
        return self.bring.disabled

    @disabled.setter
    def disabled(self, value: bool) -> None:
        for part in (self.client_form, self.therapist_form, self.ruptures, self.reflection):
            part.disabled = bool(value)
        for area in (self.bring, self.notes):
            area.disabled = bool(value)

    def summary_rows(self, theme_strong_at: int) -> list[tuple[str, str]]:
        """Rows of the review step's summary: scores, ruptures, strong themes."""
        rows = [
            (f"{who}: {form.instrument.name}", form.score_text)
            for form, who in (
                (self.client_form, "Client"),
                (self.therapist_form, "Therapist (you)"),
            )
        ]
        ruptures = self.ruptures.ruptures
        rows.append(("Ruptures", f"{len(ruptures)} logged" if ruptures else "none logged"))
        instrument = self.reflection.instrument
        strong = [
            instrument.theme_label(theme)
            for theme, value in self.reflection.reflection.themes.items()
            if value >= theme_strong_at
        ]
        rows.append(("Strong themes", ", ".join(strong) if strong else "none"))
        return rows
