"""The countertransference reflection: eight themes with an intensity, guided prompts, free text.

Themes and prompts come from the ``reflection`` instrument file (the eight factors of the
Therapist Response Questionnaire, described in the project's own words). The intensities
are asked as Likert rows with the same accessible widget as the rating instruments, so the
keyboard works the same way everywhere; they are *not* scores, and nothing here sums them.

A theme left unrated is simply absent from ``Reflection.themes``: the record distinguishes
"not considered" from "not at all" (0).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.model import Reflection, new_id
from supervision_workbook.ui.components.scales import LikertScale, scale_points
from supervision_workbook.ui.components.text import IdentifierWarnings, Notice, escape, text_area

if TYPE_CHECKING:
    from supervision_workbook.instruments import ReflectionInstrument


def _short(text: str, limit: int = 48) -> str:
    """A prompt's opening words, to name its field in a list of warnings."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


class ReflectionEditor(widgets.VBox):
    """Theme intensities, one text area per guided prompt, and a free-text area."""

    def __init__(
        self,
        instrument: ReflectionInstrument,
        reflection: Reflection | None = None,
        *,
        warnings: IdentifierWarnings | None = None,
    ) -> None:
        self.instrument = instrument
        self.reflection_id = reflection.id if reflection else new_id("rf")
        self._callbacks: list[Callable[[], None]] = []
        scale = instrument.intensity
        self.themes = LikertScale(
            label="How strongly was each theme present in you?",
            items=[(t.label, t.description) for t in instrument.themes],
            points=[
                (v, scale.anchor(v) or "") for v in scale_points(scale.min, scale.max, scale.step)
            ],
        ).add_class("swb-theme-scale")
        self.problems = Notice(testid="swb-reflection-problems")
        self.prompts: dict[str, widgets.Textarea] = {}
        prompt_parts: list[widgets.Widget] = []
        for prompt in instrument.prompts:
            area = text_area(prompt.text, rows=3, testid=f"swb-prompt-{prompt.id}")
            area.add_class("swb-prompt")
            self.prompts[prompt.id] = area
            prompt_parts.append(area)
            if warnings is not None:
                prompt_parts.append(warnings.watch(area, f"Reflection: {_short(prompt.text)}"))
        self.free_text = text_area(
            "Anything else you noticed in yourself (optional)",
            rows=4,
            testid="swb-reflection-free-text",
        )
        free_parts: list[widgets.Widget] = [self.free_text]
        if warnings is not None:
            free_parts.append(warnings.watch(self.free_text, "Reflection: free text"))
        intro = f"<p class='swb-intro'>{escape(instrument.note)}</p>" if instrument.note else ""
        super().__init__(
            [
                widgets.HTML(f"<h3 class='swb-form-title'>{escape(instrument.name)}</h3>{intro}"),
                self.themes,
                self.problems,
                widgets.HTML("<h4 class='swb-group-title'>Guided prompts</h4>"),
                *prompt_parts,
                *free_parts,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.add_class("swb-reflection-editor")
        self.themes.observe(self._on_themes, names="values")
        self.themes.observe(self._on_rejected, names="rejected")
        for area in (*self.prompts.values(), self.free_text):
            area.observe(lambda _c: self._changed(), names="value")
        if reflection is not None:
            self.reflection = reflection

    # --- data ----------------------------------------------------------------------------
    @property
    def reflection(self) -> Reflection:
        themes = {
            theme.id: int(value)
            for theme, value in zip(self.instrument.themes, self.themes.values, strict=True)
            if value is not None
        }
        prompts = {pid: area.value for pid, area in self.prompts.items() if area.value}
        return Reflection(
            id=self.reflection_id,
            themes=themes,
            prompts=prompts,
            free_text=self.free_text.value,
        )

    @reflection.setter
    def reflection(self, reflection: Reflection) -> None:
        self.reflection_id = reflection.id
        self.themes.values = [reflection.themes.get(t.id) for t in self.instrument.themes]
        if self.themes.rejected:
            raise ValueError(self.themes.rejected)
        for pid, area in self.prompts.items():
            area.value = reflection.prompts.get(pid, "")
        self.free_text.value = reflection.free_text

    def clear(self) -> None:
        self.reflection = Reflection(id=new_id("rf"))

    def is_empty(self) -> bool:
        r = self.reflection
        return not (r.themes or r.prompts or r.free_text)

    def validate(self) -> list[str]:
        return []

    def on_change(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    @property
    def disabled(self) -> bool:
        return self.themes.disabled

    @disabled.setter
    def disabled(self, value: bool) -> None:
        self.themes.disabled = bool(value)
        for area in (*self.prompts.values(), self.free_text):
            area.disabled = bool(value)

    # --- events --------------------------------------------------------------------------
    def _on_themes(self, change: dict[str, object]) -> None:
        if not self.themes.rejected:
            self.problems.clear()
        self._changed()

    def _on_rejected(self, change: dict[str, object]) -> None:
        if self.themes.rejected:
            self.problems.show("error", f"That answer was not accepted: {self.themes.rejected}")

    def _changed(self) -> None:
        for callback in list(self._callbacks):
            callback()
