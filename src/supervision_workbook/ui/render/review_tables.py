"""The case review's tables and texts of steps 3, 4 and 7, built by pure functions.

Same rules as :mod:`.review_html`: every value is escaped (attributes included), nothing
clinical is decided here, and a highlight is always carried by words as well as by a class
("Not repaired", not only an orange row), so it survives greyscale and screen readers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from supervision_workbook import formatting
from supervision_workbook.model import Resolved, Review, SessionEntry
from supervision_workbook.ui.render.html import escape, plural, summary_html, text_div
from supervision_workbook.ui.render.review_html import date_span

if TYPE_CHECKING:
    from supervision_workbook.instruments import ReflectionInstrument, RuptureLogInstrument

RESOLVED_WORDS = {
    Resolved.yes: "Repaired",
    Resolved.partly: "Partly repaired",
    Resolved.no: "Not repaired",
}


# --- step 3: ruptures and repairs ------------------------------------------------------------
def _labels(ids: Sequence[str], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(i, i) for i in ids) or "none noted"


def ruptures_html(sessions: Sequence[SessionEntry], instrument: RuptureLogInstrument | None) -> str:
    """A table by session: type, markers, salience, strategies, resolved, description."""
    names: dict[str, str] = {}
    types: dict[str, str] = {}
    # The scale's top comes from the instrument file (a program may rate salience 1 to 7).
    out_of = f" of {formatting.number(instrument.salience.max)}" if instrument else ""
    if instrument is not None:
        for choice in (
            *instrument.withdrawal_markers,
            *instrument.confrontation_markers,
            *instrument.strategies,
        ):
            names[choice.id] = choice.label
        types = {t.id.value: t.label for t in instrument.rupture_types}
    total = sum(len(s.ruptures) for s in sessions)
    open_count = sum(1 for s in sessions for r in s.ruptures if r.resolved != Resolved.yes)
    head = (
        "<tr><th scope='col'>Session</th><th scope='col'>Type</th><th scope='col'>Markers</th>"
        "<th scope='col'>Salience</th><th scope='col'>What was tried</th>"
        "<th scope='col'>Resolved</th><th scope='col'>What happened</th></tr>"
    )
    rows = []
    for session in sorted(sessions, key=lambda s: s.number):
        where = f"{session.number} ({session.date.isoformat()})"
        if not session.ruptures:
            rows.append(
                f"<tr class='swb-cr-rupture-none' data-session='{session.number}'>"
                f"<td>{escape(where)}</td>"
                "<td colspan='6' class='swb-muted'>No rupture logged.</td></tr>"
            )
            continue
        for rupture in session.ruptures:
            unrepaired = rupture.resolved != Resolved.yes
            cls = "swb-cr-rupture swb-cr-unrepaired" if unrepaired else "swb-cr-rupture"
            resolved = RESOLVED_WORDS[rupture.resolved]
            resolved_cell = (
                f"<strong class='swb-cr-unrepaired-label'>{escape(resolved)}</strong>"
                if unrepaired
                else escape(resolved)
            )
            rows.append(
                f"<tr class='{cls}' data-session='{session.number}' "
                f"data-resolved='{escape(rupture.resolved.value)}'>"
                f"<td>{escape(where)}</td>"
                f"<td>{escape(types.get(rupture.type.value, rupture.type.value))}</td>"
                f"<td>{escape(_labels(rupture.markers, names))}</td>"
                f"<td>{rupture.salience}{out_of}</td>"
                f"<td>{escape(_labels(rupture.strategies, names))}</td>"
                f"<td>{resolved_cell}</td>"
                f"<td class='swb-text'>{escape(rupture.description)}</td></tr>"
            )
    summary = (
        f"{plural(total, 'rupture')} over {plural(len(sessions), 'session')}; "
        f"{open_count} not fully repaired"
        + (" (highlighted, marked “Not repaired” or “Partly repaired”)." if open_count else ".")
    )
    return (
        f"<p class='swb-cr-rupture-summary'>{escape(summary)}</p>"
        "<div class='swb-cr-table-wrap'><table class='swb-cr-ruptures-table'>"
        "<caption>Ruptures and repairs by session</caption>"
        f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


# --- step 4: the trainee's reflections -------------------------------------------------------
def reflections_html(
    sessions: Sequence[SessionEntry], instrument: ReflectionInstrument | None
) -> str:
    """Per session: themes rated above zero, answers to the prompts, free text, agenda."""
    prompts = {p.id: p.text for p in instrument.prompts} if instrument is not None else {}
    parts = []
    for session in sorted(sessions, key=lambda s: s.number, reverse=True):
        body = []
        reflection = session.reflection
        if reflection is not None:
            rated = [
                f"{instrument.theme_label(t) if instrument is not None else t} {v}"
                for t, v in reflection.themes.items()
                if v > 0
            ]
            if rated:
                body.append(
                    "<p class='swb-cr-themes'><strong>Themes present (intensity):</strong> "
                    f"{escape(', '.join(rated))}</p>"
                )
            for pid, answer in reflection.prompts.items():
                body.append(
                    f"<p class='swb-cr-prompt'><strong>{escape(prompts.get(pid, pid))}</strong>"
                    f"</p>{text_div(answer, 'swb-text swb-cr-answer')}"
                )
            if reflection.free_text:
                body.append(
                    "<p class='swb-cr-prompt'><strong>Anything else</strong></p>"
                    + text_div(reflection.free_text, "swb-text swb-cr-answer")
                )
        for label, value in (
            ("To bring to supervision", session.bring_to_supervision),
            ("Other notes", session.notes),
        ):
            if value:
                body.append(
                    f"<p class='swb-cr-prompt'><strong>{escape(label)}</strong></p>"
                    + text_div(value, "swb-text swb-cr-answer")
                )
        if not body:
            body.append("<p class='swb-muted'>No reflection recorded.</p>")
        parts.append(
            f"<section class='swb-cr-reflection' data-session='{session.number}'>"
            f"<h4 class='swb-group-title'>"
            f"{escape(f'Session {session.number} ({session.date.isoformat()})')}</h4>"
            + "".join(body)
            + "</section>"
        )
    if not parts:
        return "<p class='swb-muted'>No sessions recorded yet.</p>"
    # A scrolling region keeps the notes field in view; tabindex lets the keyboard scroll it.
    return (
        "<div class='swb-cr-reflections' role='region' tabindex='0' "
        "aria-label='The trainee’s reflections, newest session first'>" + "".join(parts) + "</div>"
    )


# --- step 7: the signed record -----------------------------------------------------------------
def signed_record_html(review: Review, filename: str) -> str:
    """What the saved artifact says (read back from disk), for the read-only view."""
    signoff = review.signoff
    rows: list[tuple[str, str]] = [
        ("Status", formatting.status_words(review.status.value)),
        ("Case", review.case.code),
        ("Trainee", review.trainee.name),
        (
            "Sessions covered",
            date_span(review.sessions) + f" ({plural(len(review.sessions), 'session')})",
        ),
    ]
    if signoff is not None:
        rows += [
            ("Signed off by", signoff.supervisor),
            ("Signed at", signoff.signed_at.isoformat().replace("+00:00", " UTC")),
            ("Supervision", f"{signoff.minutes} minutes, {signoff.format}"),
            ("Signed data hash", signoff.data_hash),
        ]
    rows.append(("Saved as", filename))
    items = "".join(
        f"<li class='swb-cr-signed-action'>{escape(item.text)}</li>" for item in review.action_items
    )
    meeting = []
    for label, value in (
        ("Supervisor notes", review.supervisor_notes),
        ("Agreed goals", review.goals),
        ("Agreed tasks", review.tasks),
    ):
        if value:
            meeting.append(
                f"<h4 class='swb-group-title'>{escape(label)}</h4>"
                + text_div(value, "swb-text swb-cr-signed-text")
            )
    if items:
        meeting.append(
            "<h4 class='swb-group-title'>Action items</h4>"
            f"<ul class='swb-cr-signed-actions'>{items}</ul>"
        )
    return (
        "<div class='swb-cr-signed'>"
        + summary_html(rows, caption="The signed record, as saved")
        + "".join(meeting)
        + "</div>"
    )
