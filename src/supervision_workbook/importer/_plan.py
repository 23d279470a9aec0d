"""From checked rows to the session reviews an import would write, without writing any.

Why a plan first: the import writes nothing unless every row is good, so everything that
can be wrong is found before the first save. That includes what only the workspace can
tell: which trainee and case a name and a code mean, and which sessions are already
recorded.

The rules, in one place:

* **One session review per trainee, case and session number.** Rows for the same session
  (different instruments or respondents) become one review, saved as a submitted session,
  exactly as the supervisee workbook's Submit saves one. A reflection row (theme
  intensities) becomes the session's reflection, without its written prompts. Names and
  codes are compared ignoring case and repeated spaces; the first spelling is kept.
* **Created on first sight.** A trainee name or case code the workspace does not know
  becomes a new trainee or case (a case opens on its earliest imported session). A known one
  is reused with the record its latest review carries, so the supervisor's name stays.
* **Never replace, never add to, a recorded session.** A session number the case already
  has in ``reviews/``, or in a draft someone is writing, is a conflict: its rows are skipped
  and reported. The import never edits a review: adding an instrument to a recorded session
  would need a new copy of that session, and the newest copy would hide the older one's
  answers.
* **A session is imported whole or not at all.** With ``--skip-bad``, the good rows of a
  session that also has a bad row are held back with it, so fixing the row and importing
  again brings the whole session in one review rather than meeting a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from supervision_workbook.model import (
    Case,
    InstrumentResponse,
    Reflection,
    Review,
    ReviewKind,
    SessionEntry,
    Status,
    Trainee,
    new_id,
    utcnow,
)

from ._format import ParsedFile, ResponseRow, RowProblem
from ._known import Known, known_people, name_key, recorded_sessions

if TYPE_CHECKING:
    from supervision_workbook.store import Workspace


@dataclass
class Plan:
    """What an import would do. ``problems`` are bad rows (nothing is written while there
    are any, unless the caller skips them); ``held`` are good rows held back with a bad row
    of their session; ``conflicts`` are rows for sessions already recorded."""

    source: str
    reviews: list[Review] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    held: list[RowProblem] = field(default_factory=list)
    conflicts: list[RowProblem] = field(default_factory=list)
    new_trainees: int = 0
    new_cases: int = 0

    @property
    def responses(self) -> int:
        """Forms imported: rating responses, and reflections (theme intensities)."""
        return sum(
            len(s.responses) + (s.reflection is not None) for r in self.reviews for s in r.sessions
        )


def plan_import(ws: Workspace, parsed: ParsedFile, *, now: datetime | None = None) -> Plan:
    """Check ``parsed`` against the workspace and build the reviews to save (nothing saved)."""
    now = now or utcnow()
    plan = Plan(parsed.source, problems=list(parsed.problems))
    groups: dict[tuple[str, str, int], list[ResponseRow]] = {}
    for row in parsed.rows:
        groups.setdefault(row.session_key, []).append(row)
    bad_keys = {_typed_key(k) for k in parsed.bad_lines.values()}
    bad_groups = {key for key in groups if key in bad_keys}
    bad_groups |= _inconsistent(parsed.source, groups, plan.problems)

    opened: dict[tuple[str, str], date] = {}
    for row in parsed.rows:
        case_key = row.session_key[:2]
        opened[case_key] = min(opened.get(case_key, row.date), row.date)

    ws.index.refresh()
    known = known_people(ws)
    trainees: dict[str, Trainee] = {}
    cases: dict[tuple[str, str], Case] = {}
    recorded: dict[tuple[str, str], dict[int, set[str]] | str] = {}
    for key, rows in groups.items():
        if key in bad_groups:
            continue  # held back: its trainee and case are not created for it either
        first = rows[0]
        where = f"session {first.session} of case {first.case} ({first.trainee})"
        trainee, problem = _trainee(ws, known, trainees, first, plan)
        case = None
        if trainee is not None:
            case, problem = _case(ws, known, cases, trainee, rows, plan, opened)
        if problem is not None:
            plan.problems.extend(
                RowProblem(plan.source, r.line, problem[0], problem[1]) for r in rows
            )
            bad_groups.add(key)
            continue
        if case is None or trainee is None:  # pragma: no cover - a problem was reported
            continue
        ids = (trainee.id, case.id)
        if ids not in recorded:
            recorded[ids] = recorded_sessions(ws, *ids) if case.id in known.records else {}
        sessions = recorded[ids]
        if isinstance(sessions, str):
            message = f"cannot tell which sessions case {first.case} already has: {sessions}"
            plan.problems.extend(RowProblem(plan.source, r.line, "case", message) for r in rows)
            bad_groups.add(key)
            continue
        if first.session in sessions:
            _conflicts(plan, rows, where, sessions[first.session])
            continue
        plan.reviews.append(_review(trainee, case, rows, now))
    for key in bad_groups & groups.keys():
        rows = groups[key]
        own = {p.line for p in plan.problems} & {r.line for r in rows}
        lines = sorted(
            own | {n for n, typed in parsed.bad_lines.items() if _typed_key(typed) == key}
        )
        for row in rows:
            if row.line not in own:
                why = f"held back with line {lines[0]}, a bad row of the same session"
                plan.held.append(RowProblem(plan.source, row.line, "session", why))
    plan.problems.sort(key=lambda p: p.line)
    plan.held.sort(key=lambda p: p.line)
    return plan


def _typed_key(typed: tuple[str, str, str]) -> tuple[str, str, int | None]:
    name, code, session = typed
    return (name, code, int(session) if session.isdigit() else None)


def _inconsistent(
    source: str, groups: dict[tuple[str, str, int], list[ResponseRow]], problems: list[RowProblem]
) -> set[tuple[str, str, int]]:
    """Sessions whose rows disagree on the date or give one response twice."""
    bad: set[tuple[str, str, int]] = set()
    for key, rows in groups.items():
        first = rows[0]
        seen: dict[tuple[str, str], int] = {}
        for row in rows:
            if row.date != first.date:
                problems.append(
                    RowProblem(
                        source,
                        row.line,
                        "date",
                        f"{row.date}, but line {first.line} dates session {row.session} of "
                        f"case {row.case} {first.date}",
                    )
                )
                bad.add(key)
            pair = (row.instrument_id, row.respondent.value)
            if pair in seen:
                problems.append(
                    RowProblem(
                        source,
                        row.line,
                        "instrument",
                        f"line {seen[pair]} already gives {row.instrument_id} from the "
                        f"{row.respondent.value} for session {row.session} of case {row.case}",
                    )
                )
                bad.add(key)
            elif row.themes is not None and (other := _first_reflection(rows)) is not row:
                message = (
                    f"line {other.line} already gives the reflection of session "
                    f"{row.session} of case {row.case}; a session holds one"
                )
                problems.append(RowProblem(source, row.line, "instrument", message))
                bad.add(key)
            seen.setdefault(pair, row.line)
    return bad


def _first_reflection(rows: list[ResponseRow]) -> ResponseRow | None:
    return next((r for r in rows if r.themes is not None), None)


def _trainee(
    ws: Workspace, known: Known, made: dict[str, Trainee], row: ResponseRow, plan: Plan
) -> tuple[Trainee | None, tuple[str, str] | None]:
    key = name_key(row.trainee)
    if key in made:
        return made[key], None
    ids = known.trainees.get(key, set())
    if len(ids) > 1:
        return None, (
            "trainee",
            f"{len(ids)} trainees in this workspace are named {row.trainee!r}; "
            "the import cannot tell which one is meant",
        )
    if ids:
        (trainee_id,) = ids
        trainee = ws.load(known.records[trainee_id][1]).review.trainee
    else:
        trainee = Trainee(id=new_id("tr"), name=row.trainee)
        plan.new_trainees += 1
    made[key] = trainee
    return trainee, None


def _case(
    ws: Workspace,
    known: Known,
    made: dict[tuple[str, str], Case],
    trainee: Trainee,
    rows: list[ResponseRow],
    plan: Plan,
    opened: dict[tuple[str, str], date],
) -> tuple[Case | None, tuple[str, str] | None]:
    code = rows[0].case
    key = (trainee.id, code.casefold())
    if key in made:
        return made[key], None
    ids = known.cases.get(key, set())
    if len(ids) > 1:
        return None, ("case", f"{trainee.name} has {len(ids)} cases coded {code}")
    if ids:
        (case_id,) = ids
        case = ws.load(known.records[case_id][1]).review.case
    else:
        first = opened[rows[0].session_key[:2]]
        case = Case(id=new_id("case"), code=code, trainee_id=trainee.id, opened=first)
        plan.new_cases += 1
    made[key] = case
    return case, None


def _conflicts(plan: Plan, rows: list[ResponseRow], where: str, held: set[str]) -> None:
    for row in rows:
        if row.instrument_id in held:
            why = f"{where} is already recorded with {row.instrument_id}"
        else:
            why = (
                f"{where} is already recorded (without {row.instrument_id}); the import "
                "never adds to a recorded session: enter it in the supervisee workbook"
            )
        plan.conflicts.append(
            RowProblem(plan.source, row.line, "session", f"{why}; skipped, nothing was replaced")
        )


def _review(trainee: Trainee, case: Case, rows: list[ResponseRow], now: datetime) -> Review:
    """A submitted session review, as the supervisee workbook's Submit builds one."""
    first = rows[0]
    session = SessionEntry(
        id=new_id("se"),
        number=first.session,
        date=first.date,
        responses=[
            InstrumentResponse(
                id=new_id("rs"),
                instrument_id=row.instrument_id,
                respondent=row.respondent,
                answers=list(row.answers),
            )
            for row in rows
            if row.themes is None
        ],
        reflection=next((_reflection(row) for row in rows if row.themes is not None), None),
    )
    return Review(
        id=new_id("rv"),
        kind=ReviewKind.session,
        status=Status.submitted,
        trainee=trainee,
        case=case,
        created=now,
        updated=now,
        sessions=[session],
    )


def _reflection(row: ResponseRow) -> Reflection:
    """Theme intensities only: a reflection's prompts and notes are free text, not in the file."""
    themes = {
        t: int(v) for t, v in zip(row.themes or (), row.answers, strict=True) if v is not None
    }
    return Reflection(id=new_id("rf"), themes=themes)
