"""One rupture's card: type, markers, salience, what was tried, the outcome, a description.

The choices come from the ``rupture-log`` instrument file (salience points from its scale);
the card builds a ``model.Rupture`` only when type, salience and outcome are chosen, and
otherwise names what is missing (see :mod:`.ruptures` for why nothing is guessed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.model import Resolved, Rupture, RuptureType, new_id
from supervision_workbook.ui.components.scales import scale_points
from supervision_workbook.ui.components.text import (
    IdentifierWarnings,
    Notice,
    escape,
    stacked,
    text_area,
)

if TYPE_CHECKING:
    from supervision_workbook.instruments import Choice, RuptureLogInstrument

_MARKERS_FOR = {
    RuptureType.withdrawal.value: ("withdrawal",),
    RuptureType.confrontation.value: ("confrontation",),
    RuptureType.mixed.value: ("withdrawal", "confrontation"),
}


def _checkboxes(choices: Sequence[Choice], css: str) -> dict[str, widgets.Checkbox]:
    boxes = {}
    for choice in choices:
        box = widgets.Checkbox(
            value=False,
            description=choice.label,
            tooltip=choice.description,
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        box.add_class(css)
        box.add_class(f"swb-choice-{choice.id}")
        boxes[choice.id] = box
    return boxes


class RuptureCard(widgets.VBox):
    """One rupture's controls. Build a :class:`Rupture` with :meth:`rupture`."""

    def __init__(
        self,
        instrument: RuptureLogInstrument,
        number: int,
        rupture: Rupture | None = None,
        *,
        warnings: IdentifierWarnings | None = None,
    ) -> None:
        self.instrument = instrument
        self.rupture_id = rupture.id if rupture else new_id("ru")
        self.heading = widgets.HTML().add_class("swb-rupture-heading")
        self.type = stacked(
            widgets.RadioButtons(
                options=[(t.label, t.id.value) for t in instrument.rupture_types],
                value=None,
                description="Type of rupture",
            )
        ).add_class("swb-rupture-type")
        self.type_help = widgets.HTML(
            "<ul class='swb-help'>"
            + "".join(
                f"<li><strong>{escape(t.label)}</strong>: {escape(t.description)}</li>"
                for t in instrument.rupture_types
            )
            + "</ul>"
        )
        self.markers = {
            "withdrawal": _checkboxes(instrument.withdrawal_markers, "swb-marker"),
            "confrontation": _checkboxes(instrument.confrontation_markers, "swb-marker"),
        }
        self.marker_groups = {
            family: widgets.VBox(
                [widgets.HTML(f"<h5 class='swb-group-title'>{escape(title)}</h5>"), *boxes.values()]
            ).add_class(f"swb-markers-{family}")
            for family, boxes, title in (
                ("withdrawal", self.markers["withdrawal"], "Withdrawal markers"),
                ("confrontation", self.markers["confrontation"], "Confrontation markers"),
            )
        }
        salience_points = scale_points(
            instrument.salience.min, instrument.salience.max, instrument.salience.step
        )
        self.salience = stacked(
            widgets.RadioButtons(
                options=[
                    (f"{int(v)}: {instrument.salience.anchor(v) or ''}".rstrip(": "), int(v))
                    for v in salience_points
                ],
                value=None,
                description="How salient was it?",
            )
        ).add_class("swb-rupture-salience")
        self.strategies = _checkboxes(instrument.strategies, "swb-strategy")
        self.resolved = stacked(
            widgets.RadioButtons(
                options=[(o.label, o.id.value) for o in instrument.resolved_options],
                value=None,
                description="Was it repaired?",
            )
        ).add_class("swb-rupture-resolved")
        self.description = text_area(
            "What happened? (optional)",
            placeholder="Describe the moment in your own words. Avoid names and identifiers.",
            rows=3,
            testid="swb-rupture-description",
        )
        self.warning = (
            warnings.watch(self.description, f"Rupture {number} description")
            if warnings is not None
            else Notice()
        )
        self.remove_button = widgets.Button(
            description=f"Remove rupture {number}",
            icon="trash",
            tooltip="Remove this rupture from the session",
        ).add_class("swb-remove-rupture")
        self.status = Notice(testid="swb-rupture-status")
        strategies_box = widgets.VBox(
            [
                widgets.HTML("<h5 class='swb-group-title'>What did you try?</h5>"),
                *self.strategies.values(),
            ]
        ).add_class("swb-strategies")
        super().__init__(
            [
                self.heading,
                self.type,
                self.type_help,
                *self.marker_groups.values(),
                self.salience,
                strategies_box,
                self.resolved,
                self.description,
                self.warning,
                self.status,
                self.remove_button,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.add_class("swb-rupture-card")
        self.type.observe(self._on_type, names="value")
        if rupture is not None:
            self.load(rupture)
        self.renumber(number)
        self._on_type()

    def renumber(self, number: int) -> None:
        self.number = number
        self.heading.value = f"<h4 class='swb-rupture-title'>Rupture {number}</h4>"
        self.remove_button.description = f"Remove rupture {number}"

    def load(self, rupture: Rupture) -> None:
        self.rupture_id = rupture.id
        self.type.value = rupture.type.value
        for family in self.markers.values():
            for marker_id, box in family.items():
                box.value = marker_id in rupture.markers
        self.salience.value = rupture.salience if rupture.salience in self.salience_values else None
        for strategy_id, box in self.strategies.items():
            box.value = strategy_id in rupture.strategies
        self.resolved.value = rupture.resolved.value
        self.description.value = rupture.description

    @property
    def salience_values(self) -> list[int]:
        return [value for _label, value in self.salience.options]

    def _on_type(self, change: dict[str, object] | None = None) -> None:
        shown = _MARKERS_FOR.get(self.type.value or "", ())
        for family, group in self.marker_groups.items():
            group.layout.display = None if family in shown else "none"

    def controls(self) -> list[widgets.Widget]:
        """Every control whose value is part of the record (for change tracking)."""
        return [
            self.type,
            self.salience,
            self.resolved,
            self.description,
            *self.strategies.values(),
            *(box for family in self.markers.values() for box in family.values()),
        ]

    def missing(self) -> list[str]:
        out = []
        if self.type.value is None:
            out.append("its type")
        if self.salience.value is None:
            out.append("how salient it was")
        if self.resolved.value is None:
            out.append("whether it was repaired")
        return out

    def rupture(self) -> Rupture | None:
        """The record, or None while type, salience or outcome is still missing."""
        if self.missing():
            return None
        shown = _MARKERS_FOR[self.type.value]
        markers = [
            marker_id
            for family in shown
            for marker_id, box in self.markers[family].items()
            if box.value
        ]
        return Rupture(
            id=self.rupture_id,
            type=RuptureType(self.type.value),
            markers=markers,
            salience=int(self.salience.value),
            strategies=[sid for sid, box in self.strategies.items() if box.value],
            resolved=Resolved(self.resolved.value),
            description=self.description.value,
        )

    def set_disabled(self, value: bool) -> None:
        for control in self.controls():
            control.disabled = value
        self.remove_button.disabled = value
