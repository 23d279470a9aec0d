"""A deterministic synthetic caseload, for Binder classes, demos and benchmarks.

Why archetypes rather than random numbers: a training program uses the demo to teach what
the charts mean, so every case follows a clinically plausible course that a supervisor
would recognise:

* ``improving``: the alliance starts modest and strengthens as goals and tasks are agreed;
* ``rupture_repair``: a withdrawal or confrontation rupture mid-treatment, a visible dip in
  the client's ratings, then repair (the strategies are logged and the alliance recovers);
* ``unrepaired``: a rupture that stays unresolved, with the alliance drifting down;
* ``overrated``: the therapist rates the alliance well above the client (divergence), a
  pattern the literature describes as common.

Everything is derived from ``random.Random(seed)``: the same seed gives the same ids,
dates, answers and text, so figures and tests are reproducible. No text contains real
identifiers; the reflections are drawn from a small bank of synthetic phrases.
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from .model import (
    ActionItem,
    Case,
    InstrumentResponse,
    Reflection,
    Resolved,
    Respondent,
    Review,
    ReviewKind,
    Rupture,
    RuptureType,
    SessionEntry,
    SignOff,
    Status,
    SupervisionCheckin,
    Trainee,
)

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from .instruments import Instrument, RatingInstrument
    from .store import Workspace

ARCHETYPES = ("improving", "rupture_repair", "unrepaired", "overrated")

_FIRST = ("Avery", "Jordan", "Riley", "Morgan", "Quinn", "Rowan", "Sasha", "Taylor", "Kai", "Noor")
_LAST = ("Demo", "Sample", "Example", "Fictive", "Placeholder")
_SUPERVISORS = ("Dr. Demo Supervisor", "Dr. Sample Supervisor")

_FELT = (
    "I noticed I was talking faster than usual and filling the silences.",
    "I felt a pull to reassure rather than to explore.",
    "I felt warm and protective, and wondered whose need that was.",
    "I felt tested, as if any answer would be the wrong one.",
    "I felt flat and a little distant in the second half.",
    "I felt pleased with the session and a bit wary of that pleasure.",
)
_WHEN = (
    "When the client described the week at work.",
    "When we set the agenda at the start.",
    "When I suggested the between-session task.",
    "Towards the end, when we talked about the break.",
)
_MEANING = (
    "It may echo how others respond when the client withdraws.",
    "Possibly a re-enactment of being criticised for needing help.",
    "I am not sure yet; I want to think about it in supervision.",
)
_BRING = (
    "How to name the rupture without making the client feel blamed.",
    "Whether my reassurance closed down something important.",
    "Pacing: are we moving to tasks before agreeing on goals?",
    "My own reaction when the client cancelled last week.",
)
_RUPTURE_NOTES = (
    "Client went quiet and answered in single words after I proposed the homework.",
    "Client said the sessions were not helping and questioned my experience.",
    "Client changed topic each time we approached the agreed focus.",
)


@dataclass(frozen=True)
class DemoSpec:
    """How big a caseload to make."""

    trainees: int = 3
    cases: int = 2
    sessions: int = 8
    seed: int = 7
    start: date = date(2026, 1, 5)


class _Ids:
    """Deterministic ids in the same shape as :func:`model.new_id`."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def __call__(self, prefix: str) -> str:
        return f"{prefix}-{self._rng.getrandbits(40):010x}"


def _clamp_to_scale(value: float, inst: RatingInstrument) -> float:
    lo, hi, step = inst.scale.min, inst.scale.max, inst.scale.step
    snapped = round(round((value - lo) / step) * step + lo, 6)
    snapped = min(hi, max(lo, snapped))
    return int(snapped) if float(snapped).is_integer() and step >= 1 else snapped


def _answers(
    inst: RatingInstrument, level: float, rng: random.Random, jitter: float = 0.35
) -> list[float | None]:
    """Answers whose scored (reverse-corrected) values sit near ``level`` in 0..1 of the scale."""
    lo, hi = inst.scale.min, inst.scale.max
    out: list[float | None] = []
    for item in inst.items:
        target = lo + (hi - lo) * min(1.0, max(0.0, level + rng.uniform(-jitter, jitter) * 0.25))
        raw = lo + hi - target if item.reverse else target
        out.append(_clamp_to_scale(raw, inst))
    return out


def _course(archetype: str, n: int, rng: random.Random) -> tuple[list[float], list[float], int]:
    """Client and therapist alliance levels (0..1) per session, and the rupture session."""
    rupture_at = max(2, min(n, n // 2 + rng.choice((-1, 0, 1))))
    client: list[float] = []
    for i in range(1, n + 1):
        t = (i - 1) / max(1, n - 1)
        if archetype == "improving":
            level = 0.5 + 0.35 * t
        elif archetype == "rupture_repair":
            level = 0.7 + 0.1 * t
            if i == rupture_at:
                level -= 0.35
            elif i == rupture_at + 1:
                level -= 0.12
        elif archetype == "unrepaired":
            level = 0.75 - (0.0 if i < rupture_at else 0.3 + 0.04 * (i - rupture_at))
        else:  # overrated
            level = 0.5 + 0.05 * t
        client.append(level)
    if archetype == "overrated":
        therapist = [min(0.98, c + 0.4) for c in client]
    else:
        therapist = [min(0.95, c + rng.uniform(0.0, 0.12)) for c in client]
    return client, therapist, rupture_at


def _rupture(
    archetype: str, ids: _Ids, rng: random.Random, log: Instrument | None, resolved: Resolved
) -> Rupture:
    rtype = rng.choice((RuptureType.withdrawal, RuptureType.confrontation))
    markers: list[str] = []
    strategies: list[str] = []
    if log is not None:
        pool = [m.id for m in getattr(log, f"{rtype.value}_markers", [])]
        markers = sorted(rng.sample(pool, k=min(2, len(pool)))) if pool else []
        spool = [s.id for s in getattr(log, "strategies", [])]
        strategies = sorted(rng.sample(spool, k=min(2, len(spool)))) if spool else []
    return Rupture(
        id=ids("ru"),
        type=rtype,
        markers=markers,
        salience=rng.randint(3, 5) if archetype != "improving" else 2,
        strategies=strategies if resolved is not Resolved.no else strategies[:1],
        resolved=resolved,
        description=rng.choice(_RUPTURE_NOTES),
    )


def _reflection(
    ids: _Ids, rng: random.Random, inst: Instrument | None, strong: str | None
) -> Reflection:
    themes: dict[str, int] = {}
    prompts: dict[str, str] = {}
    if inst is not None:
        for theme in getattr(inst, "themes", []):
            themes[theme.id] = rng.choice((0, 0, 1, 1, 2))
        if strong and strong in themes:
            themes[strong] = rng.choice((3, 4))
        bank = (_FELT, _WHEN, _MEANING, _BRING)
        for i, prompt in enumerate(getattr(inst, "prompts", [])):
            prompts[prompt.id] = rng.choice(bank[i % len(bank)])
    return Reflection(id=ids("rf"), themes=themes, prompts=prompts, free_text=rng.choice(_FELT))


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.utc)


def generate(
    spec: DemoSpec,
    instruments: dict[str, Instrument],
    config_client: str,
    config_therapist: str,
    config_supervision: str,
) -> Iterator[Review]:
    """Yield every review of the synthetic caseload, in a stable order."""
    rng = random.Random(spec.seed)  # noqa: S311 - synthetic data must be reproducible, not secret
    ids = _Ids(rng)
    client_inst = instruments[config_client]
    therapist_inst = instruments[config_therapist]
    sup_inst = instruments.get(config_supervision)
    log = instruments.get("rupture-log")
    ct = instruments.get("countertransference")
    theme_ids = [t.id for t in getattr(ct, "themes", [])] if ct is not None else []

    for t in range(spec.trainees):
        trainee = Trainee(
            id=ids("tr"),
            name=f"{_FIRST[t % len(_FIRST)]} {_LAST[(t // len(_FIRST)) % len(_LAST)]}"
            + (f" {t // (len(_FIRST) * len(_LAST)) + 1}" if t >= len(_FIRST) * len(_LAST) else ""),
            supervisor=_SUPERVISORS[t % len(_SUPERVISORS)],
        )
        for c in range(spec.cases):
            archetype = ARCHETYPES[(t * spec.cases + c) % len(ARCHETYPES)]
            case = Case(
                id=ids("cs"),
                code=f"C-{100 + t * spec.cases + c + 1:03d}",
                trainee_id=trainee.id,
                opened=spec.start + timedelta(days=c),
            )
            client_lv, ther_lv, rupture_at = _course(archetype, spec.sessions, rng)
            strong_theme = rng.choice(theme_ids) if theme_ids and archetype != "improving" else None
            sessions: list[SessionEntry] = []
            for i in range(1, spec.sessions + 1):
                day = case.opened + timedelta(days=7 * (i - 1)) if case.opened else spec.start
                ruptures: list[Rupture] = []
                if archetype in ("rupture_repair", "unrepaired") and i == rupture_at:
                    resolved = Resolved.yes if archetype == "rupture_repair" else Resolved.no
                    ruptures.append(_rupture(archetype, ids, rng, log, resolved))
                elif archetype == "unrepaired" and i == rupture_at + 1:
                    ruptures.append(_rupture(archetype, ids, rng, log, Resolved.partly))
                elif rng.random() < 0.12:
                    ruptures.append(_rupture(archetype, ids, rng, log, Resolved.yes))
                recurring = strong_theme if i > spec.sessions // 3 else None
                session = SessionEntry(
                    id=ids("se"),
                    number=i,
                    date=day,
                    responses=[
                        InstrumentResponse(
                            id=ids("rs"),
                            instrument_id=client_inst.id,
                            respondent=Respondent.client,
                            answers=_answers(client_inst, client_lv[i - 1], rng),
                        ),
                        InstrumentResponse(
                            id=ids("rs"),
                            instrument_id=therapist_inst.id,
                            respondent=Respondent.therapist,
                            answers=_answers(therapist_inst, ther_lv[i - 1], rng),
                        ),
                    ],
                    ruptures=ruptures,
                    reflection=_reflection(ids, rng, ct, recurring),
                    bring_to_supervision=rng.choice(_BRING),
                )
                sessions.append(session)
                yield Review(
                    id=ids("rv"),
                    kind=ReviewKind.session,
                    status=Status.submitted,
                    trainee=trainee,
                    case=case,
                    created=_at(day, 17),
                    updated=_at(day, 18),
                    sessions=[session],
                )
            yield _case_review(spec, ids, rng, trainee, case, sessions, sup_inst, c)


def _case_review(
    spec: DemoSpec,
    ids: _Ids,
    rng: random.Random,
    trainee: Trainee,
    case: Case,
    sessions: list[SessionEntry],
    sup_inst: Instrument | None,
    c: int,
) -> Review:
    """The supervision meeting after the latest session; every other case is signed off."""
    meeting = sessions[-1].date + timedelta(days=2)
    checkin = None
    if sup_inst is not None:
        checkin = SupervisionCheckin(
            id=ids("ci"),
            date=meeting,
            responses=[
                InstrumentResponse(
                    id=ids("rs"),
                    instrument_id=sup_inst.id,
                    respondent=who,
                    answers=_answers(sup_inst, rng.uniform(0.65, 0.9), rng),
                )
                for who in (Respondent.supervisor, Respondent.supervisee)
            ],
        )
    signed = c % 2 == 0
    review = Review(
        id=ids("rv"),
        kind=ReviewKind.case_review,
        status=Status.reviewed,
        trainee=trainee,
        case=case,
        created=_at(meeting, 10),
        updated=_at(meeting, 11),
        sessions=sessions,
        supervisor_notes="Reviewed the binocular view together; discussed the flagged sessions.",
        checkin=checkin,
        goals="Agree a shared focus with the client for the next four sessions.",
        tasks="Open each session by checking in on how the last one landed.",
        action_items=[
            ActionItem(
                id=ids("ai"), text="Invite feedback on the alliance at the end of each session."
            ),
            ActionItem(
                id=ids("ai"), text="Bring a recording segment of the next difficult moment."
            ),
        ],
    )
    if not signed:
        return review
    from .artifact import integrity
    from .signing import demo_key

    supervisor = trainee.supervisor or _SUPERVISORS[0]
    return integrity.sign_off(
        review,
        SignOff(
            id=ids("so"),
            supervisor=supervisor,
            signed_at=_at(meeting, 12),
            minutes=rng.choice((45, 60, 90)),
            format="individual" if rng.random() < 0.7 else "group",
            meeting_date=meeting,
        ),
        key=demo_key(supervisor),
    )


#: A demo of at least this many reviews is written by a process pool (one worker per CPU):
#: below it, starting the workers costs more than they save.
POOL_FROM = 400
#: Reviews per task sent to a worker (fewer round trips; small enough to share the work).
_BATCH = 25


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
    every review is generated here, in order, from the seed; a worker only saves it, and a
    saved file depends on nothing but the review and the workspace's configuration, so the
    files are byte for byte the same whatever the number of workers. Most of a save is
    building the notebook and waiting for fsync, which processes overlap on every core.
    """
    from .store import Workspace, init_workspace

    init_workspace(workspace_dir)
    from .signing import install_demo_keys

    install_demo_keys(workspace_dir, _SUPERVISORS)
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
        count = _save_in_pool(ws, reviews, workers, progress)
    else:
        count = 0
        for review in reviews:
            ws.save(review, update_index=False)
            count += 1
            if progress is not None:
                progress(1)
    ws.index.rebuild()
    return ws, count


# --- writing with a process pool -------------------------------------------------------------
_worker_ws: Workspace | None = None


def _start_worker(workspace_dir: str) -> None:
    """Each worker opens the workspace once (configuration and instruments read once)."""
    global _worker_ws  # one workspace per worker process, by design
    from .store import Workspace

    _worker_ws = Workspace(Path(workspace_dir))


def _save_batch(batch: list[Review]) -> int:
    """Save ``batch`` in order; the number saved (short of ``len(batch)`` when one failed:
    the parent then saves the rest itself, so that an error is raised as a save raises it,
    whatever it is, rather than as it survives pickling)."""
    if _worker_ws is None:
        raise RuntimeError("demo worker used before _start_worker ran")
    for done, review in enumerate(batch):
        try:
            _worker_ws.save(review, update_index=False)
        except Exception:
            return done
    return len(batch)


def _batches(reviews: Iterable[Review], size: int) -> Iterator[list[Review]]:
    batch: list[Review] = []
    for review in reviews:
        batch.append(review)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _context() -> BaseContext:
    """How to start the workers. "fork" where it is safe (Linux, a parent with one thread,
    such as the command line): instant, and it works from a script without an
    ``if __name__ == "__main__"`` guard. Otherwise "forkserver" or "spawn": forking a parent
    that has threads (a kernel) can deadlock the child, and macOS and Windows do not fork."""
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _save_in_pool(
    ws: Workspace,
    reviews: Iterable[Review],
    workers: int,
    progress: Callable[[int], None] | None,
) -> int:
    """Save ``reviews`` with ``workers`` processes, generating only a few batches ahead (a
    10,000-review demo is never all in memory at once)."""
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=_start_worker,
        initargs=(str(ws.path),),
    )
    pending: dict[Future[int], list[Review]] = {}
    count = 0

    def collect(done: Iterable[Future[int]]) -> int:
        saved = 0
        for future in done:
            batch = pending.pop(future)
            n = future.result()
            for review in batch[n:]:  # what the worker could not save: raise it here
                ws.save(review, update_index=False)
            saved += len(batch)
            if progress is not None:
                progress(len(batch))
        return saved

    try:
        for batch in _batches(reviews, _BATCH):
            pending[pool.submit(_save_batch, batch)] = batch
            if len(pending) >= 4 * workers:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                count += collect(done)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            count += collect(done)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return count


def expected_count(spec: DemoSpec) -> int:
    """How many reviews :func:`write_demo` writes: one per session plus one per case."""
    return spec.trainees * spec.cases * (spec.sessions + 1)


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
