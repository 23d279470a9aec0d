"""The read-only parts of the case review as HTML, built by pure functions (no widgets).

Why pure functions: every piece of text here may come from a person (a trainee's
reflection, a rupture description, a supervisor's goals) or from a file that may have been
edited by hand, and ``ipywidgets.HTML`` inserts raw markup. Building each fragment in one
function that escapes every value (:func:`.html.escape`, attributes included) makes the
rule checkable without a kernel: "I hate <you>" comes out as ``I hate &lt;you&gt;``.

Nothing here decides anything clinical. Scores come from :mod:`scoring`, flags and their
reasons from :mod:`alerts` (shown exactly as the rule worded them), and which flags are
still *open*, with the word for why one is closed, from ``alerts.case_flags`` (the one rule
the dashboard counts with: a sign-off closes most flags, a follow-up repair closes a rupture
flag, only a recorded response closes a risk concern, and case-level states stay open).
The unrepaired ruptures are ``alerts.open_ruptures``, as on the dashboard. This module
builds steps 1 and 2 (snapshot,
earlier reviews, flags); ``review_tables`` builds the ruptures table, the reflections and
the signed record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from supervision_workbook import formatting
from supervision_workbook.model import SessionEntry
from supervision_workbook.ui.render.html import escape, plural, summary_html

if TYPE_CHECKING:
    from supervision_workbook.alerts import Flag
    from supervision_workbook.instruments import Instrument
    from supervision_workbook.model import InstrumentResponse, Trainee
    from supervision_workbook.store import ReviewRow


# --- step 1: the case snapshot ---------------------------------------------------------------
def score_text(response: InstrumentResponse, instruments: Mapping[str, Instrument]) -> str:
    """``Mean item score 2.17 (cut-off 3.5)``, from :mod:`scoring`; the reason if unscorable."""
    from supervision_workbook.instruments import RatingInstrument
    from supervision_workbook.scoring import ScoringError, primary, score

    inst = instruments.get(response.instrument_id)
    if not isinstance(inst, RatingInstrument):
        return "not scored: the instrument is not installed here"
    try:
        result = score(inst, response.answers)
    except ScoringError as exc:
        return f"not scored: {exc}"
    what = "Mean item score" if inst.primary == "mean" else "Total"
    text = f"{what} {formatting.number(primary(inst, result.total))}"
    if not result.complete:
        text += f" (incomplete: {result.total.answered} of {result.total.items} answered)"
    elif inst.cutoff is not None:
        text += f" (cut-off {formatting.number(inst.cutoff.value)})"
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
        rows.append((f"Latest scores, {who}: {name}", score_text(response, instruments)))
    return rows


def date_span(sessions: Sequence[SessionEntry]) -> str:
    days = sorted(s.date for s in sessions)
    if not days:
        return "none yet"
    if days[0] == days[-1]:
        return days[0].isoformat()
    return f"{days[0].isoformat()} to {days[-1].isoformat()}"


def open_flag_text(flags: Sequence[Flag], reviewed_through: int | None) -> str:
    """``4 open of 17``: open as ``alerts.case_flags`` says, the count the dashboard shows."""
    open_count = sum(1 for f in flags if f.open)
    text = f"{open_count} open"
    if len(flags) != open_count:
        text += f" of {plural(len(flags), 'flag')} in all sessions"
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
    count = plural(len(numbers), "session")
    if numbers:
        count += f" (numbers {numbers[0]} to {numbers[-1]})" if len(numbers) > 1 else ""
    rows.append(("Sessions so far", count))
    rows.append(("Session dates", date_span(sessions)))
    rows.extend(latest_scores(sessions, instruments))
    from supervision_workbook.alerts import open_ruptures

    unrepaired = len(open_ruptures(sessions))  # the dashboard's rule: follow-ups count
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
        f"{n} {formatting.status_words(status)}" for status, n in sorted(counts.items())
    )
    parts = [
        "<h3 class='swb-group-title'>Status of previous reviews</h3>",
        "<p class='swb-cr-workbooks'>"
        + escape(f"Session workbooks: {workbooks}." if workbooks else "No session workbooks saved.")
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
            f"<td>{escape(formatting.status_words(row.status))}</td>"
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
def _badge(flag: Flag) -> str:
    """``Open``, or why the flag is closed (``Discussed``, ``Repaired in session 6``...)."""
    return "Open" if flag.open else flag.status[:1].upper() + flag.status[1:]


def flags_html(flags: Sequence[Flag], sessions: Sequence[SessionEntry]) -> str:
    """Every flag, grouped by session, with the rule's own message as plain text and its
    status from ``alerts.case_flags``."""
    if not flags:
        return (
            "<p class='swb-muted swb-cr-no-flags'>No alert rule fired in any session of "
            "this case.</p>"
        )
    dates = {s.number: s.date.isoformat() for s in sessions}
    by_session: dict[int | None, list[Flag]] = {}
    for flag in flags:
        by_session.setdefault(flag.alert.session_number, []).append(flag)
    order = sorted((n for n in by_session if n is not None), reverse=True)
    groups = ([None] if None in by_session else []) + order
    opened = sum(1 for f in flags if f.open)
    parts = [
        f"<p class='swb-cr-flag-count'>{escape(plural(len(flags), 'flag'))} in this case, "
        f"{opened} open. Newest sessions first; each flag says which rule fired and on "
        "which numbers. “Discussed” marks flags on sessions that a signed-off case review "
        "already covered; a risk concern stays open until the supervisor's response is "
        "recorded.</p>"
    ]
    for number in groups:
        found = by_session[number]
        if number is None:
            title = "Across the case"
        else:
            title = f"Session {number}"
            if number in dates:
                title += f" ({dates[number]})"
        title += f": {plural(len(found), 'flag')}"
        items = []
        for flag in found:
            alert = flag.alert
            state = "open" if flag.open else "discussed"
            items.append(
                f"<li class='swb-cr-flag swb-cr-flag-{state} swb-alert-{escape(alert.rule)}' "
                f"data-rule='{escape(alert.rule)}' data-status='{escape(flag.status)}'>"
                f"<span class='swb-cr-flag-state'>{escape(_badge(flag))}:</span> "
                f"<span class='swb-cr-flag-message'>{escape(alert.message)}</span></li>"
            )
        data = "" if number is None else f" data-session='{number}'"
        parts.append(
            f"<section class='swb-cr-flag-group'{data}>"
            f"<h4 class='swb-group-title'>{escape(title)}</h4>"
            f"<ul class='swb-alert-list'>{''.join(items)}</ul></section>"
        )
    return "<div class='swb-cr-flags'>" + "".join(parts) + "</div>"
