"""Nothing lost, nothing leaked: what the store refuses to write, list or leave behind.

Stories: a trainee uploads the workbook they downloaded before submitting, and the
submitted record stays as it was, with a message naming the version on record; a signed
record sits read-only on disk, so JupyterLab asks before writing, and the supervisor's
amendment still replaces it; a link to a file outside the workspace is not listed, indexed
or opened; a save killed mid-write leaves a hidden temp file with clinical text, which the
store removes once it is old, never while a live save holds the review's lock; a damaged
file is reported by the index, ``validate`` and ``export`` with one and the same message.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from filelock import FileLock

from fixtures.reviews import signoff
from fixtures.store_reviews import edited, make_review
from supervision_workbook.artifact import amend, sign_off
from supervision_workbook.cli import main
from supervision_workbook.model import Status
from supervision_workbook.store import RecordProtected, Workspace, WorkspaceError, init_workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    init_workspace(tmp_path / "ws")
    return Workspace(tmp_path / "ws")


def _signed(ws: Workspace, expected_hash: str | None = None):
    draft = make_review(status=Status.reviewed)
    return ws.save(sign_off(draft, signoff()), expected_hash=expected_hash)


# --- a record on file is not replaced by an older copy ------------------------------------------
def test_an_upload_of_the_download_taken_before_submitting_cannot_replace_the_record(ws):
    first = ws.save(make_review(status=Status.draft, notes="first thoughts"), draft=True)
    downloaded = ws.load(first.path)  # the trainee downloads the workbook here
    submitted = ws.save(
        edited(make_review(status=Status.submitted), "final words"), first.content_hash
    )
    on_record = submitted.path.read_bytes()

    older = downloaded.review.model_copy(update={"updated": downloaded.review.updated})
    for expected in (None, downloaded.content_hash, submitted.content_hash):
        for draft in (True, False):
            with pytest.raises(RecordProtected) as caught:
                ws.save(older, expected_hash=expected, draft=draft)
            message = str(caught.value)
            assert f"is submitted on record (version {submitted.content_hash[:12]}" in message
            assert "still marked draft cannot replace it. Nothing was saved." in message
            assert caught.value.content_hash == submitted.content_hash
    assert submitted.path.read_bytes() == on_record
    assert list(ws.iter_artifacts(include_drafts=True)) == [submitted.path]


def test_an_older_copy_of_a_submitted_record_cannot_replace_it(ws):
    newer = edited(make_review(), "after a second look")
    ref = ws.save(newer)
    with pytest.raises(RecordProtected, match="is older and cannot replace it"):
        ws.save(make_review(), expected_hash=ref.content_hash)
    assert ws.load(ref.path).review.sessions[0].notes == "after a second look"


def test_a_signed_record_is_replaced_only_by_its_own_amendment(ws):
    ref = _signed(ws)
    signed = ws.load(ref.path).review
    forged = signed.model_copy(deep=True)
    forged.signoff.minutes = 1440
    forged.signoff.supervisor = "Dr. Nobody"
    forged = sign_off(
        forged.model_copy(update={"signoff": None, "status": Status.reviewed}), forged.signoff
    )
    with pytest.raises(RecordProtected, match="only an amendment of that signed record"):
        ws.save(forged, expected_hash=ref.content_hash)
    with pytest.raises(RecordProtected, match="is signed off on record"):
        ws.save(make_review(status=Status.draft), expected_hash=ref.content_hash, draft=True)
    amended = amend(signed, "Dr. Ruth Kay", "typo", {"sessions.0.notes": "corrected"})
    again = ws.save(amended, expected_hash=ref.content_hash)
    assert ws.load(again.path).review.sessions[0].notes == "corrected"
    assert ws.index.reviews()[0].signoff_minutes == 60


# --- read-only signed records -------------------------------------------------------------------
def test_a_signed_record_is_written_read_only_and_its_amendment_still_saves(ws):
    draft = ws.save(make_review(status=Status.draft), draft=True)
    assert stat.S_IMODE(draft.path.stat().st_mode) == 0o600
    ref = _signed(ws, draft.content_hash)
    assert stat.S_IMODE(ref.path.stat().st_mode) & 0o222 == 0
    assert stat.S_IMODE(ref.path.stat().st_mode) & stat.S_IRUSR
    if os.geteuid() != 0:  # root writes anywhere; everybody else is stopped here
        with pytest.raises(PermissionError):
            ref.path.open("w")
    signed = ws.load(ref.path).review
    amended = amend(signed, "Dr. Ruth Kay", "typo", {"goals": "Agree a focus."})
    again = ws.save(amended, expected_hash=ref.content_hash)
    assert again.path == ref.path
    assert stat.S_IMODE(again.path.stat().st_mode) & 0o222 == 0
    assert ws.load(again.path).review.goals == "Agree a focus."


# --- links ---------------------------------------------------------------------------------------
def test_a_link_to_a_review_outside_the_workspace_is_not_listed_indexed_or_opened(tmp_path, ws):
    elsewhere = tmp_path / "elsewhere"
    init_workspace(elsewhere)
    outside = Workspace(elsewhere).save(make_review("rv-outside01", trainee_id="tr-other0001"))
    inside = ws.save(make_review())
    folder = inside.path.parent
    link = folder / "2026-03-14_session_rv-linked001.ipynb"
    link.symlink_to(outside.path)
    (ws.path / "reviews" / "tr-linked0001").symlink_to(outside.path.parent.parent)

    assert list(ws.iter_artifacts()) == [inside.path]
    ws.index.rebuild()
    assert [r.path for r in ws.index.reviews()] == [inside.path]
    assert {r.trainee_id for r in ws.index.caseload()} == {"tr-avery0001"}
    with pytest.raises(WorkspaceError, match="symbolic link"):
        ws.load(link)


def test_a_link_planted_under_a_reviews_own_name_is_replaced_not_followed(tmp_path, ws):
    outside = tmp_path / "outside.ipynb"
    outside.write_text("somebody else's file", encoding="utf-8")
    review = make_review()
    folder = ws.path / "reviews" / review.trainee.id / review.case.id
    folder.mkdir(parents=True)
    planted = folder / "2026-03-14_session_rv-3f9a1c2b7d.ipynb"
    planted.symlink_to(outside)
    ref = ws.save(review)  # a new review: the link is not its record
    assert ref.path == planted and not planted.is_symlink()
    assert outside.read_text(encoding="utf-8") == "somebody else's file"
    assert ws.load(ref.path).review == review


# --- temp files of killed saves ------------------------------------------------------------------
_KILLED_SAVE = """
import os, sys, time
sys.path[:0] = [{tests!r}]
from test_store import make_review
from supervision_workbook.store import Workspace
real_fsync = os.fsync
def hang(fd):
    print("writing", flush=True)
    time.sleep(60)
os.fsync = hang
Workspace({root!r}).save(make_review(notes="Client disclosed a relapse last week."))
"""


def test_a_killed_save_leaves_a_temp_file_that_is_removed_once_stale(ws):
    tests = str(Path(__file__).parent)
    code = _KILLED_SAVE.format(tests=tests, root=str(ws.path))
    saver = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert saver.stdout.readline().strip() == "writing"
    finally:
        saver.send_signal(signal.SIGKILL)
        saver.wait(timeout=30)
    (left,) = list((ws.path / "reviews").rglob(".*.tmp"))
    assert "relapse" in left.read_text(encoding="utf-8")

    assert ws.clean_stale_temps() == []  # a fresh one may belong to a live save
    old = time.time() - 3600
    os.utime(left, (old, old))
    assert ws.clean_stale_temps() == [left]
    assert not left.exists()


def test_stale_temp_cleaning_touches_only_our_own_names_and_never_a_locked_review(ws):
    ref = ws.save(make_review())
    folder = ref.path.parent
    ours = folder / f".{ref.path.name}.k3j_a9zq.tmp"
    locked = folder / ".2026-03-14_session_rv-busy00001.ipynb.abcdefgh.tmp"
    strangers = [
        folder / ".notes.txt.abcdefgh.tmp",  # not a file the store writes
        folder / f".{ref.path.name}.tmp",  # not mkstemp's name
        folder / f"{ref.path.name}.abcdefgh.tmp",  # not hidden
        ws.path / "textpacks" / f".{ref.path.name}.abcdefgh.tmp",  # not a store folder
    ]
    old = time.time() - 3600
    for path in (ours, locked, *strangers):
        path.write_text("clinical text", encoding="utf-8")
        os.utime(path, (old, old))
    link = folder / f".{ref.path.name}.linkedxx.tmp"
    link.symlink_to(ref.path)
    os.utime(link, (old, old), follow_symlinks=False)

    with FileLock(str(ws.path / ".locks" / "rv-busy00001.lock")):  # a live save of it
        removed = Workspace(ws.path).clean_stale_temps()
    assert removed == [ours]
    assert locked.exists() and link.is_symlink() and ref.path.exists()
    assert all(p.exists() for p in strangers)


def test_opening_the_index_cleans_stale_temp_files(ws):
    ref = ws.save(make_review())
    left = ref.path.parent / f".{ref.path.name}.zzzzzzzz.tmp"
    left.write_text("clinical text", encoding="utf-8")
    old = time.time() - 3600
    os.utime(left, (old, old))
    Workspace(ws.path).index.reviews()
    assert not left.exists()


# --- one truth about a damaged file --------------------------------------------------------------
def test_a_damaged_file_has_one_message_in_the_index_validate_and_export(ws, capsys, tmp_path):
    good = ws.save(make_review("rv-good00001"))
    bad = ws.save(make_review("rv-bad000001", session_day=good_day(1)))
    notebook = json.loads(bad.path.read_text(encoding="utf-8"))
    notebook["cells"][0]["source"] = "# Case review: everything went well"
    bad.path.write_text(json.dumps(notebook), encoding="utf-8")

    (damaged,) = ws.damaged()
    assert damaged.path == bad.path
    assert [r.path for r in ws.index.reviews()] == [good.path]

    capsys.readouterr()
    assert main(["validate", str(bad.path)]) == 1
    validated = capsys.readouterr().out.strip()
    assert validated == damaged.error
    assert "cell 1 (expected 'title') differs from what the record produces" in validated

    assert main(["export", str(ws.path), "--out", str(tmp_path / "scores.csv")]) == 1
    err = capsys.readouterr().err
    assert damaged.error in err
    assert "1 damaged file not exported" in err


def good_day(days: int):
    from datetime import date

    return date(2026, 3, 14) - timedelta(days=days)
