"""The synthetic caseload that Binder classes and demos start from.

A training program teaches with these cases, so they must look like real courses of
treatment: some improve, some dip and are repaired, some go unrepaired.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from supervision_workbook.alerts import case_alerts
from supervision_workbook.demo import ARCHETYPES, DemoSpec, archetype_of, expected_count, write_demo
from supervision_workbook.model import Resolved, ReviewKind, RuptureType, Status
from supervision_workbook.scoring import score
from supervision_workbook.store import ConflictError


@pytest.fixture(scope="module")
def caseload(tmp_path_factory: pytest.TempPathFactory):
    spec = DemoSpec(trainees=3, cases=2, sessions=8, seed=11)
    ws, count = write_demo(tmp_path_factory.mktemp("demo") / "ws", spec)
    reviews = [ws.load(p).review for p in ws.iter_artifacts()]
    return spec, ws, count, reviews


def _case_reviews(reviews):
    """The latest case review (meeting) of each case."""
    latest = {}
    for r in sorted(reviews, key=lambda r: r.updated):
        if r.kind is ReviewKind.case_review:
            latest[r.case.code] = r
    return latest


def _client_series(ws, review) -> list[float]:
    inst = ws.instruments[ws.config.client_instrument]
    out = []
    for s in review.sessions:
        resp = next(r for r in s.responses if r.respondent.value == "client")
        out.append(score(inst, resp.answers).total.mean)
    return out


def test_demo_writes_one_review_per_session_and_one_case_review_per_meeting(caseload) -> None:
    spec, _ws, count, reviews = caseload
    # Trainees 1 and 3 meet fortnightly (4 meetings per case), trainee 2 weekly (8).
    assert count == expected_count(spec) == 3 * 2 * 8 + 2 * (4 + 8 + 4)
    assert len(reviews) == count
    assert sum(r.kind is ReviewKind.case_review for r in reviews) == 32


def test_supervision_meets_weekly_or_fortnightly_so_the_hours_grow_over_time(caseload) -> None:
    *_, reviews = caseload
    meetings: dict[str, list] = {}
    for r in reviews:
        if r.kind is ReviewKind.case_review:
            meetings.setdefault(r.case.code, []).append(r.checkin.date)
    for code, dates in meetings.items():
        gaps = {(b - a).days for a, b in itertools.pairwise(sorted(dates))}
        assert gaps in ({7}, {14}), f"{code} meets every {gaps} days"
    signed = [r for r in reviews if r.signoff is not None]
    assert len({r.signoff.signed_at.date() for r in signed}) > 4  # a course, not one point


def test_some_case_reviews_are_signed_off_and_some_are_not(caseload) -> None:
    *_, reviews = caseload
    statuses = [r.status for r in _case_reviews(reviews).values()]
    assert Status.signed_off in statuses
    assert Status.reviewed in statuses
    for r in _case_reviews(reviews).values():
        if r.status is Status.signed_off:
            assert r.signoff is not None and r.signoff.minutes > 0


def test_the_same_seed_gives_the_same_caseload(tmp_path: Path) -> None:
    spec = DemoSpec(trainees=1, cases=2, sessions=3, seed=5)
    a, _ = write_demo(tmp_path / "a", spec)
    b, _ = write_demo(tmp_path / "b", spec)
    files_a = sorted(
        p.relative_to(a.path / "reviews") for p in (a.path / "reviews").rglob("*.ipynb")
    )
    files_b = sorted(
        p.relative_to(b.path / "reviews") for p in (b.path / "reviews").rglob("*.ipynb")
    )
    assert files_a == files_b
    for rel in files_a:
        assert (a.path / "reviews" / rel).read_bytes() == (b.path / "reviews" / rel).read_bytes()


def reviews_folder(ws) -> dict[Path, bytes]:
    root = ws.path / "reviews"
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*.ipynb"))}


def test_a_large_demo_written_by_several_processes_is_byte_for_byte_the_same(
    tmp_path: Path,
) -> None:
    # Three tasks of 25 reviews each, shared between two workers: the files (and the
    # caseload built from them) must not depend on who wrote what, or in what order.
    spec = DemoSpec(trainees=2, cases=3, sessions=11, seed=5)
    alone, count = write_demo(tmp_path / "alone", spec, workers=1)
    shared, shared_count = write_demo(tmp_path / "shared", spec, workers=2)
    assert count == shared_count == expected_count(spec) == 3 * (11 + 6) + 3 * (11 + 11)
    assert reviews_folder(alone) == reviews_folder(shared)
    assert alone.index.caseload() == shared.index.caseload()


def test_progress_counts_every_review_when_processes_write_them(tmp_path: Path) -> None:
    spec = DemoSpec(trainees=1, cases=3, sessions=9, seed=2)
    seen: list[int] = []
    _ws, count = write_demo(tmp_path / "ws", spec, progress=seen.append, workers=2)
    assert sum(seen) == count == 3 * (9 + 5)


@pytest.mark.parametrize("workers", [1, 2])
def test_writing_a_demo_over_itself_is_a_conflict_not_a_silent_overwrite(
    tmp_path: Path, workers: int
) -> None:
    spec = DemoSpec(trainees=1, cases=3, sessions=9, seed=4)
    ws, _ = write_demo(tmp_path / "ws", spec, workers=1)
    before = reviews_folder(ws)
    with pytest.raises(ConflictError, match="changed on disk since it was loaded"):
        write_demo(tmp_path / "ws", spec, workers=workers)
    assert reviews_folder(ws) == before


def test_trajectories_are_clinically_plausible(caseload) -> None:
    spec, ws, _, reviews = caseload
    by_code = _case_reviews(reviews)
    alerts_cfg = ws.config.alerts
    seen = set()
    for t in range(spec.trainees):
        for c in range(spec.cases):
            code = f"C-{100 + t * spec.cases + c + 1:03d}"
            review = by_code[code]
            arche = archetype_of(c, t, spec.cases)
            seen.add(arche)
            series = _client_series(ws, review)
            rules = {a.rule for a in case_alerts(review.sessions, ws.instruments, alerts_cfg)}
            ruptures = [r for s in review.sessions for r in s.ruptures]
            if arche == "improving":
                assert series[-1] > series[0], f"{code} should improve: {series}"
            elif arche == "rupture_repair":
                low = series.index(min(series))
                assert 0 < low < len(series) - 1, f"{code} dip should be mid-course: {series}"
                assert series[-1] > min(series)
                # Partly repaired in its session, repaired by a follow-up in the next one.
                assert any(r.resolved is Resolved.partly for r in ruptures)
                follow_ups = [f for s in review.sessions for f in s.follow_ups]
                assert [f.resolved for f in follow_ups] == [Resolved.yes]
            elif arche == "unrepaired":
                assert series[-1] < series[0]
                assert any(r.resolved is Resolved.no for r in ruptures)
                assert "unrepaired_rupture" in rules
            elif arche == "overrated":
                assert "divergence" in rules
    assert seen == set(ARCHETYPES)


@pytest.mark.slow
def test_the_issue_demo_validates_and_every_artifact_passes_strict_nbval(tmp_path: Path) -> None:
    """`demo ws --trainees 3 --cases 2 --sessions 8`: every artifact is a valid notebook that
    `validate` accepts and that re-executes to its own stored outputs (strict nbval)."""
    import subprocess
    import sys

    import nbformat
    from tests.fixtures.nbval import run_strict_nbval

    bin_dir = Path(sys.executable).parent
    ws = tmp_path / "ws"
    subprocess.run(
        [bin_dir / "supervision-workbook", "demo", str(ws), "--trainees", "3", "--cases", "2",
         "--sessions", "8"],
        check=True, capture_output=True,
    )  # fmt: skip
    files = sorted((ws / "reviews").rglob("*.ipynb"))
    assert len(files) == expected_count(DemoSpec(trainees=3, cases=2, sessions=8)) == 80
    for f in files:
        nbformat.validate(nbformat.read(f, as_version=4))
    check = subprocess.run(
        [bin_dir / "supervision-workbook", "validate", str(ws)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout
    nbval = run_strict_nbval(ws / "reviews", tmp_path)
    assert nbval.returncode == 0, nbval.stdout[-3000:]
    assert " failed" not in nbval.stdout and " passed" in nbval.stdout


# --- what a supervisor would recognise ------------------------------------------------------


@pytest.fixture(scope="module")
def issue_demo():
    """`demo --trainees 3 --cases 2 --sessions 8 --seed 7`, generated in memory."""
    from supervision_workbook.config import WorkspaceConfig
    from supervision_workbook.demo import generate
    from supervision_workbook.instruments import load_instruments

    cfg, instruments = WorkspaceConfig(), load_instruments()
    spec = DemoSpec(trainees=3, cases=2, sessions=8, seed=7)
    reviews = list(
        generate(
            spec,
            instruments,
            cfg.client_instrument,
            cfg.therapist_instrument,
            cfg.supervision_instrument,
        )
    )
    return spec, instruments, cfg, _case_reviews(reviews)


def _mean(instruments, response) -> float:
    return score(instruments[response.instrument_id], response.answers).total.mean


def test_no_session_of_the_demo_shows_more_than_four_flags(issue_demo) -> None:
    _spec, instruments, cfg, latest = issue_demo
    for code, review in latest.items():
        alerts = case_alerts(review.sessions, instruments, cfg.alerts)
        per_session: dict[int, int] = {}
        for a in alerts:
            per_session[a.session_number] = per_session.get(a.session_number, 0) + 1
        assert max(per_session.values(), default=0) <= 4, (code, per_session)


def test_clients_answer_differently_across_items_and_sessions(issue_demo) -> None:
    *_, latest = issue_demo
    for code, review in latest.items():
        client_answers = [
            tuple(r.answers)
            for s in review.sessions
            for r in s.responses
            if r.respondent.value == "client"
        ]
        assert len(set(client_answers)) > len(client_answers) // 2, code
        assert sum(len(set(a)) > 1 for a in client_answers) >= len(client_answers) - 2, code


def test_therapists_rate_a_little_below_their_clients_except_in_the_overrated_case(
    issue_demo,
) -> None:
    spec, instruments, _cfg, latest = issue_demo
    usual, below, overrated = [], 0, []
    for t in range(spec.trainees):
        for c in range(spec.cases):
            review = latest[f"C-{100 + t * spec.cases + c + 1:03d}"]
            for s in review.sessions:
                client, therapist = (
                    next(r for r in s.responses if r.respondent.value == who)
                    for who in ("client", "therapist")
                )
                gap = _mean(instruments, therapist) - _mean(instruments, client)
                if archetype_of(c, t, spec.cases) == "overrated":
                    overrated.append(gap)
                else:
                    usual.append(gap)
                    below += gap < 0
    assert -0.5 < sum(usual) / len(usual) < 0  # a little below, on average
    assert below >= len(usual) // 3  # and often below, not only on average
    assert 0.5 <= sum(overrated) / len(overrated) <= 1.5  # about one item point above


def test_rupture_stories_and_themes_fit_the_case(issue_demo) -> None:
    from supervision_workbook.demo._text import FELT, RUPTURE_NOTES

    spec, _instruments, _cfg, latest = issue_demo
    for t in range(spec.trainees):
        for c in range(spec.cases):
            review = latest[f"C-{100 + t * spec.cases + c + 1:03d}"]
            arche = archetype_of(c, t, spec.cases)
            strong: set[str] = set()
            for s in review.sessions:
                for r in s.ruptures:
                    assert r.description in RUPTURE_NOTES[r.type]
                    if r.salience >= 4:
                        assert s.reflection is not None
                        assert "pleased" not in s.reflection.free_text
                        assert all("pleased" not in p for p in s.reflection.prompts.values())
                strong |= {k for k, v in s.reflection.themes.items() if v >= 3}
            kinds = {r.type for s in review.sessions for r in s.ruptures if r.salience >= 4}
            if arche == "overrated":
                assert strong <= {"positive", "special-overinvolved"} and strong
            elif arche == "improving":
                assert not strong
            elif RuptureType.confrontation in kinds:
                assert strong == {"criticized-mistreated"}
            else:
                assert strong <= {"helpless-inadequate", "disengaged"} and strong
            for s in review.sessions:
                for theme in strong:
                    if s.reflection.themes.get(theme, 0) >= 3 and not s.ruptures:
                        assert s.reflection.free_text in FELT[theme]


def test_a_risk_concern_is_answered_at_the_next_signed_meeting(issue_demo) -> None:
    *_, latest = issue_demo
    risky = [
        (code, s)
        for code, review in latest.items()
        for s in review.sessions
        if s.risk is not None and s.risk.level.value != "none"
    ]
    assert risky, "the demo shows what a risk concern looks like"
    for code, s in risky:
        if latest[code].signoff is not None:
            assert s.risk.response, code
