"""The human-readable markdown cells of an artifact, as pure functions of a :class:`Replay`.

A person opening the file anywhere (JupyterLab, GitHub, nbviewer) reads: a title, a summary
(every score per session, instrument and respondent, and every alert's message), the
sessions in words (ruptures, reflections, notes), the supervision meeting, and the
sign-off with its amendments. Every piece of user text passes through
:func:`~._text.escape_markdown`; labels from instrument files are escaped too, because a
program can write its own instrument files.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..model import Resolved, Review, SessionEntry
from ..scoring import ScoringError, format_number, primary, score
from ._text import escape_inline, escape_markdown

if TYPE_CHECKING:
    from ..instruments import RatingInstrument
    from ..model import InstrumentResponse
    from .replay import Replay

_KIND = {"session": "Session review", "case_review": "Case review"}
_STATUS = {
    "draft": "draft",
    "submitted": "submitted",
    "reviewed": "reviewed",
    "signed_off": "signed off",
}
_RESOLVED = {
    Resolved.yes: "repaired",
    Resolved.partly: "partly repaired",
    Resolved.no: "not repaired",
}
_NOTICE = (
    "*This notebook is a saved supervision-workbook review. Its data is stored in the "
    "notebook's metadata; every cell below is generated from it, so a hand edit of any cell "
    "makes the file fail validation.*"
)


def _e(text: str) -> str:
    return escape_inline(text)


def _block(label: str, text: str) -> list[str]:
    """A bold label and the user's text, escaped, as its own paragraph(s)."""
    if not text:
        return []
    return [f"**{label}**", "", escape_markdown(text), ""]


def _when(value: object) -> str:
    return _e(str(value).replace("+00:00", " UTC"))


def title(review: Review) -> str:
    facts = [
        f"**Trainee:** {_e(review.trainee.name)}"
        + (
            f" · **Supervisor:** {_e(review.trainee.supervisor)}"
            if review.trainee.supervisor
            else ""
        ),
        f"**Status:** {_STATUS[review.status.value]} · **Review:** {_e(review.id)}",
    ]
    dates = sorted(s.date for s in review.sessions)
    if dates:
        count = f"{len(dates)} session" + ("s" if len(dates) != 1 else "")
        span = dates[0].isoformat()
        if dates[-1] != dates[0]:
            span += f" to {dates[-1].isoformat()}"
        facts.append(f"**Sessions:** {count}, {span}")
    facts.append(f"**Created:** {_when(review.created)} · **Updated:** {_when(review.updated)}")
    heading = f"# {_KIND[review.kind.value]}: case {_e(review.case.code)}"
    if review.kind.value == "session" and len(review.sessions) == 1:
        heading += f", session {review.sessions[0].number}"
    return f"{heading}\n\n" + "  \n".join(facts) + f"\n\n{_NOTICE}"


def _score_row(replay: Replay, where: str, date: str, response: InstrumentResponse) -> str:
    inst = replay.instruments.get(response.instrument_id)
    who = response.respondent.value
    if inst is None or inst.kind != "rating":
        return (
            f"| {where} | {date} | {_e(response.instrument_id)} | {who} | "
            "not scored: instrument not available | |"
        )
    rating: RatingInstrument = inst
    try:
        result = score(rating, response.answers)
        total = format_number(primary(rating, result.total))
    except ScoringError as exc:
        return f"| {where} | {date} | {_e(rating.name)} | {who} | not scored: {_e(str(exc))} | |"
    stat = "mean" if rating.primary == "mean" else "total"
    value = f"{total} ({stat})"
    if not result.complete:
        value += f", incomplete: {result.total.answered} of {result.total.items} answered"
    parts = []
    for sub, sub_stat in result.subscales.items():
        if sub_stat.mean is None:
            continue
        shown = primary(rating, sub_stat) if rating.primary == "sum" else sub_stat.mean
        parts.append(f"{_e(rating.subscale_labels[sub])} {format_number(shown)}")
    return f"| {where} | {date} | {_e(rating.name)} | {who} | {value} | {' · '.join(parts)} |"


def summary(replay: Replay) -> str:
    review = replay.review
    lines = ["## Summary", "", "### Scores", ""]
    rows = []
    for session in sorted(review.sessions, key=lambda s: s.number):
        for response in session.responses:
            rows.append(_score_row(replay, str(session.number), session.date.isoformat(), response))
    if review.checkin is not None:
        for response in review.checkin.responses:
            rows.append(
                _score_row(replay, "Supervision", review.checkin.date.isoformat(), response)
            )
    if rows:
        lines += [
            "| Session | Date | Form | Respondent | Score | Subscales |",
            "| --- | --- | --- | --- | --- | --- |",
            *rows,
        ]
    else:
        lines.append("No ratings recorded.")
    alerts = replay.alerts
    lines += ["", f"### Alerts ({len(alerts)})", ""]
    if replay.alert_problem is not None:
        lines.append(f"Alerts could not be computed: {_e(replay.alert_problem)}")
    elif not alerts:
        lines.append("No alerts.")
    for alert in alerts:
        where = f"Session {alert.session_number}" if alert.session_number is not None else "Case"
        lines.append(f"- **{where}** ({_e(alert.rule)}): {_e(alert.message)}")
    return "\n".join(lines)


def _labels(ids: Iterable[str], choices: dict[str, str]) -> str:
    return ", ".join(_e(choices.get(i, i)) for i in ids)


def session(replay: Replay, entry: SessionEntry) -> str | None:
    """The session in words, or None when it holds no ruptures, reflection or notes."""
    log = next((i for i in replay.instruments.values() if i.kind == "rupture-log"), None)
    choices: dict[str, str] = {}
    if log is not None:
        for group in (log.withdrawal_markers, log.confrontation_markers, log.strategies):
            choices.update({c.id: c.label for c in group})
    out: list[str] = []
    for number, rupture in enumerate(entry.ruptures, start=1):
        out += [
            f"**Rupture {number}:** {rupture.type.value}, salience {rupture.salience} of 5, "
            f"{_RESOLVED[rupture.resolved]}.",
            "",
        ]
        if rupture.markers:
            out += [f"Markers: {_labels(rupture.markers, choices)}.", ""]
        if rupture.strategies:
            out += [f"Repair strategies: {_labels(rupture.strategies, choices)}.", ""]
        out += _block("What happened", rupture.description)
    reflection = entry.reflection
    if reflection is not None:
        inst = replay.reflection_instrument
        labels = {t.id: t.label for t in inst.themes} if inst is not None else {}
        order = [t for t in labels if t in reflection.themes]
        order += sorted(t for t in reflection.themes if t not in labels)
        if order:
            themes = []
            for theme in order:
                value = reflection.themes[theme]
                anchor = inst.intensity.anchor(value) if inst is not None else None
                themes.append(
                    f"{_e(labels.get(theme, theme))} {value}"
                    + (f" ({_e(anchor)})" if anchor else "")
                )
            out += [f"**Countertransference themes:** {'; '.join(themes)}.", ""]
        prompts = {p.id: p.text for p in inst.prompts} if inst is not None else {}
        keys = [p for p in prompts if p in reflection.prompts]
        keys += sorted(p for p in reflection.prompts if p not in prompts)
        for key in keys:
            out += _block(_e(prompts.get(key, key)), reflection.prompts[key])
        out += _block("Other reflections", reflection.free_text)
    out += _block("To bring to supervision", entry.bring_to_supervision)
    out += _block("Session notes", entry.notes)
    if not out:
        return None
    return "\n".join([f"### Session {entry.number} · {entry.date.isoformat()}", "", *out]).rstrip()


def meeting(review: Review) -> str | None:
    """The supervision meeting's own parts, or None when there are none."""
    out: list[str] = []
    out += _block("Supervisor's notes", review.supervisor_notes)
    out += _block("Agreed goals", review.goals)
    out += _block("Agreed tasks", review.tasks)
    if review.action_items:
        out += ["**Action items**", ""]
        for item in review.action_items:
            mark = "done" if item.done else "to do"
            out.append(f"- ({mark}) {escape_inline(item.text)}")
        out.append("")
    if not out:
        return None
    return "\n".join(["## Supervision meeting", "", *out]).rstrip()


def signoff(review: Review) -> str | None:
    """Sign-off and amendments, or None when the review is not signed off."""
    so = review.signoff
    if so is None:
        return None
    out = [
        "## Sign-off",
        "",
        f"Signed off by {_e(so.supervisor)} at {_when(so.signed_at)}: {so.minutes} minutes of "
        f"{so.format} supervision.",
    ]
    for number, am in enumerate(review.amendments, start=1):
        changed = ", ".join(_e(path) for path in am.changes)
        out += [
            "",
            f"**Amendment {number}** by {_e(am.author)} at {_when(am.at)}; changed: {changed}.",
            "",
            escape_markdown(am.why),
        ]
    return "\n".join(out)
