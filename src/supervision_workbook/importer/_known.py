"""What the workspace already holds, for the names, codes and sessions a file mentions.

Read from the index (a cache, refreshed first) and from drafts, which the index does not
hold: a trainee who added a case in the workbook and has only a draft so far already has
that case, and a session being written as a draft is already taken.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from supervision_workbook.store._layout import DRAFTS, REVIEWS, walk_artifacts

from ._format import reflection_form

if TYPE_CHECKING:
    from supervision_workbook.store import Workspace

log = logging.getLogger(__name__)


def name_key(name: str) -> str:
    """Names and codes are the same when they differ only in case and repeated spaces."""
    return " ".join(name.split()).casefold()


@dataclass
class Known:
    """What the workspace already holds, for the names and codes this file uses."""

    trainees: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    cases: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    records: dict[str, tuple[datetime, Path]] = field(default_factory=dict)  # id -> newest


def known_people(ws: Workspace) -> Known:
    """Trainees and cases from the index, and from drafts (not indexed): a trainee who
    added a case in the workbook and has only a draft so far has that case already."""
    from supervision_workbook.artifact import ArtifactError

    known = Known()
    facts = [
        (r.trainee_name, r.trainee_id, r.case_code, r.case_id, r.updated, r.path)
        for r in ws.index.reviews()
    ]
    for path in walk_artifacts(ws.path / DRAFTS):
        try:
            draft = ws.load(path).review
        except (ArtifactError, OSError) as exc:  # its case folder is checked again later
            log.info("import: skipping the unreadable draft %s: %s", path, exc)
            continue
        t, c = draft.trainee, draft.case
        facts.append((t.name, t.id, c.code, c.id, draft.updated, path))
    for name, trainee_id, code, case_id, updated, path in facts:
        known.trainees[name_key(name)].add(trainee_id)
        known.cases[(trainee_id, code.casefold())].add(case_id)
        for ident in (trainee_id, case_id):
            seen = known.records.get(ident)
            if seen is None or (updated, path) > seen:
                known.records[ident] = (updated, path)
    return known


def _recorded(ws: Workspace, trainee_id: str, case_id: str) -> dict[int, set[str]]:
    """Session number -> instrument ids, over the case's records and drafts. Raises the
    artifact error of a file that cannot be read (then nobody can tell what it holds)."""
    for bad, error in ws.index.problems():
        if bad.parent.name == case_id and bad.parent.parent.name == trainee_id:
            raise ValueError(f"{bad}: {error}")
    found: dict[int, set[str]] = defaultdict(set)
    for area in (REVIEWS, DRAFTS):
        for path in walk_artifacts(ws.path / area / trainee_id / case_id):
            for session in ws.load(path).review.sessions:
                found[session.number].update(r.instrument_id for r in session.responses)
                if session.reflection is not None and session.reflection.themes:
                    form = reflection_form(session.reflection.themes, ws.instruments)
                    found[session.number].add(form.id if form else "a reflection")
    return found


def recorded_sessions(ws: Workspace, trainee_id: str, case_id: str) -> dict[int, set[str]] | str:
    """Session number -> instrument ids the case already holds, or the reason it cannot be
    told (a damaged file in the case's folder): then its rows are bad, not guessed at."""
    from supervision_workbook.artifact import ArtifactError

    try:
        return _recorded(ws, trainee_id, case_id)
    except (ArtifactError, OSError, ValueError) as exc:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
