"""The sign-off form of the case review: who signs, how many minutes, in which format.

Every control is a native ipywidgets control with a visible label. Values from the page are
checked before use: a dropdown only ever holds one of its options, the minutes are bounded
by the model's limits, and the sign-off is built through the model, which validates again.
"""

from __future__ import annotations

from datetime import datetime

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


class SignOffForm(widgets.VBox):
    """Supervisor, minutes and format. Nothing is preset except the recorded supervisor's
    name: minutes count towards licensure hours, so they are typed, never assumed."""

    def __init__(self) -> None:
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
                options=[
                    ("Individual supervision", "individual"),
                    ("Group supervision", "group"),
                ],
                value=None,
                description="Format of this supervision",
            )
        ).add_class("swb-cr-format")
        super().__init__(
            [
                widgets.HTML("<h3 class='swb-form-title'>Sign-off</h3>"),
                self.supervisor,
                widgets.HBox([self.minutes, self.format]).add_class("swb-row"),
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
        if self.format.value not in ("individual", "group"):
            problems.append("Choose whether this was individual or group supervision.")
        return problems

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
        )

    @property
    def disabled(self) -> bool:
        return self.supervisor.disabled

    @disabled.setter
    def disabled(self, value: bool) -> None:
        for control in (self.supervisor, self.minutes, self.format):
            control.disabled = bool(value)
