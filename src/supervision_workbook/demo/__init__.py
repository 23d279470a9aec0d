"""A deterministic synthetic caseload, for Binder classes, demos and benchmarks.

Why archetypes rather than random numbers: a training program uses the demo to teach what
the charts mean, so every case follows a clinically plausible course that a supervisor
would recognise:

* ``improving``: the alliance starts modest and strengthens as goals and tasks are agreed;
* ``rupture_repair``: a rupture mid-treatment, partly repaired in its session, a visible dip
  in the client's ratings, then a follow-up in the next session that repairs it;
* ``unrepaired``: a salience-5 rupture left unrepaired, taken up without repair, the
  alliance drifting down, and a client risk concern that the next signed meeting answers;
* ``overrated``: the therapist rates the alliance about one item point above the client.
  Meta-analyses find the opposite on average, clients rating higher (Tryon, Blackwell &
  Hammel, 2007, d = .63; Lev Ari et al., 2025, g = .41), which is why this gap is worth a
  supervisor's attention; in the other cases therapists rate a little below their clients.

Everything is derived from ``random.Random(seed)``: the same seed gives the same ids,
dates, answers and text, so figures and tests are reproducible. No text contains real
identifiers; the text comes from small banks of synthetic phrases (``_text``) chosen to fit
what happened in the session. The cases themselves are built in ``_cases``; a large demo
is written by a process pool (``_pool``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ._cases import ARCHETYPES, generate
from ._course import cadence, meetings

if TYPE_CHECKING:
    from supervision_workbook.store import Workspace


@dataclass(frozen=True)
class DemoSpec:
    """How big a caseload to make."""

    trainees: int = 3
    cases: int = 2
    sessions: int = 8
    seed: int = 7
    start: date = date(2026, 1, 5)


#: A demo of at least this many reviews is written by a process pool (one worker per CPU):
#: below it, starting the workers costs more than they save.
POOL_FROM = 400


def write_demo(
    workspace_dir: Path,
    spec: DemoSpec,
    progress: Callable[[int], None] | None = None,
    *,
    workers: int | None = None,
) -> tuple[Workspace, int]:
    """Create (or reuse) a workspace at ``workspace_dir`` and fill it; returns (workspace, count).

    The index is rebuilt once at the end, in one transaction, rather than per save: that is
    what keeps a 10,000-review demo fast.

    ``workers``: processes that turn the reviews into files (default: one per CPU for a demo
    of :data:`POOL_FROM` reviews or more, else none: this process writes them). Either way
    the files are byte for byte the same (see ``_pool``).
    """
    from supervision_workbook.store import Workspace, init_workspace

    from ._pool import save_in_pool

    init_workspace(workspace_dir)
    from supervision_workbook.signing import install_demo_keys

    from ._course import SUPERVISORS

    install_demo_keys(workspace_dir, SUPERVISORS)
    ws = Workspace(workspace_dir)
    cfg = ws.config
    reviews = generate(
        spec,
        ws.instruments,
        cfg.client_instrument,
        cfg.therapist_instrument,
        cfg.supervision_instrument,
    )
    if workers is None:
        workers = (os.cpu_count() or 1) if expected_count(spec) >= POOL_FROM else 1
    if workers > 1:
        count = save_in_pool(ws, reviews, workers, progress)
    else:
        count = 0
        for review in reviews:
            ws.save(review, update_index=False)
            count += 1
            if progress is not None:
                progress(1)
    ws.index.rebuild()
    return ws, count


def expected_count(spec: DemoSpec) -> int:
    """How many reviews :func:`write_demo` writes: one per session, plus one case review per
    supervision meeting (weekly or fortnightly, by trainee)."""
    return sum(
        spec.cases * (spec.sessions + len(meetings(spec.sessions, cadence(t))))
        for t in range(spec.trainees)
    )


def archetype_of(case_index: int, trainee_index: int, cases: int) -> str:
    """Which course a case follows (exposed so tests can check plausibility per archetype)."""
    return ARCHETYPES[(trainee_index * cases + case_index) % len(ARCHETYPES)]


__all__: Sequence[str] = (
    "ARCHETYPES",
    "DemoSpec",
    "archetype_of",
    "expected_count",
    "generate",
    "write_demo",
)
