"""The sign-off form of the case review: who signs, when the meeting was, how many minutes,
in which format (individual, triadic, group, live observation, review of a recording) and
modality (in person or by video), as the model's ``SignOff`` records them. The hours rules
count minutes on the meeting's day and by format and modality, so each is asked for here.

Every control is a native ipywidgets control with a visible label. Values from the page are
checked before use: a dropdown only ever holds one of its options, the minutes are bounded
by the model's limits, and the sign-off is built through the model, which validates again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import ipywidgets as widgets

from supervision_workbook.model import (
    NAME_MAX_LENGTH,
    SIGNOFF_MINUTES_MAX,
    SIGNOFF_MINUTES_MIN,
    SignOff,
    new_id,
)
from supervision_workbook.ui.components.text import stacked

TYPED_MINUTES_MIN = 1
"""The form asks for at least one minute although the model accepts 0 (a record from
elsewhere may carry 0): the field starts at 0, so 0 here means "not typed yet", and a
signed-off review is what counts supervision hours."""

FORMATS: tuple[tuple[str, str], ...] = (
    ("Individual supervision", "individual"),
    ("Triadic (one supervisor, two supervisees)", "triadic"),
    ("Group supervision", "group"),
    ("Live observation", "live_observation"),
    ("Review of a recording", "recording_review"),
)
"""Labels for ``model.SupervisionFormat``, in the model's order."""

MODALITIES: tuple[tuple[str, str], ...] = (("In person", "in_person"), ("By video", "video"))
"""Labels for ``model.Modality``."""


class SignOffForm(widgets.VBox):
    """Supervisor, meeting date, minutes, format and modality. The meeting date starts at
    today and the modality at in person (what most meetings are); minutes and format count
    towards licensure hours, so they are chosen, never assumed."""

    def __init__(self, today: Callable[[], date] = date.today) -> None:
        self._today = today
        self.meeting_date = stacked(
            widgets.DatePicker(value=today(), description="Date of the supervision meeting")
        ).add_class("swb-cr-meeting-date")
        self.supervisor = stacked(
            widgets.Text(
                description="Supervisor's name, as it should appear on the record",
                placeholder="e.g. Dr. Demo Supervisor",
            )
        ).add_class("swb-cr-supervisor-name")
        self.minutes = stacked(
            widgets.BoundedIntText(
                value=0,
                min=SIGNOFF_MINUTES_MIN,
                max=SIGNOFF_MINUTES_MAX,
                description="Supervision minutes for this case",
            )
        ).add_class("swb-cr-minutes")
        self.format = stacked(
            widgets.RadioButtons(
                options=list(FORMATS), value=None, description="Format of this supervision"
            )
        ).add_class("swb-cr-format")
        self.modality = stacked(
            widgets.RadioButtons(
                options=list(MODALITIES), value="in_person", description="The meeting was held"
            )
        ).add_class("swb-cr-modality")
        super().__init__(
            [
                widgets.HTML("<h3 class='swb-form-title'>Sign-off</h3>"),
                self.supervisor,
                widgets.HBox([self.meeting_date, self.minutes]).add_class("swb-row"),
                widgets.HBox([self.format, self.modality]).add_class("swb-row"),
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.add_class("swb-cr-signoff-form")

    def validate(self) -> list[str]:
        problems = []
        name = " ".join(self.supervisor.value.split())
        if not name:
            problems.append("Type the supervisor's name for the record.")
        elif len(name) > NAME_MAX_LENGTH:
            problems.append(f"The supervisor's name must be at most {NAME_MAX_LENGTH} characters.")
        minutes = self.minutes.value
        if not isinstance(minutes, int) or not TYPED_MINUTES_MIN <= minutes <= SIGNOFF_MINUTES_MAX:
            problems.append(
                "Type the minutes of supervision spent on this case "
                f"({TYPED_MINUTES_MIN} to {SIGNOFF_MINUTES_MAX}); they count towards the "
                "trainee's supervision hours."
            )
        if self.format.value not in {value for _label, value in FORMATS}:
            problems.append(
                "Choose the format of this supervision (individual, triadic, group, live "
                "observation or review of a recording)."
            )
        if self.modality.value not in {value for _label, value in MODALITIES}:
            problems.append("Choose whether the meeting was in person or by video.")
        met = self.meeting_date.value
        if not isinstance(met, date):
            problems.append("Choose the date of the supervision meeting.")
        elif met > self._today():
            problems.append(
                f"The meeting date {met.isoformat()} is in the future: a sign-off comes after "
                "the meeting."
            )
        return problems

    def reset(self) -> None:
        """Empty for a new meeting: today's date, in person, nothing else chosen."""
        self.supervisor.value = ""
        self.meeting_date.value = self._today()
        self.minutes.value = 0
        self.format.value = None
        self.modality.value = "in_person"

    def signoff(self, signed_at: datetime) -> SignOff:
        """The sign-off record (raises ``ValueError`` in words while the form is invalid)."""
        problems = self.validate()
        if problems:
            raise ValueError(" ".join(problems))
        return SignOff(
            id=new_id("so"),
            supervisor=" ".join(self.supervisor.value.split()),
            signed_at=signed_at,
            minutes=int(self.minutes.value),
            format=self.format.value,
            meeting_date=self.meeting_date.value,
            modality=self.modality.value,
        )

    @property
    def disabled(self) -> bool:
        return self.supervisor.disabled

    @disabled.setter
    def disabled(self, value: bool) -> None:
        for control in (
            self.supervisor,
            self.meeting_date,
            self.minutes,
            self.format,
            self.modality,
        ):
            control.disabled = bool(value)
