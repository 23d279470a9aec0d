"""Each hours rule checked on its own: met, on track, behind, or not yet met, with numbers.

"On track" is defined plainly and only where the programme gives its dates (``[hours]
start`` and ``end``): a rule not yet met is on track when what has been done so far is at
least the straight-line share of the target for the share of the programme that has passed
(``target x days elapsed / days in the programme``), and behind otherwise, or once the
programme has ended. Without both dates there is no pace to compare with, so a rule is
only "met" or "not yet met": no pace is invented.

A weekly rule counts calendar weeks (Monday to Sunday) that have ended, from the week of
the programme's start (or, without dates, of the first recorded supervision). Each week
short of the minimum counts against ``allowed_short_weeks``; a missed week cannot be made
up later, so with dates the rule is behind as soon as too many weeks fall short, on track
while every week so far is covered, and met when the programme has ended with it covered.

Everything here is pure: the ledger, the rules and ``today`` go in, statuses come out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from ._ledger import FORMATS, OBSERVED_FORMATS, Ledger

if TYPE_CHECKING:
    from supervision_workbook.config import HoursConfig, HoursRule, TotalRule, WeeklyRule

    from ._ledger import Supervision

Status = Literal["met", "on_track", "behind", "not_met"]
STATUS_LABELS: dict[str, str] = {
    "met": "met",
    "on_track": "on track",
    "behind": "behind",
    "not_met": "not yet met",
}


@dataclass(frozen=True)
class RuleStatus:
    """One rule's result. ``actual`` and ``target`` are in ``unit`` (hours, sessions, or
    weeks for a weekly rule: weeks at the minimum of weeks counted); ``expected`` is the
    straight-line target for today when the programme has dates."""

    name: str
    kind: str
    status: Status
    actual: float
    target: float
    unit: Literal["hours", "sessions", "weeks"]
    expected: float | None
    detail: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def _h(minutes: float) -> float:
    return round(minutes / 60, 2)


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _pace(
    actual: float, target: float, start: date | None, end: date | None, today: date
) -> tuple[Status, float | None]:
    if actual >= target:
        return "met", None
    if start is None or end is None:
        return "not_met", None
    span = (end - start).days
    elapsed = min(max((today - start).days, 0), span)
    expected = round(target * elapsed / span, 2)
    if today > end or actual < expected:
        return "behind", expected
    return "on_track", expected


def _formats_label(formats: Sequence[str]) -> str:
    return " + ".join(FORMATS.get(f, f).lower() for f in formats) if formats else "all"


def _total(rule: TotalRule, ledger: Ledger) -> tuple[float, str]:
    chosen = [s for s in ledger.supervision if not rule.formats or s.format in rule.formats]

    def weighted(s: Supervision) -> float:
        return s.minutes * (rule.group_weight if s.format == "group" else 1.0)

    in_person = sum(weighted(s) for s in chosen if s.modality != "video")
    video = sum(weighted(s) for s in chosen if s.modality == "video")
    notes = []
    if any(s.format == "group" for s in chosen) and rule.group_weight != 1:
        notes.append(f"group minutes count \u00d7 {rule.group_weight:g}")
    counted_video = video
    share = rule.max_video_share
    if share is not None and share < 1:
        cap = in_person * share / (1 - share)
        counted_video = min(video, cap)
        if counted_video < video:
            notes.append(
                f"{_fmt(_h(video - counted_video))} h by video beyond the allowed "
                f"{share:.0%} not counted"
            )
    return _h(in_person + counted_video), "; ".join(notes)


def _weekly(rule: WeeklyRule, ledger: Ledger, hours: HoursConfig, today: date) -> RuleStatus:
    chosen = [s for s in ledger.supervision if not rule.formats or s.format in rule.formats]
    first = hours.start or min((s.day for s in ledger.supervision), default=None)
    what = _formats_label(rule.formats)
    name = rule.name or f"Weekly supervision ({what})"
    if first is None:
        status: Status = "on_track" if hours.start and hours.end else "not_met"
        return RuleStatus(name, "weekly", status, 0, 0, "weeks", None, "no supervision yet")
    monday = first - timedelta(days=first.weekday())
    last_sunday = today - timedelta(days=today.weekday() + 1)
    if hours.end is not None:
        last_sunday = min(last_sunday, hours.end + timedelta(days=6 - hours.end.weekday()))
    weeks: dict[date, float] = {}
    day = monday
    while day + timedelta(days=6) <= last_sunday:
        weeks[day] = 0
        day += timedelta(days=7)
    for s in chosen:
        week = s.day - timedelta(days=s.day.weekday())
        if week in weeks:
            weeks[week] += s.minutes
    short = [(w, m) for w, m in weeks.items() if m < rule.hours * 60]
    good = len(weeks) - len(short)
    dated = hours.start is not None and hours.end is not None
    ended = dated and today > hours.end
    if not weeks:
        status, detail = ("on_track" if dated else "not_met"), "no complete week yet"
    else:
        if len(short) > rule.allowed_short_weeks:
            status = "behind" if dated else "not_met"
        else:
            status = "on_track" if dated and not ended else "met"
        listed = ", ".join(f"{w.isoformat()} ({_fmt(_h(m))} h)" for w, m in short[:6])
        more = f" and {len(short) - 6} more" if len(short) > 6 else ""
        detail = (
            f"{good} of {len(weeks)} weeks had at least {_fmt(rule.hours)} h ({what}); "
            f"{len(short)} short, {rule.allowed_short_weeks} allowed"
            + (f"; short weeks starting {listed}{more}" if short else "")
        )
    return RuleStatus(name, "weekly", status, good, len(weeks), "weeks", None, detail)


def evaluate(
    rules: Sequence[HoursRule], ledger: Ledger, hours: HoursConfig, today: date
) -> list[RuleStatus]:
    """The status of each rule for one trainee's ledger, in the order the rules are given.

    Only records dated inside the programme (``hours.start`` to ``hours.end``, where given)
    count; a rule's detail says when some were left out.
    """
    counted, outside = ledger.within(hours.start, hours.end)
    out_note = (
        f"{outside} record{'s' if outside != 1 else ''} dated outside the programme not counted"
        if outside
        else ""
    )
    results = []
    for rule in rules:
        if rule.kind == "weekly":
            results.append(_weekly(rule, counted, hours, today))
            continue
        unit: Literal["hours", "sessions"] = "hours"
        notes: list[str] = []
        if rule.kind == "total":
            actual, note = _total(rule, counted)
            target, name = rule.hours, rule.name or f"Supervision ({_formats_label(rule.formats)})"
            notes.append(note)
        elif rule.kind == "format":
            actual = _h(sum(s.minutes for s in counted.supervision if s.format == rule.format))
            target, name = rule.hours, rule.name or f"{FORMATS[rule.format]} supervision"
        elif rule.kind == "direct":
            actual = _h(sum(s.minutes or 0 for s in counted.sessions))
            target, name = rule.hours, rule.name or "Direct client contact"
            missing = sum(1 for s in counted.sessions if s.minutes is None)
            if missing:
                notes.append(f"{missing} session{'s' if missing != 1 else ''} without a length")
        elif rule.kind == "indirect":
            actual = _h(sum(e.minutes for e in counted.indirect))
            target, name = rule.hours, rule.name or "Indirect hours (trainee's log)"
        else:  # observed
            actual = sum(1 for s in counted.supervision if s.format in OBSERVED_FORMATS)
            target, name, unit = rule.sessions, rule.name or "Observed sessions", "sessions"
        status, expected = _pace(actual, target, hours.start, hours.end, today)
        numbers = f"{_fmt(actual)} of {_fmt(target)} {unit}"
        if expected is not None:
            numbers += f"; {_fmt(expected)} expected by {today.isoformat()}"
        detail = "; ".join(p for p in (numbers, *notes) if p)
        results.append(RuleStatus(name, rule.kind, status, actual, target, unit, expected, detail))
    if out_note:
        results = [
            RuleStatus(**{**r.__dict__, "detail": f"{r.detail}; {out_note}"}) for r in results
        ]
    return results
