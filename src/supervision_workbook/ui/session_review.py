"""The last step of a workbook: what will be submitted, its alerts, and any open flags.

Kept apart from the supervisee workbook because the case review ends the same way: a
summary in plain words, the alerts that fired (each with the rule and its inputs in its
message, as ``alerts`` wrote it), possible identifiers still in the text with a box to
confirm they were read, and the save bar. Everything shown is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.ui.text import Notice, escape

if TYPE_CHECKING:
    from supervision_workbook.alerts import Alert


def summary_html(rows: Sequence[tuple[str, str]], caption: str = "This session") -> str:
    """A two-column table of ``(label, value)`` pairs, all escaped."""
    body = "".join(
        f"<tr><th scope='row'>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows
    )
    return (
        f"<table class='swb-summary-table'><caption>{escape(caption)}</caption>"
        f"<tbody>{body}</tbody></table>"
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
