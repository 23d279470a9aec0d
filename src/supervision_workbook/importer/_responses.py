"""The same format written out: one row per response, with every item's answer.

Why here and not in ``export``: the scores CSV (``export --format csv``) is for analysis,
one row per score, and carries no item answers, so nothing can be rebuilt from it. This
writer is the importer's format in the other direction (``export --format responses``), so
a program can move scores between workspaces: a round trip gives back the same answers,
hence the same scores and the same alerts from them. A session's reflection is written as
one more row (the reflection instrument, its theme intensities as the items), so recurring
themes come back too. Like the scores CSV it carries no free text (notes, reflection
prompts, rupture descriptions), and no rupture log: unrepaired-rupture alerts do not
survive a round trip.

Each session is written once, from its current copy (the rule of
``store._caseload.merged_sessions``: a session also appears in every later case review,
and the most recently updated copy counts).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ._format import FIXED, FORMULA_START, SESSION_RESPONDENTS, reflection_form

if TYPE_CHECKING:
    from supervision_workbook.instruments import Instrument
    from supervision_workbook.model import Review


def _cell(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _text(value: str) -> str:
    """A name a spreadsheet would run as a formula is kept as text with an apostrophe
    (the reader takes it off again)."""
    return "'" + value if value and value[0] in FORMULA_START else value


def response_rows(
    reviews: Iterable[tuple[Path, Review]], instruments: Mapping[str, Instrument]
) -> list[list[str]]:
    """One row per rating response of each case's current sessions, in a stable order:
    trainee name, case code, session number, then as recorded. Cells in :data:`FIXED`
    order, followed by the answers."""
    from supervision_workbook.store._caseload import ReviewFacts, current_reviews, merged_sessions

    by_case: dict[
        tuple[str, str], tuple[list[ReviewFacts], list[tuple[str, int, str]], Review]
    ] = {}
    for path, review in reviews:
        key = (review.trainee.id, review.case.id)
        facts, sessions, _ = by_case.get(key, ([], [], review))
        facts.append(
            ReviewFacts(
                path=str(path),
                review_id=review.id,
                kind=review.kind.value,
                status=review.status.value,
                trainee_id=review.trainee.id,
                trainee_name=review.trainee.name,
                case_id=review.case.id,
                case_code=review.case.code,
                updated=review.updated,
                last_session_number=max((s.number for s in review.sessions), default=None),
                signoff_minutes=None,
                signoff_format=None,
            )
        )
        sessions.extend((str(path), s.number, s.model_dump_json()) for s in review.sessions)
        by_case[key] = (facts, sessions, review)
    rows: list[list[str]] = []
    order = sorted(by_case.values(), key=lambda v: (v[2].trainee.name.casefold(), v[2].case.code))
    for facts, sessions, review in order:
        for session in merged_sessions(current_reviews(facts), sessions):
            head = [
                _text(review.trainee.name),
                review.case.code,
                str(session.number),
                session.date.isoformat(),
            ]
            for response in session.responses:
                inst = instruments.get(response.instrument_id)
                if getattr(inst, "kind", None) != "rating":
                    continue
                if response.respondent not in SESSION_RESPONDENTS:
                    continue
                rows.append(
                    [
                        *head,
                        response.instrument_id,
                        response.respondent.value,
                        *(_cell(a) for a in response.answers),
                    ]
                )
            reflection = session.reflection
            form = reflection_form(reflection.themes, instruments) if reflection else None
            if reflection is not None and reflection.themes and form is not None:
                intensities = [reflection.themes.get(t.id) for t in form.themes]
                rows.append([*head, form.id, form.respondents[0].value, *map(_cell, intensities)])
    return rows


def write_responses(rows: Sequence[Sequence[str]], out: TextIO) -> int:
    """Write the header (as many item columns as the longest row needs) and the rows."""
    items = max((len(r) - len(FIXED) for r in rows), default=1)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*FIXED, *(f"item_{k}" for k in range(1, max(items, 1) + 1))])
    writer.writerows(rows)
    return len(rows)
