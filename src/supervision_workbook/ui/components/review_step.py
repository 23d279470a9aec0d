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
from supervision_workbook.ui.components.text import Notice, TextBlock, escape

if TYPE_CHECKING:
    from supervision_workbook.alerts import Alert
    from supervision_workbook.instruments import ReflectionInstrument, RuptureLogInstrument
    from supervision_workbook.model import SessionEntry
    from supervision_workbook.ui.components.steps import StepFlow
    from supervision_workbook.ui.forms.rating import RatingForm


def sessions_with(
    recorded: Sequence[SessionEntry], current: SessionEntry | None
) -> list[SessionEntry]:
    """``recorded`` plus ``current``, which replaces a recorded session of its number."""
    sessions = [s for s in recorded if current is None or s.number != current.number]
    if current is not None:
        sessions.append(current)
    return sorted(sessions, key=lambda s: s.number)


def trajectory_text(sessions: int, number: int, forms: Sequence[tuple[RatingForm, str]]) -> str:
    """A sentence for people who cannot see the chart: how many sessions it shows, and
    this session's primary statistic for each complete form (from ``scoring``)."""
    from supervision_workbook.scoring import format_number, primary, score

    parts = []
    for form, who in forms:
        if form.answered == len(form.instrument.items):
            value = primary(form.instrument, score(form.instrument, form.answers).total)
            parts.append(f"{who} {format_number(value)}")
    noun = "session" if sessions == 1 else "sessions"
    text = f"The chart shows {sessions} {noun}."
    if parts:
        text += f" This session ({number}): " + ", ".join(parts) + "."
    return text


def summary_html(rows: Sequence[tuple[str, str]], caption: str = "This session") -> str:
    """A two-column table of ``(label, value)`` pairs, all escaped."""
    body = "".join(
        f"<tr><th scope='row'>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows
    )
    return (
        f"<table class='swb-summary-table'><caption>{escape(caption)}</caption>"
        f"<tbody>{body}</tbody></table>"
    )


def entered_html(
    session: SessionEntry | None,
    ruptures: RuptureLogInstrument | None,
    reflection: ReflectionInstrument | None,
) -> str:
    """Everything the trainee wrote in steps 3 and 4, as the supervisor will read it.

    The trainee checks before submitting what they hand over, so this shows the same
    tables the case review shows (``review_tables``, one place for how a rupture or a
    reflection reads): each rupture with its type, markers, salience, what was tried,
    whether it was repaired and its description; the themes with their intensity, each
    prompt's answer, the free text and the notes. The agenda is left to the step's own
    "To bring to supervision" block. Every value is escaped there.
    """
    if session is None:
        return (
            "<p class='swb-muted'>Choose the date of the session (step 1) to see what you "
            "entered.</p>"
        )
    # Imported here: review_tables uses this module's summary_html.
    from supervision_workbook.ui.render.review_tables import reflections_html, ruptures_html

    shown = session.model_copy(update={"bring_to_supervision": ""})
    return (
        "<h4 class='swb-group-title'>Ruptures and repairs</h4>"
        + ruptures_html([shown], ruptures)
        + "<h4 class='swb-group-title'>Your reflection</h4>"
        + reflections_html([shown], reflection)
    )


def alerts_html(found: Sequence[Alert], session_number: int | None) -> str:
    """This session's alerts (and case-wide ones) as a list; earlier ones as a count."""
    here = [a for a in found if a.session_number in (session_number, None)]
    earlier = len(found) - len(here)
    title = "<h4 class='swb-group-title'>Flags for this session</h4>"
    if not here:
        body = "<p class='swb-muted'>No alert rule fired for this session.</p>"
    else:
        body = (
            "<ul class='swb-alert-list'>"
            + "".join(
                f"<li class='swb-alert swb-alert-{escape(a.rule)}'>{escape(a.message)}</li>"
                for a in here
            )
            + "</ul>"
        )
    if earlier:
        plural = "s" if earlier != 1 else ""
        body += (
            f"<p class='swb-muted'>{earlier} earlier flag{plural} in this case can be "
            "discussed in the case review.</p>"
        )
    return title + body


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
