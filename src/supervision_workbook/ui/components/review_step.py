"""The last step of a workbook: what will be submitted, its alerts, and any open flags.

Kept apart from the supervisee workbook because the case review ends the same way: a
summary in plain words, the alerts that fired (each with the rule and its inputs in its
message, as ``alerts`` wrote it), possible identifiers still in the text with a box to
confirm they were read, and the save bar. Everything shown is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.ui.components.saving import SaveAction, SaveBar
from supervision_workbook.ui.components.text import Notice, TextBlock
from supervision_workbook.ui.render.html import escape, summary_html
from supervision_workbook.ui.render.session_html import alerts_html

if TYPE_CHECKING:
    from supervision_workbook.alerts import Alert
    from supervision_workbook.ui.components.steps import StepFlow


def ensure_ready(flow: StepFlow, identifiers: IdentifierAcknowledgement) -> None:
    """Raise, in words, unless every step is valid and any identifier flags were read.

    The one gate before a record is made (a trainee's Submit, a supervisor's Sign off), so
    both workbooks refuse for the same reasons and say so the same way.
    """
    invalid = flow.first_invalid()
    if invalid is not None:
        index, problems = invalid
        title = flow.steps[index].title
        raise ValueError(f"step {index + 1} ({title}) needs attention: " + " ".join(problems))
    if not identifiers.satisfied:
        raise ValueError(
            "please read the possible identifiers listed above, then tick the box to confirm"
        )


class IdentifierAcknowledgement(widgets.VBox):
    """Open identifier flags, and a box the person ticks to say they read them.

    The check never certifies text as de-identified, so a submit with open flags is not
    refused; it asks for a conscious decision instead.
    """

    def __init__(self) -> None:
        self.flags: list[str] = []
        self.notice = Notice(testid="swb-identifier-summary")
        self.confirm = widgets.Checkbox(
            value=False,
            indent=False,
            description="I have read the possible identifiers listed above and changed or "
            "kept each one on purpose.",
            layout=widgets.Layout(width="auto", display="none"),
        ).add_class("swb-acknowledge")
        super().__init__([self.notice, self.confirm], layout=widgets.Layout(width="100%"))

    def show(self, flags: Sequence[str]) -> None:
        self.flags = list(flags)
        if self.flags:
            self.notice.show(
                "warning",
                [
                    "Possible identifiers are still in your text. This check cannot find every "
                    "identifier and never certifies text as de-identified:",
                    *self.flags,
                ],
            )
            self.confirm.layout.display = None
        else:
            self.notice.clear()
            self.confirm.layout.display = "none"

    @property
    def satisfied(self) -> bool:
        return not self.flags or bool(self.confirm.value)

    def reset(self) -> None:
        self.confirm.value = False


class ReviewStep(widgets.VBox):
    """The last step: summary, what was entered, the text to bring, alerts, a chart, flags,
    and Submit.

    ``submit`` returns the success message or raises (the save bar words the error);
    ``next_session`` runs when the person starts the next one after submitting;
    ``handover`` (optional) shows, under the button, where the submitted session went.
    :meth:`show` fills everything in; :meth:`set_submitted` swaps Submit for "next".
    """

    def __init__(
        self,
        chart: widgets.Widget,
        *,
        submit: Callable[[], str],
        next_session: Callable[[], None],
        bring_title: str = "To bring to supervision",
        handover: widgets.Widget | None = None,
    ) -> None:
        self.summary = widgets.HTML().add_class("swb-summary")
        self.entered = widgets.HTML().add_class("swb-summary-entered")
        self.bring = TextBlock(empty="Nothing noted yet.").add_class("swb-summary-bring")
        self.alerts = widgets.HTML().add_class("swb-alerts")
        self.identifiers = IdentifierAcknowledgement()
        self.savebar = SaveBar(
            [
                SaveAction(
                    "Submit to supervisor",
                    submit,
                    "swb-submit",
                    button_style="success",
                    icon="paper-plane",
                    tooltip="Save this session as submitted, for your supervisor",
                    failure="Not submitted",
                    once=True,
                )
            ]
        )
        self.next_session_button = widgets.Button(
            description="Start the next session",
            icon="plus",
            tooltip="Begin a new session workbook for this case",
            layout=widgets.Layout(display="none", align_self="flex-start"),
        ).add_class("swb-next-session")
        self.next_session_button.on_click(lambda _b: next_session())
        super().__init__(
            [
                self.summary,
                self.entered,
                widgets.HTML(f"<h4 class='swb-group-title'>{escape(bring_title)}</h4>"),
                self.bring,
                self.alerts,
                chart,
                self.identifiers,
                self.savebar,
                *([handover] if handover is not None else []),
                self.next_session_button,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.add_class("swb-review-step")

    def show(
        self,
        rows: Sequence[tuple[str, str]],
        bring: str,
        alerts: Callable[[], Sequence[Alert]],
        session_number: int | None,
        flags: Sequence[str],
        entered: str = "",
    ) -> None:
        """Fill the step in; ``entered`` is :func:`entered_html` of the session."""
        self.summary.value = summary_html(rows)
        self.entered.value = entered
        self.bring.text = bring
        try:
            found = alerts()
        except ValueError as exc:
            self.alerts.value = (
                "<p class='swb-notice swb-notice-error'>"
                + escape(f"Alerts could not be computed: {exc}")
                + "</p>"
            )
        else:
            self.alerts.value = alerts_html(found, session_number)
        self.identifiers.show(flags)

    def set_submitted(self, submitted: bool) -> None:
        self.savebar.set_enabled("swb-submit", not submitted)
        self.next_session_button.layout.display = None if submitted else "none"

    def reset(self) -> None:
        self.identifiers.reset()
        self.savebar.result.clear()
