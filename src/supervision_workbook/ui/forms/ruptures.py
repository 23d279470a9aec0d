"""The rupture editor: log each strain in the alliance, what it looked like, and its repair.

Categories (types, markers, strategies, outcomes) come from the ``rupture-log`` instrument
file, so a program can reword them without touching code. Controls are native and keyboard
operable: radio groups for single choices (arrow keys), check boxes for markers and
strategies (Space), a text area for the description (with identifier warnings).

A rupture enters the record only when its type, salience and outcome are chosen: the
record (``model.Rupture``) requires them, and guessing a default would put words in the
trainee's mouth (an "unrepaired" default would even raise an alert). Until then the card
says so, :meth:`RuptureEditor.validate` names what is missing, and drafts leave the
unfinished rupture out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.model import Rupture
from supervision_workbook.ui.components.list_editor import ListEditor
from supervision_workbook.ui.forms.rupture_card import RuptureCard
from supervision_workbook.ui.render.html import escape

if TYPE_CHECKING:
    from supervision_workbook.instruments import RuptureLogInstrument
    from supervision_workbook.ui.components.text import IdentifierWarnings


class RuptureEditor(ListEditor[RuptureCard]):
    """Add, edit and remove the session's ruptures. Zero ruptures is a valid answer."""

    def __init__(
        self,
        instrument: RuptureLogInstrument,
        ruptures: Sequence[Rupture] = (),
        *,
        warnings: IdentifierWarnings | None = None,
    ) -> None:
        self.instrument = instrument
        self.intro = widgets.HTML(
            f"<p class='swb-intro'>{escape(instrument.note)}</p>" if instrument.note else ""
        )
        super().__init__(
            head=[self.intro],
            empty="<p class='swb-muted'>No ruptures logged for this session. "
            "If you noticed none, that is a complete answer.</p>",
            add_words=("Add a rupture", "Add another rupture"),
            add_tooltip="Log a strain in the alliance that you noticed in this session",
            add_class="swb-add-rupture",
            warnings=warnings,
        )
        self.add_class("swb-rupture-editor")
        self.ruptures = ruptures

    @property
    def cards(self) -> list[RuptureCard]:
        return self.rows

    @property
    def ruptures(self) -> list[Rupture]:
        """The complete ruptures, in order (unfinished ones are left out)."""
        return [r for r in (card.rupture() for card in self.rows) if r is not None]

    @ruptures.setter
    def ruptures(self, ruptures: Sequence[Rupture]) -> None:
        self.replace_all(ruptures)

    def validate(self) -> list[str]:
        problems = []
        for card in self.rows:
            missing = card.missing()
            if missing:
                problems.append(f"Rupture {card.number}: please choose {', '.join(missing)}.")
        return problems

    def _new_row(self, value: object, number: int) -> RuptureCard:
        rupture = value if isinstance(value, Rupture) else None
        return RuptureCard(self.instrument, number, rupture, warnings=self.warnings)

    def _text_of(self, row: RuptureCard) -> widgets.Widget:
        return row.description

    def _row_status(self, row: RuptureCard) -> None:
        missing = row.missing()
        if missing:
            row.status.show(
                "info",
                f"To keep this rupture, choose {', '.join(missing)}. "
                "Until then it is not saved in your draft.",
            )
        else:
            row.status.clear()
