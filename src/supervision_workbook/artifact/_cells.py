"""The human-readable markdown cells of an artifact, as pure functions of a :class:`Replay`.

A person opening the file anywhere (JupyterLab, GitHub, nbviewer) reads: a title, a summary
(every score per session, instrument and respondent, and every alert's message), the
sessions in words (ruptures, reflections, notes), the supervision meeting, and the
sign-off with its amendments. Every piece of user text passes through
:func:`~._text.escape_markdown`; labels from instrument files are escaped too, because a
program can write its own instrument files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..model import Resolved, Review, ReviewKind, SessionEntry
from ..scoring import ScoringError, format_number, primary, score
from ._text import escape_inline, escape_markdown

if TYPE_CHECKING:
    from ..instruments import RatingInstrument, ReflectionInstrument
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
    """A bold label and the user's text, escaped, as one paragraph: ``**Label:** text``.

    The text starts on the label's line rather than in a paragraph of its own (two lines
    fewer per answer, about 3 kB over a 20-session case). Escaping makes every line of it
    inert wherever it stands, so nothing it holds can start a block after the label.
    """
    if not text:
        return []
    mark = "" if label.endswith(("?", ".", ":", "!")) else ":"
    return [f"**{label}{mark}** {escape_markdown(text)}", ""]


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


def _column(replay: Replay, instrument_id: str, who: str) -> str:
    """A score column's heading: who, which form, which statistic, and the subscales that
    each cell lists in brackets, so the cells can hold numbers only."""
    inst = replay.instruments.get(instrument_id)
    if inst is None or inst.kind != "rating":
        return f"{who.capitalize()}: {_e(instrument_id)}"
    rating: RatingInstrument = inst
    stat = "mean" if rating.primary == "mean" else "total"
    subs = " · ".join(_e(label) for label in rating.subscale_labels.values())
    return f"{who.capitalize()}: {_e(rating.name)}, {stat} ({subs})"


def _score(replay: Replay, response: InstrumentResponse) -> str:
    """One response in a score cell: ``2.67 (3 · 2 · 3)``, the primary statistic and each
    subscale in the order of its column's heading (``–`` for a subscale with no answer)."""
    inst = replay.instruments.get(response.instrument_id)
    if inst is None or inst.kind != "rating":
        return "not scored: instrument not available"
    rating: RatingInstrument = inst
    try:
        result = score(rating, response.answers)
        value = format_number(primary(rating, result.total))
    except ScoringError as exc:
        return f"not scored: {_e(str(exc))}"
    parts = []
    for sub_stat in result.subscales.values():
        if sub_stat.mean is None:
            parts.append("–")
        else:
            shown = primary(rating, sub_stat) if rating.primary == "sum" else sub_stat.mean
            parts.append(format_number(shown))
    if parts:
        value += f" ({' · '.join(parts)})"
    if not result.complete:
        value += f", incomplete: {result.total.answered} of {result.total.items} answered"
    return value


def _score_table(
    replay: Replay, first: str, rows: Sequence[tuple[str, str, Sequence[InstrumentResponse]]]
) -> list[str]:
    """Scores as one row per session (or meeting) and one column per form and respondent.

    Why not a row per response: a 20-session case repeated the form's name, the respondent
    and every subscale's name on 40 rows. A session with two responses of one form and
    respondent shows both in its cell, separated by ``;``.
    """
    columns: list[tuple[str, str]] = []
    for _where, _day, responses in rows:
        for response in responses:
            key = (response.instrument_id, response.respondent.value)
            if key not in columns:
                columns.append(key)
    head = [first, "Date", *(_column(replay, i, who) for i, who in columns)]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for where, day, responses in rows:
        cells: dict[tuple[str, str], list[str]] = {key: [] for key in columns}
        for response in responses:
            key = (response.instrument_id, response.respondent.value)
            cells[key].append(_score(replay, response))
        lines.append(
            "| " + " | ".join([where, day, *("; ".join(cells[k]) for k in columns)]) + " |"
        )
    return lines


def _alert_list(replay: Replay) -> list[str]:
    """Every alert's message, once, grouped under its session (in the order the rules
    report them): the message states the rule and its numbers in words."""
    dates = {s.number: s.date.isoformat() for s in replay.review.sessions}
    groups: dict[int | None, list[str]] = {}
    for alert in replay.alerts:
        groups.setdefault(alert.session_number, []).append(alert.message)
    lines: list[str] = []
    for number, messages in groups.items():
        if number is None:
            where = "**Case**"
        else:
            day = dates.get(number)
            where = f"**Session {number}**" + (f" ({day})" if day else "")
        lines += [where, "", *(f"- {_e(message)}" for message in messages), ""]
    return lines[:-1]


def summary(replay: Replay) -> str:
    review = replay.review
    lines = ["## Summary", "", "### Scores", ""]
    sessions = [
        (str(s.number), s.date.isoformat(), s.responses)
        for s in sorted(review.sessions, key=lambda s: s.number)
        if s.responses
    ]
    checkin = review.checkin
    if sessions:
        lines += _score_table(replay, "Session", sessions)
    if checkin is not None and checkin.responses:
        if sessions:
            lines.append("")
        rows = [("Supervision", checkin.date.isoformat(), checkin.responses)]
        lines += _score_table(replay, "Meeting", rows)
    if not sessions and (checkin is None or not checkin.responses):
        lines.append("No ratings recorded.")
    alerts = replay.alerts
    lines += ["", f"### Alerts ({len(alerts)})", ""]
    if review.kind is ReviewKind.session:
        # A session workbook holds one session, so rules that compare sessions (a drop, an
        # unrepaired rupture carried forward, a recurring theme) cannot fire here; saying
        # so keeps "No alerts" from reading as "nothing to discuss".
        lines += [
            "Computed from this session alone. Rules that compare sessions (drops, ruptures "
            "left unrepaired, recurring themes) are checked in the case review.",
            "",
        ]
    if replay.alert_problem is not None:
        lines.append(f"Alerts could not be computed: {_e(replay.alert_problem)}")
    elif not alerts:
        lines.append("No alerts.")
    else:
        lines += _alert_list(replay)
    return "\n".join(lines)


def _labels(ids: Iterable[str], choices: dict[str, str]) -> str:
    return ", ".join(_e(choices.get(i, i)) for i in ids)


def _scale_words(inst: ReflectionInstrument) -> str:
    """``0 = Not at all to 4 = Very strongly``: the intensity scale's ends, with their
    anchors where the instrument names them."""
    ends = []
    for value in (inst.intensity.min, inst.intensity.max):
        anchor = inst.intensity.anchor(value)
        number = format_number(value)
        ends.append(f"{number} = {_e(anchor)}" if anchor else number)
    return " to ".join(ends)


def session(replay: Replay, entry: SessionEntry) -> str | None:
    """The session in words, or None when it holds no ruptures, reflection or notes."""
    from ..instruments import rupture_log_instrument

    log = rupture_log_instrument(replay.instruments)
    choices: dict[str, str] = {}
    if log is not None:
        for group in (log.withdrawal_markers, log.confrontation_markers, log.strategies):
            choices.update({c.id: c.label for c in group})
    out: list[str] = []
    for number, rupture in enumerate(entry.ruptures, start=1):
        line = (
            f"**Rupture {number}:** {rupture.type.value}, salience {rupture.salience} of 5, "
            f"{_RESOLVED[rupture.resolved]}."
        )
        if rupture.markers:
            line += f" Markers: {_labels(rupture.markers, choices)}."
        if rupture.strategies:
            line += f" Repair strategies: {_labels(rupture.strategies, choices)}."
        out += [line, ""]
        out += _block("What happened", rupture.description)
    reflection = entry.reflection
    if reflection is not None:
        inst = replay.reflection_instrument
        labels = {t.id: t.label for t in inst.themes} if inst is not None else {}
        order = [t for t in labels if t in reflection.themes]
        order += sorted(t for t in reflection.themes if t not in labels)
        if order:
            # The scale's words once, then each theme with its number: the anchor repeated
            # after each of the eight themes was most of this line.
            themes = " · ".join(
                f"{_e(labels.get(theme, theme))} {reflection.themes[theme]}" for theme in order
            )
            scale = f" ({_scale_words(inst)})" if inst is not None else ""
            out += [f"**Countertransference themes{scale}:** {themes}.", ""]
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
