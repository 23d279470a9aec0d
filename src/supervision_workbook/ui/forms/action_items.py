"""The action items agreed in a case review for the next sessions: add, edit, remove.

Each item is a labelled text field with its own remove button; zero items is allowed, an
empty one is not. The list mechanics are shared with the rupture editor
(:class:`~supervision_workbook.ui.components.list_editor.ListEditor`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.model import ActionItem, new_id
from supervision_workbook.ui.components.list_editor import ListEditor
from supervision_workbook.ui.components.text import Notice, stacked

if TYPE_CHECKING:
    from supervision_workbook.ui.components.text import IdentifierWarnings


class ActionRow(widgets.VBox):
    """One action item: its text and its remove button."""

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

    def controls(self) -> list[widgets.Widget]:
        return [self.text]

    def set_disabled(self, value: bool) -> None:
        self.text.disabled = self.remove_button.disabled = value

    def item(self) -> ActionItem:
        return ActionItem(id=self.item_id, text=self.text.value, done=self.done)


class ActionItemsEditor(ListEditor[ActionRow]):
    """Action items for the next sessions. Zero items is allowed; an empty one is not."""

    def __init__(self, *, warnings: IdentifierWarnings | None = None) -> None:
        super().__init__(
            head=[widgets.HTML("<h3 class='swb-form-title'>Action items</h3>")],
            empty="<p class='swb-muted'>No action items yet. Add one for each concrete thing "
            "the trainee will do before the next review.</p>",
            add_words=("Add an action item", "Add another action item"),
            add_tooltip="Add an action item for the next sessions",
            add_class="swb-cr-add-action",
            warnings=warnings,
            add_layout=widgets.Layout(align_self="flex-start"),
        )
        self.add_class("swb-cr-actions")

    @property
    def items(self) -> list[ActionItem]:
        return [row.item() for row in self.rows]

    @items.setter
    def items(self, items: Sequence[ActionItem]) -> None:
        self.replace_all(items)

    def add(self, value: object = "") -> ActionRow:
        """A new item with ``value`` as its text (empty unless given)."""
        text = value if isinstance(value, str) else ""
        return super().add(ActionItem(id=new_id("ai"), text=text))

    def validate(self) -> list[str]:
        return [
            f"Action item {i} is empty: type it, or remove it."
            for i, row in enumerate(self.rows, start=1)
            if not row.text.value.strip()
        ]

    def _new_row(self, value: object, number: int) -> ActionRow:
        item = value if isinstance(value, ActionItem) else ActionItem(id=new_id("ai"), text="")
        row = ActionRow(item, number)
        if self.warnings is not None:
            row.warning = self.warnings.watch(row.text, f"Action item {number}")
            row.children = (*row.children, row.warning)
        return row

    def _text_of(self, row: ActionRow) -> widgets.Widget:
        return row.text
