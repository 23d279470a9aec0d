"""The workspace store, told as what happens to a trainee's and a supervisor's saves."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from filelock import FileLock

from fixtures.store_reviews import T0, edited, make_review
from supervision_workbook import artifact
from supervision_workbook.config import CONFIG_NAME, DEFAULT_CONFIG_TEXT
from supervision_workbook.model import (
    Review,
    Status,
    Trainee,
)
from supervision_workbook.store import (
    ConflictError,
    LockTimeout,
    NotAWorkspace,
    SavedRef,
    Workspace,
    WorkspaceError,
    _atomic,
    atomic_write_text,
    init_workspace,
)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    init_workspace(tmp_path / "ws")
    return Workspace(tmp_path / "ws")


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if _atomic.is_temp_name(p.name)]


# --- creating and opening a workspace --------------------------------------------------------
def test_init_creates_the_layout_and_the_commented_default_configuration(tmp_path: Path) -> None:
    root = init_workspace(tmp_path / "program")
    for folder in ("reviews", "drafts", "instruments", "textpacks", "private", ".locks"):
        assert (root / folder).is_dir(), folder
    assert (root / CONFIG_NAME).read_text(encoding="utf-8") == DEFAULT_CONFIG_TEXT


def test_init_again_keeps_an_edited_configuration_and_restores_missing_folders(
    tmp_path: Path,
) -> None:
    root = init_workspace(tmp_path / "program")
    edited_text = DEFAULT_CONFIG_TEXT.replace("divergence = 1.0", "divergence = 1.5")
    (root / CONFIG_NAME).write_text(edited_text, encoding="utf-8")
    (root / "drafts").rmdir()
    assert init_workspace(root) == root
    assert (root / CONFIG_NAME).read_text(encoding="utf-8") == edited_text
    assert (root / "drafts").is_dir()
    assert Workspace(root).config.alerts.divergence == 1.5


def test_opening_a_folder_that_is_not_a_workspace_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(NotAWorkspace, match="supervision-workbook init") as info:
        Workspace(tmp_path)
    assert isinstance(info.value, WorkspaceError)


def test_a_workspace_offers_its_configuration_and_instruments(ws: Workspace) -> None:
    assert ws.config.client_instrument == "alliance-checkin-client"
    assert "alliance-checkin-client" in ws.instruments


# --- atomic writes -------------------------------------------------------------------------
def test_atomic_write_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    atomic_write_text(target, "first version\n")
    atomic_write_text(target, "second ✓\n")
    assert target.read_text(encoding="utf-8") == "second ✓\n"
    assert temp_files(tmp_path) == []


def test_a_write_that_fails_before_the_rename_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "record.txt"
    atomic_write_text(target, "the version the supervisor signed")

    def power_cut(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Path, "replace", power_cut)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_text(target, "a half-finished new version " * 1000)
    assert target.read_text() == "the version the supervisor signed"
    assert temp_files(tmp_path) == []


def test_a_write_that_fails_midway_through_the_data_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "record.txt"
    atomic_write_text(target, "old")
    real_fsync = os.fsync
    written: list[int] = []

    def fsync_after_partial_write(fd: int) -> None:
        written.append(os.fstat(fd).st_size)
        raise OSError("I/O error")

    monkeypatch.setattr(os, "fsync", fsync_after_partial_write)
    with pytest.raises(OSError, match="I/O error"):
        atomic_write_text(target, "new" * 10_000)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert written == [30_000]  # the new bytes had reached the temp file...
    assert target.read_text() == "old"  # ...but never the record
    assert temp_files(tmp_path) == []


def test_new_files_are_private_and_existing_files_keep_their_permissions(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.txt"
    atomic_write_text(fresh, "x")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    shared = tmp_path / "shared.txt"
    shared.write_text("x")
    shared.chmod(0o640)
    atomic_write_text(shared, "y")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640


# --- saving and loading reviews ------------------------------------------------------------
def test_a_saved_review_is_named_from_ids_and_dates_never_from_its_text(ws: Workspace) -> None:
    review = make_review(notes="Maria Lopez ../../etc/passwd <script>")
    ref = ws.save(review)
    assert isinstance(ref, SavedRef)
    folder = ws.path / "reviews" / "tr-avery0001" / "cs-c0140001"
    assert ref.path == folder / "2026-03-14_session_rv-3f9a1c2b7d.ipynb"
    assert list(ws.iter_artifacts()) == [ref.path]
    loaded = ws.load(ref.path)
    assert loaded.review == review
    assert loaded.review.sessions[0].notes == "Maria Lopez ../../etc/passwd <script>"
    assert loaded.content_hash == ref.content_hash


def test_a_save_writes_exactly_the_artifact_and_returns_the_hash_it_carries(
    ws: Workspace,
) -> None:
    review = make_review(notes="Première séance <b>")
    ref = ws.save(review)
    assert ref.path.read_text(encoding="utf-8") == artifact.dumps(review, ws.instruments, ws.config)
    assert ref.content_hash == artifact.content_hash(review)
    again = ws.save(edited(review, "second"), expected_hash=ref.content_hash)
    assert again.content_hash == artifact.content_hash(edited(review, "second"))


def test_saving_and_loading_never_import_plotly(tmp_path: Path) -> None:
    # Charts are stored as plain JSON specs; plotly (seconds to import on a busy machine)
    # is for the ui's figures only, so a kernel's first save stays quick.
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from supervision_workbook.demo import DemoSpec, write_demo\n"
        f"ws, n = write_demo(Path({str(tmp_path / 'ws')!r}), "
        "DemoSpec(trainees=1, cases=2, sessions=3), workers=1)\n"
        "assert [ws.load(p).review.id for p in ws.iter_artifacts()]\n"
        "assert ws.index.caseload()\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'plotly']\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)


def test_a_tampered_id_cannot_walk_out_of_the_workspace(ws: Workspace, tmp_path: Path) -> None:
    good = make_review()
    # model_construct skips validation, as a future careless code path might.
    evil_trainee = Trainee.model_construct(id="../../../outside", name="x", supervisor="")
    evil = Review.model_construct(**{**dict(good), "trainee": evil_trainee})
    with pytest.raises(WorkspaceError, match="not a valid id"):
        ws.save(evil)
    assert not (tmp_path / "outside").exists()
    assert list(ws.iter_artifacts(include_drafts=True)) == []


def test_saving_again_from_the_version_you_loaded_succeeds(ws: Workspace) -> None:
    first = ws.save(make_review())
    second = ws.save(edited(make_review(), "after supervision"), expected_hash=first.content_hash)
    assert second.path == first.path
    assert second.content_hash != first.content_hash
    assert ws.load(first.path).review.sessions[0].notes == "after supervision"
    third = ws.save(edited(make_review(), "later still"), expected_hash=second.content_hash)
    assert ws.load(third.path).content_hash == third.content_hash


def test_a_review_keeps_its_file_when_its_session_date_is_corrected(ws: Workspace) -> None:
    first = ws.save(make_review())
    corrected = make_review(session_day=date(2026, 3, 13))
    second = ws.save(corrected, expected_hash=first.content_hash)
    assert second.path == first.path
    assert list(ws.iter_artifacts()) == [first.path]


def test_saving_over_someone_elses_newer_version_is_a_conflict_and_writes_nothing(
    ws: Workspace,
) -> None:
    base = ws.save(make_review())
    theirs = ws.save(edited(make_review(), "theirs"), expected_hash=base.content_hash)
    before = theirs.path.read_bytes()
    with pytest.raises(ConflictError) as info:
        ws.save(edited(make_review(), "mine"), expected_hash=base.content_hash)
    message = str(info.value)
    assert str(theirs.path) in message
    assert base.content_hash in message and theirs.content_hash in message
    assert info.value.current_hash == theirs.content_hash
    assert theirs.path.read_bytes() == before


def test_a_new_review_whose_file_already_exists_is_a_conflict(ws: Workspace) -> None:
    ws.save(make_review())
    with pytest.raises(ConflictError, match="a new review"):
        ws.save(edited(make_review(), "a second 'new' copy"))


def test_a_damaged_file_on_disk_is_never_overwritten(ws: Workspace) -> None:
    ref = ws.save(make_review())
    damaged = ref.path.read_bytes()[:-200]  # cut off, as by a failed download
    ref.path.write_bytes(damaged)
    with pytest.raises(artifact.ArtifactError):
        ws.save(edited(make_review(), "new"), expected_hash=ref.content_hash)
    assert ref.path.read_bytes() == damaged


def test_a_hand_edited_record_is_refused_and_left_as_evidence(ws: Workspace) -> None:
    ref = ws.save(make_review(notes="as written"))
    text = ref.path.read_text(encoding="utf-8").replace("as written", "as rewritten")
    ref.path.write_text(text, encoding="utf-8")
    with pytest.raises(artifact.TamperedArtifact):
        ws.save(edited(make_review(), "new"), expected_hash=ref.content_hash)
    assert ref.path.read_text(encoding="utf-8") == text


def test_a_signed_review_edited_in_place_is_refused_before_anything_is_written(
    ws: Workspace,
) -> None:
    from supervision_workbook.artifact import TamperedArtifact, integrity
    from supervision_workbook.model import SignOff

    signed = integrity.sign_off(
        make_review(status=Status.reviewed),
        SignOff(id="so-0001", supervisor="Dr. Kay", signed_at=T0, minutes=60, format="individual"),
    )
    ref = ws.save(signed)
    before = ref.path.read_bytes()
    signed.sessions[0].notes = "changed after sign-off, without an amendment"
    with pytest.raises(TamperedArtifact, match="signed hash"):
        ws.save(signed, expected_hash=ref.content_hash)
    assert ref.path.read_bytes() == before
    # The honest way is an amendment, which saves fine.
    ws.save(
        integrity.amend(
            ws.load(ref.path).review, "Dr. Kay", "typo", {"sessions.0.notes": "corrected"}
        ),
        expected_hash=ref.content_hash,
    )
    assert ws.load(ref.path).review.sessions[0].notes == "corrected"


def test_a_save_that_fails_midway_keeps_the_previous_version(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = ws.save(make_review(notes="version one"))
    before = ref.path.read_bytes()

    def crash(*args: object) -> None:
        raise OSError("the laptop lid closed")

    monkeypatch.setattr(Path, "replace", crash)
    with pytest.raises(OSError, match="lid closed"):
        ws.save(edited(make_review(), "version two"), expected_hash=ref.content_hash)
    monkeypatch.undo()
    assert ref.path.read_bytes() == before
    assert ws.load(ref.path).review.sessions[0].notes == "version one"
    assert temp_files(ws.path) == []


# --- drafts --------------------------------------------------------------------------------
def test_a_draft_lives_in_drafts_and_goes_away_when_the_review_is_saved(ws: Workspace) -> None:
    draft = ws.save(make_review(status=Status.draft), draft=True)
    assert draft.path.is_relative_to(ws.path / "drafts")
    assert list(ws.iter_artifacts()) == []
    assert list(ws.iter_artifacts(include_drafts=True)) == [draft.path]
    again = ws.save(
        edited(make_review(status=Status.draft), "more"),
        expected_hash=draft.content_hash,
        draft=True,
    )
    assert again.path == draft.path
    final = ws.save(make_review(), expected_hash=again.content_hash)
    assert final.path.is_relative_to(ws.path / "reviews")
    assert not draft.path.exists()
    assert list(ws.iter_artifacts(include_drafts=True)) == [final.path]


def test_a_draft_of_a_submitted_review_is_its_current_version(ws: Workspace) -> None:
    record = ws.save(make_review())
    draft = ws.save(edited(make_review(), "draft edit"), record.content_hash, draft=True)
    assert record.path.exists() and draft.path.exists()
    # Saving from the record's version would lose the draft's changes: a conflict.
    with pytest.raises(ConflictError):
        ws.save(edited(make_review(), "stale"), expected_hash=record.content_hash)
    final = ws.save(edited(make_review(), "final"), expected_hash=draft.content_hash)
    assert final.path == record.path
    assert not draft.path.exists()


def test_walking_artifacts_skips_temp_files_and_jupyter_checkpoints(ws: Workspace) -> None:
    ref = ws.save(make_review())
    (ref.path.parent / f".{ref.path.name}.abc123.tmp").write_text("half")
    checkpoints = ref.path.parent / ".ipynb_checkpoints"
    checkpoints.mkdir()
    (checkpoints / "2026-03-14_session_rv-3f9a1c2b7d-checkpoint.ipynb").write_text("{}")
    assert list(ws.iter_artifacts()) == [ref.path]


# --- concurrent writers --------------------------------------------------------------------
def race(ws: Workspace, review_id: str, expected: str) -> dict[str, SavedRef | ConflictError]:
    """Two editors press save at the same moment, each from the version ``expected``."""
    barrier = threading.Barrier(2)
    outcomes: dict[str, SavedRef | ConflictError] = {}

    def save_as(who: str) -> None:
        review = edited(make_review(review_id), f"saved by {who}")
        barrier.wait()
        try:
            outcomes[who] = Workspace(ws.path).save(review, expected_hash=expected)
        except ConflictError as exc:
            outcomes[who] = exc

    threads = [threading.Thread(target=save_as, args=(who,)) for who in ("ana", "ben")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.parametrize("attempt", range(3))
def test_two_people_saving_from_the_same_version_at_once_one_wins_one_is_told(
    ws: Workspace, attempt: int
) -> None:
    review_id = f"rv-race{attempt:06d}"
    base = ws.save(make_review(review_id))
    outcomes = race(ws, review_id, base.content_hash)
    winners = [who for who, o in outcomes.items() if isinstance(o, SavedRef)]
    losers = [o for o in outcomes.values() if isinstance(o, ConflictError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    saved = ws.load(base.path)
    assert saved.review.sessions[0].notes == f"saved by {winners[0]}"
    assert losers[0].current_hash == saved.content_hash


def _save_in_another_process(root: str, who: str, expected: str, queue: object) -> None:
    review = edited(make_review(), f"saved by {who}")
    try:
        Workspace(Path(root)).save(review, expected_hash=expected)
        queue.put((who, "saved"))  # type: ignore[attr-defined]
    except ConflictError:
        queue.put((who, "conflict"))  # type: ignore[attr-defined]


@pytest.mark.slow
def test_two_kernels_saving_the_same_review_never_overwrite_each_other(ws: Workspace) -> None:
    base = ws.save(make_review())
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [
        ctx.Process(
            target=_save_in_another_process, args=(str(ws.path), who, base.content_hash, queue)
        )
        for who in ("kernel-1", "kernel-2")
    ]
    for p in procs:
        p.start()
    results = dict(queue.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    assert sorted(results.values()) == ["conflict", "saved"]
    winner = next(who for who, outcome in results.items() if outcome == "saved")
    assert ws.load(base.path).review.sessions[0].notes == f"saved by {winner}"


def test_a_save_waits_for_the_lock_and_then_gives_up_clearly(ws: Workspace) -> None:
    review = make_review()
    slow_ws = Workspace(ws.path, lock_timeout=0.2)
    with (
        FileLock(ws.path / ".locks" / f"{review.id}.lock"),
        pytest.raises(LockTimeout, match="try again"),
    ):
        slow_ws.save(review)
    assert list(ws.iter_artifacts()) == []
    assert ws.save(review).path.exists()  # the lock released, saving works again


# --- declared names ------------------------------------------------------------------------
def test_declared_names_are_kept_privately_and_never_reach_the_artifact(ws: Workspace) -> None:
    case_id = "cs-c0140001"
    assert ws.declared_names(case_id) == []
    stored = ws.set_declared_names(case_id, ["  Maria   Lopez ", "maria lopez", "Rosa", ""])
    assert stored == ["Maria Lopez", "Rosa"]
    assert ws.declared_names(case_id) == ["Maria Lopez", "Rosa"]
    private = ws.path / "private" / f"{case_id}.json"
    assert json.loads(private.read_text(encoding="utf-8"))["names"] == ["Maria Lopez", "Rosa"]
    ref = ws.save(make_review(case_id=case_id))
    assert "Rosa" not in ref.path.read_text(encoding="utf-8")
    assert ws.set_declared_names(case_id, []) == []
    assert not private.exists()


def test_declared_names_work_for_the_longest_case_id(ws: Workspace) -> None:
    longest = "cs-" + "a" * 61
    assert ws.set_declared_names(longest, ["Rosa"]) == ["Rosa"]
    assert ws.declared_names(longest) == ["Rosa"]


def test_declared_names_refuse_a_path_as_a_case_id(ws: Workspace) -> None:
    with pytest.raises(WorkspaceError, match="not a valid id"):
        ws.set_declared_names("../../reviews", ["Maria"])


def test_a_damaged_names_file_is_an_error_not_an_empty_list(ws: Workspace) -> None:
    (ws.path / "private" / "cs-c0140001.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="declared names"):
        ws.declared_names("cs-c0140001")
