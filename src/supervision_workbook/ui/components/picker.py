"""The case review's trainee and case choice, from what the workspace holds.

A case review is only ever about a case with records, so nothing can be added here (the
session workbook's ``supervisee.basics`` adds trainees and cases). Both are native
dropdowns with visible labels, so the page is keyboard operable, and a dropdown only ever
holds one of its options.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from supervision_workbook.ui.casework import Directory
from supervision_workbook.ui.components.text import stacked


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
