"""The read-only parts of the case review as HTML, built by pure functions (no widgets).

Why pure functions: every piece of text here may come from a person (a trainee's
reflection, a rupture description, a supervisor's goals) or from a file that may have been
edited by hand, and ``ipywidgets.HTML`` inserts raw markup. Building each fragment in one
function that escapes every value (:func:`ui.text.escape`, attributes included) makes the
rule checkable without a kernel: "I hate <you>" comes out as ``I hate &lt;you&gt;``.

Nothing here decides anything clinical. Scores come from :mod:`scoring`, flags and their
reasons from :mod:`alerts` (shown exactly as the rule worded them), and which flags are
still *open* from the caseload rule (``CaseloadRow.reviewed_through``: a flag is open until
a signed-off case review covers its session). Unrepaired ruptures are highlighted by a
class *and* by words, so the highlight survives greyscale and screen readers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from supervision_workbook.model import Resolved, Review, SessionEntry
from supervision_workbook.ui.session_review import summary_html
from supervision_workbook.ui.text import escape

if TYPE_CHECKING:
    from supervision_workbook.alerts import Alert
    from supervision_workbook.instruments import (
        Instrument,
        ReflectionInstrument,
        RuptureLogInstrument,
    )
    from supervision_workbook.model import InstrumentResponse, Trainee
    from supervision_workbook.store import ReviewRow

STATUS_WORDS = {
    "draft": "draft",
    "submitted": "submitted",
    "reviewed": "reviewed, not signed off",
    "signed_off": "signed off",
}
RESOLVED_WORDS = {
    Resolved.yes: "Repaired",
    Resolved.partly: "Partly repaired",
    Resolved.no: "Not repaired",
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _text(value: str, cls: str = "swb-text") -> str:
    """User text as typed (escaped, line breaks kept by the ``swb-text`` style)."""
    return f"<div class='{escape(cls)}'>{escape(value)}</div>"


# --- step 1: the case snapshot ---------------------------------------------------------------
def score_text(response: InstrumentResponse, instruments: Mapping[str, Instrument]) -> str:
    """``Mean item score 2.17 (cut-off 3.5)``, from :mod:`scoring`; the reason if unscorable."""
    from supervision_workbook.instruments import RatingInstrument
    from supervision_workbook.scoring import ScoringError, format_number, primary, score

    inst = instruments.get(response.instrument_id)
    if not isinstance(inst, RatingInstrument):
        return "not scored: the instrument is not installed here"
    try:
        result = score(inst, response.answers)
    except ScoringError as exc:
        return f"not scored: {exc}"
    what = "Mean item score" if inst.primary == "mean" else "Total"
    text = f"{what} {format_number(primary(inst, result.total))}"
    if not result.complete:
        text += f" (incomplete: {result.total.answered} of {result.total.items} answered)"
    elif inst.cutoff is not None:
        text += f" (cut-off {format_number(inst.cutoff.value)})"
    return text


def latest_scores(
    sessions: Sequence[SessionEntry], instruments: Mapping[str, Instrument]
) -> list[tuple[str, str]]:
    """One ``(label, score)`` row per response of the latest session."""
    if not sessions:
        return []
    latest = max(sessions, key=lambda s: s.number)
    rows = []
    for response in latest.responses:
        inst = instruments.get(response.instrument_id)
        name = inst.name if inst is not None else response.instrument_id
        who = response.respondent.value.capitalize()
        rows.append(
            (f"Latest scores, {who}: {name}", score_text(response, instruments))
        )
    return rows


def date_span(sessions: Sequence[SessionEntry]) -> str:
    days = sorted(s.date for s in sessions)
    if not days:
        return "none yet"
    if days[0] == days[-1]:
        return days[0].isoformat()
    return f"{days[0].isoformat()} to {days[-1].isoformat()}"


def open_flag_text(
    alerts: Sequence[Alert], reviewed_through: int | None, open_count: int | None
) -> str:
    """``4 open of 17``: open per the caseload rule (``open_count`` when the index knows)."""
    if open_count is None:
        open_count = sum(1 for a in alerts if is_open(a, reviewed_through))
    text = f"{open_count} open"
    if len(alerts) != open_count:
        text += f" of {_plural(len(alerts), 'flag')} in all sessions"
    if reviewed_through:
        text += (
            f"; flags on sessions 1 to {reviewed_through} were discussed in a signed-off "
            "case review"
        )
    return text


def snapshot_rows(
    trainee: Trainee,
    case_code: str,
    opened: date | None,
    sessions: Sequence[SessionEntry],
    instruments: Mapping[str, Instrument],
    flags: str,
) -> list[tuple[str, str]]:
    rows = [("Trainee", trainee.name)]
    if trainee.supervisor:
        rows.append(("Supervisor (as recorded)", trainee.supervisor))
    rows.append(("Case", case_code + (f" (opened {opened.isoformat()})" if opened else "")))
    numbers = sorted(s.number for s in sessions)
    count = _plural(len(numbers), "session")
    if numbers:
        count += f" (numbers {numbers[0]} to {numbers[-1]})" if len(numbers) > 1 else ""
    rows.append(("Sessions so far", count))
    rows.append(("Session dates", date_span(sessions)))
    rows.extend(latest_scores(sessions, instruments))
    unrepaired = sum(1 for s in sessions for r in s.ruptures if r.resolved != Resolved.yes)
    rows.append(("Open flags", flags))
    rows.append(("Ruptures not fully repaired", str(unrepaired)))
    return rows


def snapshot_html(rows: Sequence[tuple[str, str]]) -> str:
    return summary_html(rows, caption="This case so far")


def previous_reviews_html(
    case_reviews: Sequence[ReviewRow], session_rows: Sequence[ReviewRow]
) -> str:
    """Earlier case reviews of the case (status, who signed, minutes) and the workbooks."""
    counts: dict[str, int] = {}
    for row in session_rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    workbooks = ", ".join(
        f"{n} {STATUS_WORDS.get(status, status)}" for status, n in sorted(counts.items())
    )
    parts = [
        "<h3 class='swb-group-title'>Status of previous reviews</h3>",
        "<p class='swb-cr-workbooks'>"
        + escape(
            f"Session workbooks: {workbooks}." if workbooks else "No session workbooks saved."
        )
        + "</p>",
    ]
    if not case_reviews:
        parts.append(
            "<p class='swb-muted swb-cr-no-reviews'>No earlier case review of this case.</p>"
        )
        return "".join(parts)
    head = (
        "<tr><th scope='col'>Saved</th><th scope='col'>Status</th>"
        "<th scope='col'>Sessions covered</th><th scope='col'>Signed off by</th>"
        "<th scope='col'>Supervision</th></tr>"
    )
    body = []
    for row in case_reviews:
        covered = (
            f"through session {row.last_session_number}"
            if row.last_session_number is not None
            else "none"
        )
        minutes = (
            f"{row.signoff_minutes} min, {row.signoff_format or ''}".rstrip(", ")
            if row.signoff_minutes is not None
            else ""
        )
        body.append(
            f"<tr class='swb-cr-previous' data-status='{escape(row.status)}'>"
            f"<td>{escape(row.updated.date().isoformat())}</td>"
            f"<td>{escape(STATUS_WORDS.get(row.status, row.status))}</td>"
            f"<td>{escape(covered)}</td>"
            f"<td>{escape(row.supervisor or '')}</td>"
            f"<td>{escape(minutes)}</td></tr>"
        )
    parts.append(
        "<table class='swb-summary-table swb-cr-previous-table'>"
        f"<caption>Earlier case reviews</caption><thead>{head}</thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )
    return "".join(parts)


# --- step 2: every flag with its reason ------------------------------------------------------
def is_open(alert: Alert, reviewed_through: int | None) -> bool:
    """The caseload rule: open until a signed-off case review covers the flag's session."""
    return alert.session_number is None or alert.session_number > (reviewed_through or 0)


def flags_html(
    alerts: Sequence[Alert],
    sessions: Sequence[SessionEntry],
    reviewed_through: int | None,
) -> str:
    """Every alert, grouped by session, with the rule's own message as plain text."""
    if not alerts:
        return (
            "<p class='swb-muted swb-cr-no-flags'>No alert rule fired in any session of "
            "this case.</p>"
        )
    dates = {s.number: s.date.isoformat() for s in sessions}
    by_session: dict[int | None, list[Alert]] = {}
    for alert in alerts:
        by_session.setdefault(alert.session_number, []).append(alert)
    order = sorted((n for n in by_session if n is not None), reverse=True)
    groups = ([None] if None in by_session else []) + order
    opened = sum(1 for a in alerts if is_open(a, reviewed_through))
    parts = [
        f"<p class='swb-cr-flag-count'>{escape(_plural(len(alerts), 'flag'))} in this case, "
        f"{opened} open. Newest sessions first; each flag says which rule fired and on "
        "which numbers.</p>"
    ]
    for number in groups:
        found = by_session[number]
        if number is None:
            title = "Across the case"
        else:
            title = f"Session {number}"
            if number in dates:
                title += f" ({dates[number]})"
        title += f": {_plural(len(found), 'flag')}"
        items = []
        for alert in found:
            state = "open" if is_open(alert, reviewed_through) else "discussed"
            badge = "Open" if state == "open" else "Discussed in a signed-off review"
            items.append(
                f"<li class='swb-cr-flag swb-cr-flag-{state} swb-alert-{escape(alert.rule)}' "
                f"data-rule='{escape(alert.rule)}'>"
                f"<span class='swb-cr-flag-state'>{escape(badge)}:</span> "
                f"<span class='swb-cr-flag-message'>{escape(alert.message)}</span></li>"
            )
        data = "" if number is None else f" data-session='{number}'"
        parts.append(
            f"<section class='swb-cr-flag-group'{data}>"
            f"<h4 class='swb-group-title'>{escape(title)}</h4>"
            f"<ul class='swb-alert-list'>{''.join(items)}</ul></section>"
        )
    return "<div class='swb-cr-flags'>" + "".join(parts) + "</div>"


# --- step 3: ruptures and repairs ------------------------------------------------------------
def _labels(ids: Sequence[str], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(i, i) for i in ids) or "none noted"


def ruptures_html(
    sessions: Sequence[SessionEntry], instrument: RuptureLogInstrument | None
) -> str:
    """A table by session: type, markers, salience, strategies, resolved, description."""
    names: dict[str, str] = {}
    types: dict[str, str] = {}
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
                f"<td>{rupture.salience} of 5</td>"
                f"<td>{escape(_labels(rupture.strategies, names))}</td>"
                f"<td>{resolved_cell}</td>"
                f"<td class='swb-text'>{escape(rupture.description)}</td></tr>"
            )
    summary = (
        f"{_plural(total, 'rupture')} over {_plural(len(sessions), 'session')}; "
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
                    f"</p>{_text(answer, 'swb-text swb-cr-answer')}"
                )
            if reflection.free_text:
                body.append(
                    "<p class='swb-cr-prompt'><strong>Anything else</strong></p>"
                    + _text(reflection.free_text, "swb-text swb-cr-answer")
                )
        for label, value in (
            ("To bring to supervision", session.bring_to_supervision),
            ("Other notes", session.notes),
        ):
            if value:
                body.append(
                    f"<p class='swb-cr-prompt'><strong>{escape(label)}</strong></p>"
                    + _text(value, "swb-text swb-cr-answer")
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
    return "<div class='swb-cr-reflections'>" + "".join(parts) + "</div>"


# --- step 7: the signed record -----------------------------------------------------------------
def signed_record_html(review: Review, filename: str) -> str:
    """What the saved artifact says (read back from disk), for the read-only view."""
    signoff = review.signoff
    rows: list[tuple[str, str]] = [
        ("Status", STATUS_WORDS.get(review.status.value, review.status.value)),
        ("Case", review.case.code),
        ("Trainee", review.trainee.name),
        ("Sessions covered", date_span(review.sessions)
         + f" ({_plural(len(review.sessions), 'session')})"),
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
        f"<li class='swb-cr-signed-action'>{escape(item.text)}</li>"
        for item in review.action_items
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
                + _text(value, "swb-text swb-cr-signed-text")
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
