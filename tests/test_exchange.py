"""Handing workbooks from trainee to supervisor: submit, collect, and who may do what.

The stories run twice where it matters: once through the exchange's own checks (one OS
account, identities from the hub's user name), and once with real OS accounts when the tests
run as root, so that the operating system's answer is tested too, not assumed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fixtures.accounts import make_accounts, python_for, remove_accounts
from supervision_workbook.artifact import TamperedArtifact, dumps, loads
from supervision_workbook.demo import DemoSpec, write_demo
from supervision_workbook.exchange import (
    DownloadExchange,
    ExchangeError,
    ExchangePermissionError,
    FolderExchange,
    binder_mode,
)
from supervision_workbook.exchange._setup import setup_exchange
from supervision_workbook.exchange.cli import main as exchange_main
from supervision_workbook.model import Status, utcnow
from supervision_workbook.store import Workspace, init_workspace


@dataclass
class Caseload:
    """Two trainees' session workbooks from a synthetic caseload."""

    workspace: Workspace
    alice_id: str
    bilal_id: str
    alice_texts: list[str]
    bilal_texts: list[str]


@pytest.fixture(scope="module")
def caseload(tmp_path_factory: pytest.TempPathFactory) -> Caseload:
    ws, _ = write_demo(
        tmp_path_factory.mktemp("demo") / "ws", DemoSpec(trainees=2, cases=1, sessions=2, seed=3)
    )
    by_trainee: dict[str, list[str]] = {}
    for path in ws.iter_artifacts():
        if "_session_" in path.name:
            text = path.read_text(encoding="utf-8")
            by_trainee.setdefault(loads(text).review.trainee.id, []).append(text)
    alice, bilal = sorted(by_trainee)
    return Caseload(Workspace(ws.path), alice, bilal, by_trainee[alice], by_trainee[bilal])


def write_roster(root: Path, caseload: Caseload, **names: str) -> Path:
    """alice and bilal are trainees; okafor supervises alice, lindqvist supervises bilal."""
    n = {"alice": "alice", "bilal": "bilal", "okafor": "okafor", "lindqvist": "lindqvist", **names}
    roster = {
        "version": 1,
        "trainees": {
            n["alice"]: {"supervisors": [n["okafor"]], "trainee_ids": [caseload.alice_id]},
            n["bilal"]: {"supervisors": [n["lindqvist"]], "trainee_ids": [caseload.bilal_id]},
        },
    }
    root.mkdir(parents=True, exist_ok=True)
    path = root / "roster.json"
    path.write_text(json.dumps(roster), encoding="utf-8")
    path.chmod(0o644)
    return path


@pytest.fixture
def exchange_root(tmp_path: Path, caseload: Caseload) -> Path:
    root = tmp_path / "exchange"
    write_roster(root, caseload)
    # One shared account (as under SimpleLocalProcessSpawner): the exchange's own checks.
    result = setup_exchange(root, shared_account=True)
    assert not result.problems
    return root


def as_user(root: Path, user: str) -> FolderExchange:
    return FolderExchange(root, user=user)


def supervisor_workspace(tmp_path: Path, name: str) -> Workspace:
    return Workspace(init_workspace(tmp_path / f"{name}-workspace"))


def later_version(caseload: Caseload, text: str, note: str) -> str:
    """The same review, edited and saved again by the trainee (a real, valid artifact)."""
    review = loads(text).review
    review.sessions[-1].notes = note
    review.updated = utcnow()
    return dumps(review, caseload.workspace.instruments, caseload.workspace.config)


# --- trainees submit their own work, and nothing is overwritten -----------------------------
def test_a_second_submission_of_the_same_workbook_is_kept_as_version_2(
    exchange_root: Path, caseload: Caseload
) -> None:
    alice = as_user(exchange_root, "alice")
    first_text = caseload.alice_texts[0]
    first = alice.submit(first_text)
    second = alice.submit(later_version(caseload, first_text, "Bring: the missed session."))

    assert (first.version, second.version) == (1, 2)
    assert first.review_id == second.review_id
    assert first.path is not None and second.path is not None
    assert first.path != second.path
    assert first.path.read_text(encoding="utf-8") == first_text  # version 1 untouched
    assert "the missed session" in second.path.read_text(encoding="utf-8")
    assert first.path.parent == exchange_root / "inbound" / "alice"
    for sub in (first, second):  # names from ids, version and time only
        assert sub.filename.startswith(f"{sub.case_id}_{sub.review_id}_v{sub.version}_")
    assert [s.version for s in alice.submissions()] == [1, 2]


def test_a_trainee_cannot_submit_another_trainees_workbook(
    exchange_root: Path, caseload: Caseload
) -> None:
    alice = as_user(exchange_root, "alice")
    with pytest.raises(ExchangePermissionError, match="may submit only their own"):
        alice.submit(caseload.bilal_texts[0])
    assert list((exchange_root / "inbound" / "alice").glob("*.ipynb")) == []
    assert list((exchange_root / "inbound" / "bilal").glob("*.ipynb")) == []


def test_a_supervisor_has_nothing_to_submit(exchange_root: Path, caseload: Caseload) -> None:
    with pytest.raises(ExchangePermissionError, match="not a trainee"):
        as_user(exchange_root, "okafor").submit(caseload.alice_texts[0])


def test_a_broken_workbook_is_refused_at_submit(exchange_root: Path, caseload: Caseload) -> None:
    truncated = caseload.alice_texts[0][: len(caseload.alice_texts[0]) // 2]
    with pytest.raises(ValueError, match="<workbook>"):
        as_user(exchange_root, "alice").submit(truncated)
    assert list((exchange_root / "inbound" / "alice").iterdir()) == []


def test_an_inbound_folder_open_to_everyone_is_refused_before_anything_is_written(
    exchange_root: Path, caseload: Caseload
) -> None:
    inbox = exchange_root / "inbound" / "alice"
    inbox.chmod(0o755)
    with pytest.raises(ExchangePermissionError, match="open to more accounts"):
        as_user(exchange_root, "alice").submit(caseload.alice_texts[0])
    assert list(inbox.glob("*.ipynb")) == []


def test_a_roster_that_others_could_edit_is_not_believed(
    exchange_root: Path, caseload: Caseload
) -> None:
    (exchange_root / "roster.json").chmod(0o666)
    with pytest.raises(ExchangeError, match="writable by other accounts"):
        as_user(exchange_root, "alice")


# --- supervisors collect their own trainees' work ------------------------------------------
def test_a_supervisor_collects_only_their_own_trainees(
    exchange_root: Path, caseload: Caseload, tmp_path: Path
) -> None:
    as_user(exchange_root, "alice").submit(caseload.alice_texts[0])
    as_user(exchange_root, "bilal").submit(caseload.bilal_texts[0])
    okafor = as_user(exchange_root, "okafor")
    ws = supervisor_workspace(tmp_path, "okafor")

    report = okafor.collect(ws)

    assert report.ok and len(report.imported) == 1
    collected = [ws.load(p).review for p in ws.iter_artifacts()]
    assert [r.trainee.id for r in collected] == [caseload.alice_id]
    assert {s.trainee for s in okafor.submissions()} == {"alice"}
    with pytest.raises(ExchangePermissionError, match="may not see the submissions of 'bilal'"):
        okafor.collect(ws, trainee="bilal")


def test_collect_takes_the_latest_version_and_collecting_again_changes_nothing(
    exchange_root: Path, caseload: Caseload, tmp_path: Path
) -> None:
    alice = as_user(exchange_root, "alice")
    alice.submit(caseload.alice_texts[0])
    alice.submit(later_version(caseload, caseload.alice_texts[0], "Second thoughts on session 2."))
    okafor = as_user(exchange_root, "okafor")
    ws = supervisor_workspace(tmp_path, "okafor")
    report = okafor.collect(ws, trainee=caseload.alice_id)  # a trainee id works as well
    assert len(report.imported) == 1 and report.ok
    (path,) = ws.iter_artifacts()
    assert ws.load(path).review.sessions[-1].notes == "Second thoughts on session 2."

    again = okafor.collect(ws)
    assert again.imported == [] and len(again.unchanged) == 1


def test_a_resubmission_never_replaces_the_submitted_record_and_is_kept_aside(
    exchange_root: Path, caseload: Caseload, tmp_path: Path
) -> None:
    alice = as_user(exchange_root, "alice")
    alice.submit(caseload.alice_texts[0])
    okafor = as_user(exchange_root, "okafor")
    ws = supervisor_workspace(tmp_path, "okafor")
    assert len(okafor.collect(ws).imported) == 1
    (path,) = ws.iter_artifacts()
    on_record = path.read_bytes()

    second = alice.submit(later_version(caseload, caseload.alice_texts[0], "Changed my mind."))
    report = okafor.collect(ws)
    assert report.imported == [] and not report.ok
    (conflict,) = report.conflicts
    assert conflict.source == f"alice/{second.filename}"
    assert "differs from the submitted record" in conflict.reason
    assert conflict.kept_at.is_relative_to(ws.path / "conflicts")
    assert ws.load(conflict.kept_at).review.sessions[-1].notes == "Changed my mind."
    assert "1 kept aside" in report.summary()
    assert path.read_bytes() == on_record  # the record is untouched
    assert list(ws.iter_artifacts()) == [path]  # and the copy aside is not listed
    assert okafor.collect(ws).conflicts[0].kept_at == conflict.kept_at  # one copy aside


def test_a_tampered_submission_is_refused_and_the_previous_version_is_collected(
    exchange_root: Path, caseload: Caseload, tmp_path: Path
) -> None:
    alice = as_user(exchange_root, "alice")
    alice.submit(caseload.alice_texts[0])
    second = alice.submit(later_version(caseload, caseload.alice_texts[0], "Honest note."))
    assert second.path is not None
    notebook = json.loads(second.path.read_text(encoding="utf-8"))
    notebook["metadata"]["supervision_workbook"]["record"]["sessions"][-1]["notes"] = "Edited."
    second.path.write_text(json.dumps(notebook), encoding="utf-8")
    with pytest.raises(TamperedArtifact):
        loads(second.path.read_text(encoding="utf-8"))

    ws = supervisor_workspace(tmp_path, "okafor")
    report = as_user(exchange_root, "okafor").collect(ws)

    assert [r.source for r in report.refused] == [f"alice/{second.filename}"]
    assert "Edited." not in report.refused[0].reason  # the reason names the file, not its text
    (path,) = ws.iter_artifacts()
    assert ws.load(path).review.sessions[-1].notes != "Edited."


def test_a_link_planted_in_an_inbound_folder_is_not_followed(
    exchange_root: Path, caseload: Caseload, tmp_path: Path
) -> None:
    bilal_sub = as_user(exchange_root, "bilal").submit(caseload.bilal_texts[0])
    assert bilal_sub.path is not None
    review = loads(caseload.alice_texts[0]).review
    name = f"{review.case.id}_{review.id}_v1_20260101T000000Z.ipynb"
    planted = exchange_root / "inbound" / "alice" / name
    planted.symlink_to(bilal_sub.path)

    report = as_user(exchange_root, "okafor").collect(supervisor_workspace(tmp_path, "okafor"))
    assert report.imported == []
    assert "not a regular file" in report.refused[0].reason


def test_a_second_trainee_cannot_read_the_first_trainees_submission(
    exchange_root: Path, caseload: Caseload
) -> None:
    submission = as_user(exchange_root, "alice").submit(caseload.alice_texts[0])
    bilal = as_user(exchange_root, "bilal")
    with pytest.raises(ExchangePermissionError):
        bilal.submissions(trainee="alice")
    with pytest.raises(ExchangePermissionError):
        bilal.read(submission)
    assert {s.trainee for s in bilal.submissions()} <= {"bilal"}
    assert as_user(exchange_root, "alice").read(submission).review.trainee.id == caseload.alice_id


# --- Binder and laptops: download and upload ------------------------------------------------
def test_on_binder_the_workbook_downloads_under_a_name_made_of_ids_and_dates(
    caseload: Caseload,
) -> None:
    text = caseload.alice_texts[0]
    review = loads(text).review
    offer = DownloadExchange().submit(text)
    assert offer.text == text
    assert offer.filename.endswith(f"_{review.kind.value}_{review.id}.ipynb")
    assert offer.filename[:10] == (review.session_date or review.created.date()).isoformat()


def test_an_upload_is_verified_before_it_reaches_the_supervisors_workspace(
    caseload: Caseload, tmp_path: Path
) -> None:
    exchange = DownloadExchange()
    notebook = json.loads(caseload.alice_texts[0])
    notebook["metadata"]["supervision_workbook"]["record"]["sessions"][0]["notes"] = "forged"
    with pytest.raises(TamperedArtifact, match=r"upload 'forged\.ipynb'"):
        exchange.receive("forged.ipynb", json.dumps(notebook).encode())
    with pytest.raises(ExchangeError, match="not a text file"):
        exchange.receive("picture.png", b"\x89PNG\r\n\x1a\n\xff\xfe")
    assert exchange.staged == []

    exchange.receive("from-alice.ipynb", caseload.alice_texts[0].encode())
    ws = supervisor_workspace(tmp_path, "okafor")
    assert len(exchange.collect(ws).imported) == 1
    exchange.receive("from-alice-again.ipynb", caseload.alice_texts[0].encode())
    assert len(exchange.collect(ws).unchanged) == 1


def test_binder_is_detected_from_what_binderhub_sets_and_the_configuration_can_overrule_it() -> (
    None
):
    from supervision_workbook.config import WorkspaceConfig

    launched = {"BINDER_LAUNCH_HOST": "https://mybinder.org/", "BINDER_REQUEST": "v2/gh/x/y/HEAD"}
    assert binder_mode(None, launched)
    assert binder_mode(WorkspaceConfig(binder_mode="auto"), {"BINDER_REPO_URL": "https://x"})
    assert not binder_mode(None, {"BINDER_LAUNCH_HOST": "", "HOME": "/home/jovyan"})
    assert not binder_mode(WorkspaceConfig(binder_mode="off"), launched)
    assert binder_mode(WorkspaceConfig(binder_mode="on"), {})


# --- the command line -----------------------------------------------------------------------
def test_submit_and_collect_from_the_command_line(
    exchange_root: Path,
    caseload: Caseload,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    trainee_ws = tmp_path / "alice-ws"
    shutil.copytree(caseload.workspace.path, trainee_ws)
    ws = Workspace(trainee_ws)
    review_id = loads(caseload.alice_texts[0]).review.id
    submitted = _find(ws, review_id)
    draft = ws.load(submitted).review
    draft.status = Status.draft
    submitted.unlink()  # a submitted record is never replaced by a draft: start from one
    ref = ws.save(draft)

    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    args = [
        "submit",
        "--workspace",
        str(trainee_ws),
        "--review",
        draft.id,
        "--exchange",
        str(exchange_root),
    ]
    assert exchange_main(args) == 0
    assert exchange_main(args) == 0
    out = capsys.readouterr().out
    assert "as version 1" in out and "as version 2" in out
    assert ws.load(ref.path).review.status == Status.submitted  # submitting marks it

    monkeypatch.setenv("JUPYTERHUB_USER", "bilal")
    assert exchange_main(args) == 2  # not bilal's workbook
    assert "may submit only their own" in capsys.readouterr().err

    monkeypatch.setenv("JUPYTERHUB_USER", "okafor")
    sup_ws = supervisor_workspace(tmp_path, "okafor")
    collect = ["collect", "--exchange", str(exchange_root), "--workspace", str(sup_ws.path)]
    assert exchange_main(collect) == 0
    assert "1 imported" in capsys.readouterr().err
    assert exchange_main([*collect, "--trainee", "bilal"]) == 2


def _find(ws: Workspace, review_id: str) -> Path:
    return next(p for p in ws.iter_artifacts() if p.stem.endswith(review_id))


# --- real OS accounts -----------------------------------------------------------------------
@dataclass
class Accounts:
    alice: str
    bilal: str
    okafor: str
    lindqvist: str
    python: list[str]
    env: dict[str, str]


@pytest.fixture
def accounts() -> Iterator[Accounts]:
    """Four real OS accounts, made for this test and removed after it (root only)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("useradd") is None:
        pytest.skip("real OS accounts need root and useradd; the checks above cover the rules")
    tag = uuid.uuid4().hex[:6]
    names = [f"sw{tag}{role}" for role in ("ta", "tb", "so", "sl")]
    made: list[str] = []
    try:
        made = make_accounts(names)
        found = python_for(names[0])
        if found is None:
            pytest.skip("no Python that other accounts may run can import this project here")
        yield Accounts(*names, python=found[0], env=found[1])
    finally:
        remove_accounts(made)


def _run_as(
    accounts: Accounts, user: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    import pwd

    entry = pwd.getpwnam(user)
    return subprocess.run(
        [*accounts.python, *args],
        user=entry.pw_uid,
        group=entry.pw_gid,
        extra_groups=[],
        cwd="/",
        env={
            "PATH": os.environ.get("PATH", ""),
            "HOME": "/nonexistent",
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            **accounts.env,
            **(env or {}),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _exchange_as(
    accounts: Accounts, user: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return _run_as(accounts, user, "-m", "supervision_workbook.exchange", *args, env=env)


def _read_as(accounts: Accounts, user: str, path: Path) -> subprocess.CompletedProcess[str]:
    return _run_as(accounts, user, "-c", "import sys; open(sys.argv[1]).read()", str(path))


@pytest.mark.slow
def test_with_real_accounts_the_operating_system_keeps_trainees_apart(
    accounts: Accounts, caseload: Caseload
) -> None:
    import pwd

    base = Path(tempfile.mkdtemp(prefix="swb-exchange-", dir="/tmp"))
    try:
        base.chmod(0o755)
        root = base / "exchange"
        write_roster(
            root,
            caseload,
            alice=accounts.alice,
            bilal=accounts.bilal,
            okafor=accounts.okafor,
            lindqvist=accounts.lindqvist,
        )
        result = setup_exchange(root)
        assert result.problems == []
        inbox = root / "inbound" / accounts.alice
        assert oct(inbox.stat().st_mode & 0o7777) == oct(0o2750)

        # alice submits a file she can read; the exchange stores it as version 1.
        handoff = base / "handoff"
        handoff.mkdir(mode=0o755)
        artifact = handoff / "alice.ipynb"
        artifact.write_text(caseload.alice_texts[0], encoding="utf-8")
        artifact.chmod(0o644)
        submit = ["submit", str(artifact), "--exchange", str(root)]
        done = _exchange_as(accounts, accounts.alice, *submit)
        assert done.returncode == 0, done.stderr
        (submitted,) = inbox.glob("*.ipynb")
        assert submitted.stat().st_uid == pwd.getpwnam(accounts.alice).pw_uid
        assert oct(submitted.stat().st_mode & 0o777) == oct(0o640)

        # bilal can neither read it nor list alice's folder nor write into it, even when he
        # pretends to be alice to the exchange: the operating system says no.
        denied = _read_as(accounts, accounts.bilal, submitted)
        assert denied.returncode != 0 and "PermissionError" in denied.stderr
        pretend = _exchange_as(
            accounts, accounts.bilal, *submit, env={"JUPYTERHUB_USER": accounts.alice}
        )
        assert pretend.returncode == 2
        assert "belongs to another account" in pretend.stderr
        assert len(list(inbox.glob("*.ipynb"))) == 1

        # alice's supervisor collects it; bilal's supervisor cannot read it.
        ws_path = base / "okafor-ws"
        init_workspace(ws_path)
        uid, gid = pwd.getpwnam(accounts.okafor).pw_uid, pwd.getpwnam(accounts.okafor).pw_gid
        for path in [ws_path, *ws_path.rglob("*")]:
            os.chown(path, uid, gid)
        collected = _exchange_as(
            accounts,
            accounts.okafor,
            "collect",
            "--exchange",
            str(root),
            "--workspace",
            str(ws_path),
        )
        assert collected.returncode == 0, collected.stderr
        assert "1 imported" in collected.stderr
        assert _read_as(accounts, accounts.okafor, submitted).returncode == 0
        assert _read_as(accounts, accounts.lindqvist, submitted).returncode != 0
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_hub_server_uses_its_exchange_folder_and_anywhere_else_work_is_downloaded(
    exchange_root: Path,
) -> None:
    from supervision_workbook.exchange import exchange_for

    assert isinstance(exchange_for({}), DownloadExchange)
    hub = exchange_for({"SUPERVISION_WORKBOOK_EXCHANGE": str(exchange_root)})
    assert isinstance(hub, FolderExchange) and hub.root == exchange_root


# --- issue 13: forged sign-offs and hostile files ---------------------------------------------
def test_a_forged_sign_off_handed_in_by_upload_never_replaces_the_signed_record(
    caseload: Caseload, tmp_path: Path
) -> None:
    """Change the notes and the signed minutes, recompute every hash, upload: kept aside."""
    from supervision_workbook.artifact import sign_off

    shutil.copytree(caseload.workspace.path, tmp_path / "supervisor")
    ws = Workspace(tmp_path / "supervisor")
    rows = [r for r in ws.index.reviews() if r.status == "signed_off"]
    signed_row = rows[0]
    genuine = ws.load(signed_row.path).review
    minutes_before = sum(
        m.individual_minutes + m.group_minutes for m in ws.index.supervision_minutes()
    )
    on_record = signed_row.path.read_bytes()

    forged = genuine.model_copy(deep=True)
    forged.supervisor_notes = "Nothing of concern."
    assert forged.signoff is not None
    stamp = forged.signoff.model_copy(update={"minutes": 1440})
    forged = sign_off(
        forged.model_copy(update={"signoff": None, "status": Status.reviewed, "amendments": []}),
        stamp,
    )
    text = dumps(forged, ws.instruments, ws.config)
    assert loads(text).review.signoff.minutes == 1440  # every hash recomputed: it verifies

    exchange = DownloadExchange()
    exchange.receive("signed.ipynb", text.encode())
    report = exchange.collect(ws)
    assert report.imported == []
    (conflict,) = report.conflicts
    assert "is signed off on record" in conflict.reason
    assert signed_row.path.read_bytes() == on_record
    minutes_after = sum(
        m.individual_minutes + m.group_minutes for m in ws.index.supervision_minutes()
    )
    assert minutes_after == minutes_before
    assert ws.load(conflict.kept_at).review.signoff.minutes == 1440


def test_one_bad_file_in_one_inbox_does_not_stop_collect_for_anyone(
    tmp_path: Path, caseload: Caseload
) -> None:
    root = tmp_path / "exchange"
    write_roster(root, caseload, lindqvist="okafor")  # okafor supervises both trainees
    assert not setup_exchange(root, shared_account=True).problems
    hostile = Path(__file__).parent / "data" / "hostile" / "deep_nesting_top_level.json"
    first = as_user(root, "alice").submit(caseload.alice_texts[0])
    assert first.path is not None
    first.path.write_bytes(hostile.read_bytes())  # a crafted file in alice's inbox
    (first.path.parent / f"{first.case_id}_{first.review_id}_v7_20261399T999999Z.ipynb").write_text(
        "{}", encoding="utf-8"
    )  # a name with no real time in it
    as_user(root, "bilal").submit(caseload.bilal_texts[0])

    report = as_user(root, "okafor").collect(supervisor_workspace(tmp_path, "okafor"))
    assert [r.source for r in report.refused] == [f"alice/{first.filename}"]
    assert "nested more than" in report.refused[0].reason
    assert len(report.imported) == 1  # bilal's submission
