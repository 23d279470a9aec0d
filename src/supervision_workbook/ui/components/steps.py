"""A step-by-step flow: ordered steps, a progress indicator, Back / Next, inline validation.

Why steps: a supervisee fills in a session workbook in a few quiet minutes, and a
supervisor walks through a case review live, often with the screen shared. One question
at a time, with "Step 2 of 5: Alliance" always visible, keeps both oriented.

Behaviour:

* Next validates the current step (``Step.validate`` returns messages in words); with
  messages, the flow stays and shows them under the step in a live region, so screen
  readers announce them. Back never validates: going back must always be possible.
* Shown problems never go stale: the owner calls :meth:`StepFlow.recheck` whenever
  anything on the page changes, and while problems are on screen the current step is
  validated again, so the list shrinks as each problem is fixed and disappears with the
  last one. (The flow cannot see every change by itself: steps hold anywidgets, lists
  that grow, and forms that report through their own callbacks.)
* :meth:`StepFlow.go` jumps to any step, validating every step in between when moving
  forward, and returns whether it got there.
* Only the current step's body is in the page. Bodies are kept as widgets in the kernel,
  so going back shows everything as it was left.
* Controls carry stable CSS classes (``swb-back``, ``swb-next``, ``swb-step-title``,
  ``swb-step-errors``) for the browser tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import ipywidgets as widgets
import traitlets

from supervision_workbook.ui.components.text import Notice, escape


@dataclass
class Step:
    """One step: its title, its body, and optional checks and hooks.

    ``validate`` returns a list of problems in words (empty when the step may be left).
    ``on_enter`` runs each time the step is shown (to refresh a chart or a summary).
    """

    title: str
    body: widgets.Widget
    validate: Callable[[], Sequence[str]] | None = None
    on_enter: Callable[[], None] | None = None
    key: str = field(default="")

    def problems(self) -> list[str]:
        return list(self.validate()) if self.validate is not None else []


class StepFlow(widgets.VBox):
    """Ordered steps with a progress indicator and Back / Next buttons.

    Observe ``index`` (a traitlet, not synced) or pass ``on_step`` to learn of moves.
    """

    index = traitlets.Int(0)

    def __init__(
        self,
        steps: Sequence[Step],
        *,
        next_label: str = "Next",
        back_label: str = "Back",
        label: str = "Progress",
    ) -> None:
        if not steps:
            raise ValueError("a step flow needs at least one step")
        self.steps = list(steps)
        self._label = label
        self.title = widgets.HTML().add_class("swb-step-title")
        self.progress = widgets.HTML().add_class("swb-progress")
        self.errors = Notice(testid="swb-step-errors")
        self.content = widgets.Box(layout=widgets.Layout(width="100%"))
        self.content.add_class("swb-step-body")
        self.back_button = widgets.Button(
            description=back_label,
            icon="arrow-left",
            tooltip="Go to the previous step",
        ).add_class("swb-back")
        self.next_button = widgets.Button(
            description=next_label,
            icon="arrow-right",
            button_style="primary",
            tooltip="Check this step and go to the next one",
        ).add_class("swb-next")
        self.back_button.on_click(lambda _b: self.back())
        self.next_button.on_click(lambda _b: self.next())
        nav = widgets.HBox([self.back_button, self.next_button]).add_class("swb-step-nav")
        super().__init__(
            [self.progress, self.title, self.content, self.errors, nav],
            layout=widgets.Layout(width="100%"),
        )
        self.add_class("swb-steps")
        self._show()

    # --- navigation ----------------------------------------------------------------------
    @property
    def current(self) -> Step:
        return self.steps[self.index]

    def next(self) -> bool:
        """Validate this step and move on; returns False (and shows why) when it cannot."""
        if self.index >= len(self.steps) - 1:
            return False
        return self.go(self.index + 1)

    def back(self) -> bool:
        if self.index == 0:
            return False
        return self.go(self.index - 1)

    def go(self, target: int) -> bool:
        """Show step ``target``; moving forward validates every step on the way."""
        if not 0 <= target < len(self.steps):
            raise IndexError(f"there is no step {target + 1} (the flow has {len(self.steps)})")
        for i in range(self.index, target):
            problems = self.steps[i].problems()
            if problems:
                if i != self.index:
                    self.index = i
                    self._show()
                self.errors.show("error", problems)
                return False
        self.index = target
        self._show()
        return True

    def first_invalid(self) -> tuple[int, list[str]] | None:
        """The first step with problems, and its problems (for a final submit)."""
        for i, step in enumerate(self.steps):
            problems = step.problems()
            if problems:
                return i, problems
        return None

    def recheck(self) -> None:
        """After a change: validate the current step again if it shows problems.

        Nothing happens while no problem is shown (a person filling in a step for the
        first time is not told off at every keystroke); once shown, the problems follow
        what the person does, down to none.
        """
        if not self.errors.messages:
            return
        problems = self.current.problems()
        if problems:
            if list(problems) != list(self.errors.messages):
                self.errors.show("error", problems)
        else:
            self.errors.clear()

    def show_problems(self, index: int, problems: Sequence[str]) -> None:
        """Go to ``index`` (without validating) and show ``problems`` there."""
        self.index = index
        self._show()
        self.errors.show("error", list(problems))

    # --- rendering -----------------------------------------------------------------------
    def _show(self) -> None:
        step = self.current
        n = len(self.steps)
        self.errors.clear()
        self.title.value = (
            f'<h2 class="swb-step-heading" aria-live="polite">'
            f"Step {self.index + 1} of {n}: {escape(step.title)}</h2>"
        )
        items = []
        for i, s in enumerate(self.steps):
            state = "done" if i < self.index else "current" if i == self.index else "todo"
            current = ' aria-current="step"' if i == self.index else ""
            items.append(
                f'<li class="swb-progress-{state}"{current}>'
                f'<span class="swb-progress-number">{i + 1}</span> {escape(s.title)}</li>'
            )
        self.progress.value = (
            f'<nav aria-label="{escape(self._label)}"><ol class="swb-progress-list">'
            + "".join(items)
            + "</ol></nav>"
        )
        self.content.children = (step.body,)
        self.back_button.disabled = self.index == 0
        last = self.index == n - 1
        self.next_button.disabled = last
        self.next_button.layout.display = "none" if last else None
        if step.on_enter is not None:
            step.on_enter()
