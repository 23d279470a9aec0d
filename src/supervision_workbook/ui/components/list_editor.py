"""A list that a person edits row by row: add, change, remove, renumber, lock.

The session workbook's ruptures and the case review's action items are both such a list.
Why one base: numbering after a removal, the "Add another ..." wording, the empty-list
hint, locking after submit or sign-off, identifier warnings that must stop watching a
removed field, and closing a removed row's widgets (a rupture card holds some ninety models)
are easy to get subtly different in two copies. A subclass says how to build a row
(:meth:`ListEditor._new_row`), what its free text is (:meth:`ListEditor._text_of`), and how
it is validated; everything else is here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

import ipywidgets as widgets

if TYPE_CHECKING:
    from supervision_workbook.ui.components.text import IdentifierWarnings


class EditorRow(Protocol):
    """What a row offers its list: a remove button, its number, its controls, a lock."""

    remove_button: widgets.Button

    def renumber(self, number: int) -> None: ...

    def controls(self) -> Sequence[widgets.Widget]: ...

    def set_disabled(self, value: bool) -> None: ...


RowT = TypeVar("RowT", bound=widgets.Box)


def close_tree(widget: widgets.Widget) -> None:
    """Close a widget, its children, and their layouts and styles.

    ``Widget.close`` closes one model only; a removed card would otherwise leave some
    ninety models alive in the kernel and in the page.
    """
    for child in getattr(widget, "children", ()):
        close_tree(child)
    for part in (getattr(widget, "layout", None), getattr(widget, "style", None)):
        if isinstance(part, widgets.Widget):
            part.close()
    widget.close()


class ListEditor(widgets.VBox, Generic[RowT]):
    """Rows in order, an empty-list hint and an "Add" button; zero rows is a valid answer.

    ``add_words`` is the button's wording for an empty list and for a list with rows
    ("Add a rupture", "Add another rupture").
    """

    def __init__(
        self,
        *,
        head: Sequence[widgets.Widget],
        empty: str,
        add_words: tuple[str, str],
        add_tooltip: str,
        add_class: str,
        warnings: IdentifierWarnings | None = None,
        add_layout: widgets.Layout | None = None,
    ) -> None:
        self.warnings = warnings
        self.rows: list[RowT] = []
        self._callbacks: list[Callable[[], None]] = []
        self._disabled = False
        self._add_words = add_words
        self.empty = widgets.HTML(empty)
        self.list = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.add_button = widgets.Button(
            description=add_words[0],
            icon="plus",
            tooltip=add_tooltip,
            **({"layout": add_layout} if add_layout is not None else {}),
        ).add_class(add_class)
        self.add_button.on_click(lambda _b: self.add())
        super().__init__(
            [*head, self.empty, self.list, self.add_button], layout=widgets.Layout(width="100%")
        )

    # --- what a subclass says ------------------------------------------------------------
    def _new_row(self, value: object, number: int) -> RowT:
        raise NotImplementedError

    def _text_of(self, row: RowT) -> widgets.Widget:
        """The row's free-text field, watched for identifiers."""
        raise NotImplementedError

    def _row_status(self, row: RowT) -> None:
        """Say on the row what it still lacks (nothing by default)."""

    # --- editing -------------------------------------------------------------------------
    def add(self, value: object = None) -> RowT:
        row = self._append(value)
        self._refresh()
        self._changed()
        return row

    def remove(self, row: RowT) -> None:
        self._drop(row)
        self._refresh()
        self._changed()

    def replace_all(self, values: Sequence[object]) -> None:
        for row in list(self.rows):
            self._drop(row)
        for value in values:
            self._append(value)
        self._refresh()

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
            row.set_disabled(self._disabled)

    # --- internals -----------------------------------------------------------------------
    def _append(self, value: object) -> RowT:
        row = self._new_row(value, len(self.rows) + 1)
        row.remove_button.on_click(lambda _b, row=row: self.remove(row))
        for control in row.controls():
            control.observe(lambda _c, row=row: self._row_changed(row), names="value")
        row.set_disabled(self._disabled)
        self.rows.append(row)
        self._row_status(row)
        return row

    def _drop(self, row: RowT) -> None:
        if self.warnings is not None:
            self.warnings.unwatch(self._text_of(row))
        self.rows.remove(row)
        self.list.children = tuple(self.rows)
        close_tree(row)

    def _refresh(self) -> None:
        for i, row in enumerate(self.rows, start=1):
            row.renumber(i)
        self.list.children = tuple(self.rows)
        self.empty.layout.display = "none" if self.rows else None
        self.add_button.description = self._add_words[1] if self.rows else self._add_words[0]

    def _row_changed(self, row: RowT) -> None:
        self._row_status(row)
        self._changed()

    def _changed(self) -> None:
        for callback in list(self._callbacks):
            callback()
