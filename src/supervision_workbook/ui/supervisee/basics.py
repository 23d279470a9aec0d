"""Step 1 of the session workbook: who, which case, which session, when.

The trainee and the case are chosen from what the workspace knows (records and drafts), or
added here: a new trainee by name, a new case by its code (``C-014``: a code, never a
client's name; the model's pattern refuses spaces and sentences). The owner of the form
(:class:`~supervision_workbook.ui.supervisee.workbook.SuperviseeWorkbook`) is told when the chosen
case changes, so that it can save the old case's draft and open the new one.

Every value that arrives from the page is checked here before it is used: ids and codes by
pattern, the session number by range and against the numbers already recorded, the date
against the calendar (no sessions in the future).

The names to look out for are the names the trainee wants the identifier check to find in
this case's free text. They are stored in the workspace's private folder through
``Workspace.set_declared_names`` and are never written into a workbook.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import ipywidgets as widgets

from supervision_workbook.model import (
    CASE_CODE_PATTERN,
    ID_PATTERN,
    NAME_MAX_LENGTH,
    SESSION_NUMBER_MAX,
    SESSION_NUMBER_MIN,
    Case,
    Trainee,
    new_id,
)
from supervision_workbook.ui.casework import Directory
from supervision_workbook.ui.components.text import Notice, stacked

_CODE = re.compile(CASE_CODE_PATTERN)
_ID = re.compile(ID_PATTERN)


class SessionBasics(widgets.VBox):
    """Trainee, case, session number, date, and the case's declared names."""

    def __init__(
        self,
        directory: Directory,
        *,
        on_case: Callable[[str | None, str | None], None],
        on_change: Callable[[], None],
        on_names: Callable[[list[str]], str],
        today: Callable[[], date] = date.today,
    ) -> None:
        self.directory = directory
        self._on_case = on_case
        self._on_change = on_change
        self._on_names = on_names
        self._today = today
        self._quiet = 0
        self.taken_numbers: set[int] = set()
        #: Trainees and cases added in this page and not yet saved anywhere.
        self.new_trainees: dict[str, Trainee] = {}
        self.new_cases: dict[str, Case] = {}
        self.trainee = stacked(
            widgets.Dropdown(options=directory.trainee_options(), value=None, description="Trainee")
        ).add_class("swb-trainee")
        self.new_trainee = stacked(
            widgets.Text(description="New trainee: your name", placeholder="e.g. Avery Demo")
        ).add_class("swb-new-trainee-name")
        self.add_trainee_button = widgets.Button(
            description="Add trainee", icon="user-plus", tooltip="Add yourself as a trainee"
        ).add_class("swb-add-trainee")
        self.case = stacked(widgets.Dropdown(options=[], value=None, description="Case")).add_class(
            "swb-case"
        )
        self.new_case = stacked(
            widgets.Text(
                description="New case: its code (never a name)",
                placeholder="e.g. C-014",
            )
        ).add_class("swb-new-case-code")
        self.add_case_button = widgets.Button(
            description="Add case", icon="folder-plus", tooltip="Add a new case by its code"
        ).add_class("swb-add-case")
        self.number = stacked(
            widgets.BoundedIntText(
                value=1,
                min=SESSION_NUMBER_MIN,
                max=SESSION_NUMBER_MAX,
                description="Session number",
            )
        ).add_class("swb-session-number")
        self.date = stacked(
            widgets.DatePicker(value=today(), description="Session date")
        ).add_class("swb-session-date")
        self.names = stacked(
            widgets.Text(
                description="Names to look out for in your notes (comma-separated)",
                placeholder="e.g. the client's first name, a partner's name",
                continuous_update=False,
                layout=widgets.Layout(width="100%"),
            )
        ).add_class("swb-declared-names")
        self.names_help = widgets.HTML(
            "<p class='swb-help'>The identifier check looks for these names in what you "
            "write. They are kept in the workspace's private folder and are never saved "
            "in the workbook.</p>"
        )
        self.message = Notice(testid="swb-basics-message")
        self.history = widgets.HTML().add_class("swb-case-history")
        self.add_trainee_button.on_click(lambda _b: self.add_trainee())
        self.add_case_button.on_click(lambda _b: self.add_case())
        self.trainee.observe(self._trainee_changed, names="value")
        self.case.observe(self._case_changed, names="value")
        self.number.observe(lambda _c: self._changed(), names="value")
        self.date.observe(lambda _c: self._changed(), names="value")
        self.names.observe(self._names_changed, names="value")
        super().__init__(
            [
                widgets.HBox([self.trainee]).add_class("swb-row"),
                widgets.HBox([self.new_trainee, self.add_trainee_button]).add_class("swb-row"),
                widgets.HBox([self.case]).add_class("swb-row"),
                widgets.HBox([self.new_case, self.add_case_button]).add_class("swb-row"),
                self.history,
                widgets.HBox([self.number, self.date]).add_class("swb-row"),
                self.names,
                self.names_help,
                self.message,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.add_class("swb-session-basics")

    # --- selection -----------------------------------------------------------------------
    @property
    def trainee_id(self) -> str | None:
        return self.trainee.value

    @property
    def case_id(self) -> str | None:
        return self.case.value

    def select(self, trainee_id: str | None, case_id: str | None, *, notify: bool = True) -> bool:
        """Choose a known trainee and case (from a link or a restored draft)."""
        if trainee_id is not None and trainee_id not in self.directory.trainees:
            return False
        self._quiet += 1
        try:
            self.trainee.value = trainee_id
            self._refresh_cases()
            known = case_id in self.directory.cases.get(trainee_id or "", {})
            self.case.value = case_id if known else None
        finally:
            self._quiet -= 1
        if notify:
            self._on_case(self.trainee.value, self.case.value)
        return case_id is None or self.case.value == case_id

    def add_trainee(self) -> str | None:
        name = " ".join(self.new_trainee.value.split())
        if not name:
            self.message.show("error", "Type your name first, then press Add trainee.")
            return None
        try:
            trainee = Trainee(id=new_id("tr"), name=name)
        except ValueError:
            self.message.show(
                "error", f"A trainee's name must be 1 to {NAME_MAX_LENGTH} characters."
            )
            return None
        self.directory.add(trainee.id, trainee.name, None, "")
        self.new_trainees[trainee.id] = trainee
        self._quiet += 1
        try:
            self.trainee.options = self.directory.trainee_options()
        finally:
            self._quiet -= 1
        self.new_trainee.value = ""
        self.trainee.value = trainee.id
        self.message.show("success", f"Added trainee {trainee.name}. Now choose or add a case.")
        return trainee.id

    def add_case(self) -> str | None:
        code = self.new_case.value.strip()
        if self.trainee.value is None:
            self.message.show("error", "Choose or add the trainee first.")
            return None
        if not _CODE.match(code):
            self.message.show(
                "error",
                "A case code is 1 to 32 letters, digits, dots, dashes or underscores, with "
                "no spaces (for example C-014). Never use a client's name.",
            )
            return None
        cases = self.directory.cases.get(self.trainee.value, {})
        if any(existing.casefold() == code.casefold() for existing in cases.values()):
            self.message.show("error", f"Case {code} already exists; choose it from the list.")
            return None
        case = Case(
            id=new_id("case"), code=code, trainee_id=self.trainee.value, opened=self._today()
        )
        self.directory.add(
            self.trainee.value, self.directory.trainees[self.trainee.value], case.id, code
        )
        self.new_cases[case.id] = case
        self._refresh_cases()
        self.new_case.value = ""
        self.case.value = case.id
        self.message.show("success", f"Added case {code}.")
        return case.id

    def _refresh_cases(self) -> None:
        self._quiet += 1
        try:
            self.case.options = self.directory.case_options(self.trainee.value)
            self.case.value = None
        finally:
            self._quiet -= 1

    def _trainee_changed(self, change: dict[str, object]) -> None:
        if self._quiet:
            return
        value = change["new"]
        if value is not None and (not isinstance(value, str) or not _ID.match(value)):
            self.trainee.value = None
            return
        self._refresh_cases()
        self._on_case(self.trainee.value, None)

    def _case_changed(self, change: dict[str, object]) -> None:
        if self._quiet:
            return
        self._on_case(self.trainee.value, self.case.value)

    # --- session values ------------------------------------------------------------------
    def set_session(self, number: int, day: date | None, *, notify: bool = False) -> None:
        self._quiet += 1
        try:
            self.number.value = max(SESSION_NUMBER_MIN, min(SESSION_NUMBER_MAX, int(number)))
            self.date.value = day
        finally:
            self._quiet -= 1
        if notify:
            self._changed()

    def set_names(self, names: list[str]) -> None:
        self._quiet += 1
        try:
            self.names.value = ", ".join(names)
        finally:
            self._quiet -= 1

    def _names_changed(self, change: dict[str, object]) -> None:
        if self._quiet:
            return
        names = [n.strip() for n in str(change["new"]).split(",") if n.strip()]
        if self.case.value is None:
            self.message.show("error", "Choose the case first; names are kept per case.")
            return
        try:
            result = self._on_names(names)
        except ValueError as exc:
            self.message.show("error", f"The names were not saved: {exc}")
            return
        self.message.show("success", result)

    def _changed(self) -> None:
        if not self._quiet:
            self._on_change()

    def validate(self) -> list[str]:
        problems = []
        if self.trainee.value is None:
            problems.append("Choose the trainee, or add yourself as a new trainee.")
        if self.case.value is None:
            problems.append("Choose the case, or add a new case by its code.")
        number = self.number.value
        if not isinstance(number, int) or not SESSION_NUMBER_MIN <= number <= SESSION_NUMBER_MAX:
            problems.append(
                "The session number must be a whole number from "
                f"{SESSION_NUMBER_MIN} to {SESSION_NUMBER_MAX}."
            )
        elif number in self.taken_numbers:
            problems.append(
                f"Session {number} is already recorded for this case; use the next free "
                f"number ({max(self.taken_numbers) + 1}) or check the number."
            )
        day = self.date.value
        if not isinstance(day, date):
            problems.append("Choose the date of the session.")
        elif day > self._today() + timedelta(days=1):
            problems.append("The session date is in the future; check the date.")
        return problems

    @property
    def disabled(self) -> bool:
        return self.number.disabled

    @disabled.setter
    def disabled(self, value: bool) -> None:
        for control in (self.number, self.date):
            control.disabled = bool(value)
