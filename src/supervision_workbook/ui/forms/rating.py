"""A rating instrument as a questionnaire: its items, its scale anchors, its live score.

The form shows what the instrument file says and nothing more: item labels come from
``instrument.item_label(i)``, which is the text pack's wording, the instrument's own text,
or the neutral "Item 3 (Bond)" for a licensed instrument without a text pack. In that last
case a note says how to load wording that the user's own licence covers; the project never
ships licensed wording.

The score line is computed by :mod:`supervision_workbook.scoring` (the ui never computes a
score itself), so the number shown here is the number saved and charted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.model import InstrumentResponse, Respondent
from supervision_workbook.ui.components.scales import (
    LikertScale,
    ScaleWidget,
    VisualAnalogueScale,
    scale_points,
)
from supervision_workbook.ui.components.text import Notice, escape

if TYPE_CHECKING:
    from supervision_workbook.instruments import RatingInstrument


def licence_note(instrument: RatingInstrument) -> str:
    """Why items read "Item 3 (Bond)", and how to show the licensed wording; "" if moot."""
    if not instrument.licensed:
        return ""
    missing = [
        i
        for i, item in enumerate(instrument.items)
        if instrument.item_label(i) == instrument.item_ref(i)
    ]
    if not missing:
        return ""
    return (
        f"{instrument.name} is a licensed instrument, so its item wording is not included "
        f"and items show neutral labels such as \u201c{instrument.item_ref(missing[0])}\u201d. "
        f"To show the wording, put a text pack taken from a source your licence covers in "
        f"the workspace folder textpacks/ (for example textpacks/{instrument.id}.json with "
        f'{{"instrument": "{instrument.id}", "items": {{"1": "..."}}}}) and reload the page.'
    )


def make_scale(instrument: RatingInstrument, label: str) -> ScaleWidget:
    """The answer widget for ``instrument``: Likert rows or visual-analogue lines."""
    scale = instrument.scale
    items = [(instrument.item_label(i), "") for i in range(len(instrument.items))]
    if scale.type == "vas":
        return VisualAnalogueScale(
            label=label,
            items=items,
            min=scale.min,
            max=scale.max,
            step=scale.step,
            low_anchor=instrument.anchor_label(scale.min) or f"{scale.min:g}",
            high_anchor=instrument.anchor_label(scale.max) or f"{scale.max:g}",
        )
    points = [
        (value, instrument.anchor_label(value) or "")
        for value in scale_points(scale.min, scale.max, scale.step)
    ]
    return LikertScale(label=label, items=items, points=points)


class RatingForm(widgets.VBox):
    """One rating instrument: heading, licence note, answer rows, live score and problems.

    ``answers`` (a list with ``None`` for unanswered items) can be read and set. Callbacks
    given to :meth:`on_change` run after every accepted change. :meth:`validate` returns
    the problems that block moving on (unanswered items); :meth:`response` builds the
    model's :class:`InstrumentResponse`.
    """

    def __init__(
        self,
        instrument: RatingInstrument,
        answers: Sequence[float | None] | None = None,
        *,
        heading: str | None = None,
        require_complete: bool = True,
        show_score: bool = True,
    ) -> None:
        self.instrument = instrument
        self.require_complete = require_complete
        self.show_score = show_score
        self._callbacks: list[Callable[[], None]] = []
        title = heading or instrument.name
        self.scale = make_scale(instrument, title)
        self.scale.add_class("swb-rating-scale")
        self.scale.add_class(f"swb-rating-{instrument.id}")
        header = widgets.HTML(
            f'<h3 class="swb-form-title">{escape(title)}</h3>'
            + (
                f'<p class="swb-form-subtitle">{escape(instrument.name)}</p>'
                if heading and heading != instrument.name
                else ""
            )
        )
        note = licence_note(instrument)
        parts: list[widgets.Widget] = [header]
        if note:
            parts.append(
                widgets.HTML(
                    f'<p class="swb-licence-note" role="note">{escape(note)}</p>'
                ).add_class("swb-licence-note-host")
            )
        self.score_line = widgets.HTML().add_class("swb-score-line")
        self.score_text = ""
        self.problems = Notice(testid="swb-rating-problems")
        parts += [self.scale, self.score_line, self.problems]
        super().__init__(parts, layout=widgets.Layout(width="100%"))
        self.add_class("swb-rating-form")
        self.scale.observe(self._on_values, names="values")
        self.scale.observe(self._on_rejected, names="rejected")
        if answers is not None:
            self.answers = list(answers)
        self._update_score()

    # --- data ----------------------------------------------------------------------------
    @property
    def answers(self) -> list[float | None]:
        return list(self.scale.values)

    @answers.setter
    def answers(self, values: Sequence[float | None]) -> None:
        values = list(values)
        if len(values) != len(self.instrument.items):
            raise ValueError(
                f"{self.instrument.id} has {len(self.instrument.items)} items, "
                f"got {len(values)} answers"
            )
        self.scale.values = values
        if self.scale.rejected:
            raise ValueError(self.scale.rejected)

    def clear(self) -> None:
        self.scale.values = [None] * len(self.instrument.items)
        self.scale.invalid = []
        self.problems.clear()

    @property
    def answered(self) -> int:
        return sum(v is not None for v in self.scale.values)

    def response(self, response_id: str, respondent: Respondent | str) -> InstrumentResponse:
        return InstrumentResponse(
            id=response_id,
            instrument_id=self.instrument.id,
            respondent=Respondent(respondent),
            answers=self.answers,
        )

    @property
    def disabled(self) -> bool:
        return self.scale.disabled

    @disabled.setter
    def disabled(self, value: bool) -> None:
        self.scale.disabled = bool(value)

    # --- checks and events ---------------------------------------------------------------
    def validate(self) -> list[str]:
        """Problems that block moving on; marks the unanswered items on the page."""
        missing = [i for i, v in enumerate(self.scale.values) if v is None]
        if not self.require_complete or not missing:
            self.scale.invalid = []
            return []
        self.scale.invalid = missing
        numbers = ", ".join(str(i + 1) for i in missing)
        noun = "item" if len(missing) == 1 else "items"
        return [f"{self.scale.label}: please answer {noun} {numbers}."]

    def on_change(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def _on_values(self, change: dict[str, object]) -> None:
        if self.scale.invalid:
            self.scale.invalid = [i for i in self.scale.invalid if self.scale.values[i] is None]
        if not self.scale.rejected:
            self.problems.clear()
        self._update_score()
        for callback in list(self._callbacks):
            callback()

    def _on_rejected(self, change: dict[str, object]) -> None:
        if self.scale.rejected:
            self.problems.show("error", f"That answer was not accepted: {self.scale.rejected}")

    def _update_score(self) -> None:
        from supervision_workbook import formatting
        from supervision_workbook.scoring import ScoringError, primary, score

        n = len(self.instrument.items)
        answered = self.answered
        text = f"Answered {answered} of {n}."
        if self.show_score and answered:
            try:
                result = score(self.instrument, self.answers)
                value = primary(self.instrument, result.total)
            except ScoringError as exc:
                self.problems.show("error", str(exc))
            else:
                what = "Mean item score" if self.instrument.primary == "mean" else "Total"
                partial = "" if result.complete else " so far (answered items only)"
                text += f" {what}{partial}: {formatting.number(value)}."
                cutoff = self.instrument.cutoff
                if result.complete and cutoff is not None:
                    text += f" Cut-off: {formatting.number(cutoff.value)}."
        self.score_text = text
        self.score_line.value = f'<p class="swb-score" role="status">{escape(text)}</p>'
