"""What a trainee is about to submit, as text: the sessions shown, the chart's words, the alerts.

Pure functions for the last step of a workbook (``components.review_step``): what was
entered reads exactly as the supervisor will read it in the case review, because it is
built by the same tables (``review_tables``). Everything is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from supervision_workbook.ui.render.html import escape
from supervision_workbook.ui.render.review_tables import reflections_html, ruptures_html

if TYPE_CHECKING:
    from supervision_workbook.alerts import Alert
    from supervision_workbook.instruments import (
        RatingInstrument,
        ReflectionInstrument,
        RuptureLogInstrument,
    )
    from supervision_workbook.model import SessionEntry


def sessions_with(
    recorded: Sequence[SessionEntry], current: SessionEntry | None
) -> list[SessionEntry]:
    """``recorded`` plus ``current``, which replaces a recorded session of its number."""
    sessions = [s for s in recorded if current is None or s.number != current.number]
    if current is not None:
        sessions.append(current)
    return sorted(sessions, key=lambda s: s.number)


def trajectory_text(
    sessions: int,
    number: int,
    forms: Sequence[tuple[RatingInstrument, Sequence[float | None], str]],
) -> str:
    """A sentence for people who cannot see the chart: how many sessions it shows, and
    this session's primary statistic for each complete form, given as ``(instrument,
    answers, who)`` (scores from ``scoring``)."""
    from supervision_workbook import formatting
    from supervision_workbook.scoring import primary, score

    parts = []
    for instrument, answers, who in forms:
        if len(answers) == len(instrument.items) and None not in answers:
            value = primary(instrument, score(instrument, answers).total)
            parts.append(f"{who} {formatting.number(value)}")
    noun = "session" if sessions == 1 else "sessions"
    text = f"The chart shows {sessions} {noun}."
    if parts:
        text += f" This session ({number}): " + ", ".join(parts) + "."
    return text


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
