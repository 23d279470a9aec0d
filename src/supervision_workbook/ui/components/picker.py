"""Controls of the case review that the supervisee workbook does not have.

* :class:`CasePicker` - trainee and case, from what the workspace holds (a case review is
  only ever about a case with records, so nothing can be added here).
* :class:`ActionItemsEditor` - the action items agreed for the next sessions: add, edit,
  remove; each is a labelled text field with its own remove button.
* :class:`SignOffForm` - who signs, how many minutes of supervision, in which format.

Every control is a native ipywidgets control with a visible label, so the page is keyboard
operable (Tab, arrow keys in radio groups and selects, Space / Enter on buttons). Values
from the page are checked before use: a dropdown only ever holds one of its options, the
minutes are bounded, and the sign-off is built through the model, which validates again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import ipywidgets as widgets

from supervision_workbook.model import ActionItem, SignOff, new_id
from supervision_workbook.ui.casework import Directory
from supervision_workbook.ui.components.text import IdentifierWarnings, Notice, stacked


class CasePicker(widgets.VBox):
    """Trainee and case dropdowns. ``on_case(trainee_id, case_id)`` runs on every choice."""

    def __init__(
        self, directory: Directory, on_case: Callable[[str | None, str | None], None]
    ) -> None:
        self.directory = directory
        self._on_case = on_case
        self._quiet = 0
        self.trainee = stacked(
            widgets.Dropdown(options=directory.trainee_options(), value=None, description="Trainee")
        ).add_class("swb-cr-trainee")
        self.case = stacked(widgets.Dropdown(options=[], value=None, description="Case")).add_class(
            "swb-cr-case"
        )
        self.trainee.observe(self._trainee_changed, names="value")
        self.case.observe(self._case_changed, names="value")
        super().__init__(
            [widgets.HBox([self.trainee, self.case]).add_class("swb-row")],
            layout=widgets.Layout(width="100%"),
        )
        self.add_class("swb-cr-picker")

    def select(self, trainee_id: str | None, case_id: str | None, *, notify: bool = True) -> bool:
        """Choose a known trainee and case (from a link); returns whether both were known."""
        known_trainee = trainee_id in self.directory.trainees
        self._quiet += 1
        try:
            self.trainee.value = trainee_id if known_trainee else None
            self.case.options = self.directory.case_options(self.trainee.value)
            cases = self.directory.cases.get(self.trainee.value or "", {})
            self.case.value = case_id if case_id in cases else None
        finally:
            self._quiet -= 1
        if notify:
            self._on_case(self.trainee.value, self.case.value)
        return known_trainee and (case_id is None or self.case.value == case_id)

    def refresh(self, directory: Directory) -> None:
        """New trainees and cases arrived (collected, uploaded): offer them, keep the choice.

        Nothing is announced: the case that is open stays open.
        """
        self.directory = directory
        trainee, case = self.trainee.value, self.case.value
        self._quiet += 1
        try:
            self.trainee.options = directory.trainee_options()
            self.trainee.value = trainee if trainee in directory.trainees else None
            self.case.options = directory.case_options(self.trainee.value)
            cases = directory.cases.get(self.trainee.value or "", {})
            self.case.value = case if case in cases else None
        finally:
            self._quiet -= 1

    def _trainee_changed(self, change: dict[str, object]) -> None:
        if self._quiet:
            return
        self._quiet += 1
        try:
            self.case.options = self.directory.case_options(self.trainee.value)
            self.case.value = None
        finally:
            self._quiet -= 1
        self._on_case(self.trainee.value, None)

    def _case_changed(self, change: dict[str, object]) -> None:
        if not self._quiet:
            self._on_case(self.trainee.value, self.case.value)

    def validate(self) -> list[str]:
        problems = []
        if self.trainee.value is None:
            problems.append("Choose the trainee.")
        if self.case.value is None:
            problems.append("Choose the case to review.")
        return problems


class _ActionRow(widgets.VBox):
    def __init__(self, item: ActionItem, number: int) -> None:
        self.item_id = item.id
        self.done = item.done
        self.text = stacked(
            widgets.Text(
                value=item.text,
                description=f"Action item {number}",
                placeholder="e.g. Invite feedback on the alliance at the end of each session",
                continuous_update=True,
                layout=widgets.Layout(width="100%"),
            )
        ).add_class("swb-cr-action-text")
        self.remove_button = widgets.Button(
            description=f"Remove action item {number}",
            icon="trash",
            tooltip="Remove this action item",
        ).add_class("swb-cr-remove-action")
        self.warning = Notice()
        super().__init__(
            [widgets.HBox([self.text, self.remove_button]).add_class("swb-cr-action-row")],
            layout=widgets.Layout(width="100%"),
        )
        self.add_class("swb-cr-action")

    def renumber(self, number: int) -> None:
        self.text.description = f"Action item {number}"
        self.remove_button.description = f"Remove action item {number}"

    def item(self) -> ActionItem:
        return ActionItem(id=self.item_id, text=self.text.value, done=self.done)


class ActionItemsEditor(widgets.VBox):
    """Action items for the next sessions. Zero items is allowed; an empty one is not."""

    def __init__(self, *, warnings: IdentifierWarnings | None = None) -> None:
        self.warnings = warnings
        self.rows: list[_ActionRow] = []
        self._callbacks: list[Callable[[], None]] = []
        self._disabled = False
        self.empty = widgets.HTML(
            "<p class='swb-muted'>No action items yet. Add one for each concrete thing the "
            "trainee will do before the next review.</p>"
        )
        self.list = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.add_button = widgets.Button(
            description="Add an action item",
            icon="plus",
            tooltip="Add an action item for the next sessions",
            layout=widgets.Layout(align_self="flex-start"),
        ).add_class("swb-cr-add-action")
        self.add_button.on_click(lambda _b: self.add())
        super().__init__(
            [
                widgets.HTML("<h3 class='swb-form-title'>Action items</h3>"),
                self.empty,
                self.list,
                self.add_button,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.add_class("swb-cr-actions")

    @property
    def items(self) -> list[ActionItem]:
        return [row.item() for row in self.rows]

    @items.setter
    def items(self, items: Sequence[ActionItem]) -> None:
        for row in list(self.rows):
            self._drop(row)
        for item in items:
            self._append(item)
        self._refresh()

    def add(self, text: str = "") -> _ActionRow:
        row = self._append(ActionItem(id=new_id("ai"), text=text))
        self._refresh()
        self._changed()
        return row

    def remove(self, row: _ActionRow) -> None:
        self._drop(row)
        self._refresh()
        self._changed()

    def validate(self) -> list[str]:
        return [
            f"Action item {i} is empty: type it, or remove it."
            for i, row in enumerate(self.rows, start=1)
            if not row.text.value.strip()
        ]

    def on_change(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    @property
    def disabled(self) -> bool:
        return self._disabled

    @disabled.setter
    def disabled(self, value: bool) -> None:
        self._disabled = bool(value)
        self.add_button.disabled = self._disabled
        for row in self.rows:
            row.text.disabled = row.remove_button.disabled = self._disabled

    def _append(self, item: ActionItem) -> _ActionRow:
        row = _ActionRow(item, len(self.rows) + 1)
        row.remove_button.on_click(lambda _b, row=row: self.remove(row))
        row.text.observe(lambda _c: self._changed(), names="value")
        if self.warnings is not None:
            row.warning = self.warnings.watch(row.text, f"Action item {len(self.rows) + 1}")
            row.children = (*row.children, row.warning)
        row.text.disabled = row.remove_button.disabled = self._disabled
        self.rows.append(row)
        return row

    def _drop(self, row: _ActionRow) -> None:
        if self.warnings is not None:
            self.warnings.unwatch(row.text)
        self.rows.remove(row)

    def _refresh(self) -> None:
        for i, row in enumerate(self.rows, start=1):
            row.renumber(i)
        self.list.children = tuple(self.rows)
        self.empty.layout.display = "none" if self.rows else None
        self.add_button.description = (
            "Add another action item" if self.rows else "Add an action item"
        )

    def _changed(self) -> None:
        for callback in list(self._callbacks):
            callback()


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
                value=0, min=0, max=24 * 60, description="Supervision minutes for this case"
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
        elif len(name) > 120:
            problems.append("The supervisor's name must be at most 120 characters.")
        minutes = self.minutes.value
        if not isinstance(minutes, int) or not 1 <= minutes <= 24 * 60:
            problems.append(
                "Type the minutes of supervision spent on this case (1 to 1440); they count "
                "towards the trainee's supervision hours."
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
