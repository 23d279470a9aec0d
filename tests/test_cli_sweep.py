"""Every command, given the wrong input a person actually produces, ends in one line.

A supervisor types a folder name wrong, points at their home folder instead of the
workspace, runs `demo` twice, saves the configuration with a typo, drags a PDF where a
workbook should go, or works in a folder another account owns. Each of those must end with
exit code 2 (1 for `validate`'s findings) and one line that names the file and what is
wrong, never a traceback.

The sweep runs the commands in-process through ``main(argv)`` (fast), and a few through the
real entry points in a subprocess. Permission cases: tests often run as root (CI), and root
is not stopped by permission bits. There, the check runs as the unprivileged ``nobody``
account: in-process by changing the effective user id for the duration of the command
(``os.seteuid``; the real id stays root, so it is changed back afterwards), and once in a
subprocess started with ``user=65534``, so the kernel really refuses. As any other user, the
permission bits refuse us directly.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from supervision_workbook.cli import main
from supervision_workbook.console import EXIT_BUG, plural
from supervision_workbook.exchange.cli import main as exchange_main

BIN = Path(sys.executable).parent
NOBODY = 65534
IS_ROOT = os.geteuid() == 0


@dataclass
class Paths:
    """The folders and files a person gets wrong, made once for the whole sweep."""

    base: Path
    ws: Path  # a small demo workspace
    artifact: Path  # one of its session workbooks
    plain: Path  # a workspace made by `init` holding a copy of the demo's reviews
    notws: Path  # an empty folder
    afile: Path  # a text file where a folder is expected
    broken: Path  # a workspace whose configuration has a TOML syntax error
    binconfig: Path  # a workspace whose configuration is binary
    badinst: Path  # a workspace with a binary instrument file
    empty_nb: Path
    binary_nb: Path
    exchange: Path  # an exchange folder with a roster: alice, supervised by okafor
    binroster: Path  # an exchange folder whose roster is binary
    badroster: Path  # an exchange folder whose roster is cut off
    readonly: Path  # a demo workspace nobody may write to
    locked: Path  # a folder only its owner may enter, holding a workspace
    csv: Path  # CSV files to import: scan.csv, latin1.csv, empty.csv, header.csv, bad.csv...

    def __getitem__(self, key: str) -> str:
        return str(getattr(self, key))


def _read_only(path: Path) -> None:
    for p in [path, *path.rglob("*")]:
        mode = stat.S_IMODE(p.stat().st_mode) | stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
        if p.is_dir():
            mode |= stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH
        p.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


@pytest.fixture(scope="module")
def p() -> Iterator[Paths]:
    # Not pytest's tmp_path: its parents are mode 0700, which would refuse `nobody` every
    # path for the wrong reason. Everything here is readable by others unless a case says not.
    base = Path(tempfile.mkdtemp(prefix="swb-sweep-"))
    base.chmod(0o755)
    ws = base / "ws"
    assert main(["demo", str(ws), "--trainees", "1", "--cases", "1", "--sessions", "2"]) == 0
    artifact = next((ws / "reviews").rglob("*_session_*.ipynb"))
    plain = base / "plain"
    assert main(["init", str(plain)]) == 0
    shutil.copytree(ws / "reviews", plain / "reviews", dirs_exist_ok=True)
    notws = base / "notws"
    notws.mkdir()
    afile = base / "notes.txt"
    afile.write_text("not a folder\n")
    broken = base / "broken"
    main(["init", str(broken)])
    config = broken / "supervision-workbook.toml"
    config.write_text(config.read_text() + "\n[alerts\n")
    binconfig = base / "binconfig"
    main(["init", str(binconfig)])
    (binconfig / "supervision-workbook.toml").write_bytes(b"\xff\xfe\x00\x01PK\x03\x04")
    badinst = base / "badinst"
    main(["init", str(badinst)])
    (badinst / "instruments" / "ours.json").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    empty_nb = base / "empty.ipynb"
    empty_nb.write_bytes(b"")
    binary_nb = base / "scan.ipynb"
    binary_nb.write_bytes(b"%PDF-1.7\n\xe2\xe3\xcf\xd3\x00\x00\xff")
    exchange = base / "exchange"
    exchange.mkdir()
    trainee_id = next((ws / "reviews").iterdir()).name
    roster = {
        "version": 1,
        "trainees": {"alice": {"supervisors": ["okafor"], "trainee_ids": [trainee_id]}},
    }
    (exchange / "roster.json").write_text(json.dumps(roster))
    (exchange / "roster.json").chmod(0o644)
    assert exchange_main(["exchange-setup", str(exchange), "--shared-account"]) == 0
    binroster = base / "binroster"
    binroster.mkdir()
    (binroster / "roster.json").write_bytes(b"\x00\xff\xfe\x00")
    badroster = base / "badroster"
    badroster.mkdir()
    (badroster / "roster.json").write_text('{"version": 1, "trainees": {"al')
    for roster_file in (binroster / "roster.json", badroster / "roster.json"):
        roster_file.chmod(0o644)
    readonly = base / "readonly"
    shutil.copytree(ws, readonly)
    _read_only(readonly)
    locked = base / "locked"
    shutil.copytree(plain, locked / "ws")
    locked.chmod(0o700 if IS_ROOT else 0o000)  # root's 0700 refuses nobody
    csv = base / "csv"  # what `import` is given instead of a scores CSV
    csv.mkdir()
    header = "trainee,case,session,date,instrument,respondent,item_1,item_2,item_3,item_4"
    (csv / "scan.csv").write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")  # xlsx
    (csv / "latin1.csv").write_bytes(f"{header}\nJos\xe9,P-1,1,2024-01-01,srs".encode("latin-1"))
    (csv / "empty.csv").write_bytes(b"")
    (csv / "header.csv").write_text(header + "\n")
    (csv / "good.csv").write_text(f"{header}\nAvery Demo,C-101,3,2026-01-19,srs,client,9,9,9,9\n")
    (csv / "bad.csv").write_text(f"{header}\nAvery Demo,C-101,3,2026-01-19,srs,client,9,9,9,11\n")
    assert main(["export", str(ws), "--out", str(csv / "scores.csv")]) == 0
    try:
        yield Paths(
            base, ws, artifact, plain, notws, afile, broken, binconfig, badinst, empty_nb,
            binary_nb, exchange, binroster, badroster, readonly, locked, csv,
        )  # fmt: skip
    finally:
        for path in (locked, readonly, *readonly.rglob("*")):
            if path.is_dir():
                path.chmod(0o755)
            else:
                path.chmod(0o644)
        shutil.rmtree(base)


@contextlib.contextmanager
def unprivileged() -> Iterator[None]:
    """Run as ``nobody`` when we are root, so permission bits apply (see the module doc)."""
    if not IS_ROOT:
        yield
        return
    # Imports a command makes later must not need what nobody cannot read: make them now.
    import supervision_workbook.artifact
    import supervision_workbook.demo
    import supervision_workbook.exchange._setup
    import supervision_workbook.exchange.folder
    import supervision_workbook.export
    import supervision_workbook.instruments
    import supervision_workbook.store  # noqa: F401

    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@dataclass(frozen=True)
class Case:
    """One mistake: the arguments, the exit code, and what the one line must say."""

    argv: Callable[[Paths], list[str]]
    code: int
    says: Callable[[Paths], list[str]]
    command: str = "cli"  # "cli" or "exchange": which main() runs it
    unprivileged: bool = False
    user: str = ""  # $JUPYTERHUB_USER for the exchange's commands

    def run(self, p: Paths, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
        entry = main if self.command == "cli" else exchange_main
        context = unprivileged() if self.unprivileged else contextlib.nullcontext()
        with context:
            code = entry(self.argv(p))
        out, err = capsys.readouterr()
        return code, out, err


def case(
    argv: Callable[[Paths], list[str]], code: int, *says: str | Callable[[Paths], str], **kw
) -> Case:
    return Case(argv, code, lambda p: [s(p) if callable(s) else s for s in says], **kw)


def _first(key: str, sub: str = "") -> Callable[[Paths], str]:
    return lambda p: str(Path(p[key]) / sub) if sub else p[key]


CASES: dict[str, Case] = {
    # --- init ------------------------------------------------------------------------------
    "init on an existing workspace": case(
        lambda p: ["init", p["ws"]], 2, _first("ws"), "already a workspace", "--exist-ok"
    ),
    "init where a file is": case(lambda p: ["init", p["afile"]], 2, _first("afile"), "is a file"),
    "init in a read-only folder": case(
        lambda p: ["init", p["readonly"] + "/new"],
        2,
        _first("readonly", "new"),
        "permission denied",
        unprivileged=True,
    ),
    "init in a folder without permission": case(
        lambda p: ["init", p["locked"] + "/new"],
        2,
        _first("locked", "new"),
        "permission denied",
        unprivileged=True,
    ),
    # --- demo ------------------------------------------------------------------------------
    "demo a second time on the same folder": case(
        lambda p: ["demo", p["ws"]], 2, _first("ws"), "already a workspace", "--replace"
    ),
    "demo --add with the seed already there": case(
        lambda p: ["demo", p["ws"], "--add", "--seed", "7"], 2, _first("ws"), "seed 7"
    ),
    "demo --replace where reviews are not the demo's": case(
        lambda p: ["demo", p["plain"], "--replace"], 2, _first("plain"), "no record of a demo"
    ),
    "demo where a file is": case(lambda p: ["demo", p["afile"]], 2, _first("afile"), "is a file"),
    "demo --add into a broken configuration": case(
        lambda p: ["demo", p["broken"], "--add", "--seed", "5"],
        2,
        _first("broken", "supervision-workbook.toml"),
        "TOML",
    ),
    "demo --replace into a binary configuration": case(
        lambda p: ["demo", p["binconfig"], "--replace"],
        2,
        _first("binconfig", "supervision-workbook.toml"),
        "not UTF-8",
    ),
    "demo --replace in a read-only workspace": case(
        lambda p: ["demo", p["readonly"], "--replace"],
        2,
        _first("readonly"),
        "permission denied",
        unprivileged=True,
    ),
    "demo into a folder without permission": case(
        lambda p: ["demo", p["locked"] + "/new"],
        2,
        _first("locked", "new"),
        "permission denied",
        unprivileged=True,
    ),
    # --- validate --------------------------------------------------------------------------
    "validate a missing folder": case(
        lambda p: ["validate", p["base"] + "/nowhere"], 2, _first("base", "nowhere"), "no such"
    ),
    "validate a folder without notebooks": case(
        lambda p: ["validate", p["notws"]], 2, _first("notws"), "no .ipynb files"
    ),
    "validate an empty notebook": case(
        lambda p: ["validate", p["empty_nb"]], 1, _first("empty_nb"), "empty"
    ),
    "validate a binary file named .ipynb": case(
        lambda p: ["validate", p["binary_nb"]], 1, _first("binary_nb"), "not UTF-8"
    ),
    "validate a folder without permission": case(
        lambda p: ["validate", p["locked"]],
        1,
        _first("locked"),
        "permission denied",
        unprivileged=True,
    ),
    # --- score and instruments --------------------------------------------------------------
    "score an unknown instrument": case(
        lambda p: ["score", "wai-sr", "--answers", "1"], 2, "unknown instrument 'wai-sr'", "srs"
    ),
    "score with a missing workspace": case(
        lambda p: ["score", "srs", "--answers", "9,9,9,9", "--workspace", p["base"] + "/gone"],
        2,
        _first("base", "gone"),
        "no such",
    ),
    "score with a broken configuration": case(
        lambda p: ["score", "srs", "--answers", "9,9,9,9", "--workspace", p["broken"]],
        2,
        _first("broken", "supervision-workbook.toml"),
        "TOML",
    ),
    "instruments of a folder that is not a workspace": case(
        lambda p: ["instruments", "--workspace", p["notws"]],
        2,
        _first("notws"),
        "not a supervision-workbook workspace",
    ),
    "instruments with a binary instrument file": case(
        lambda p: ["instruments", "--workspace", p["badinst"]],
        2,
        _first("badinst", "instruments/ours.json"),
        "cannot be read",
    ),
    # --- export, index, serve --------------------------------------------------------------
    "export a missing folder": case(
        lambda p: ["export", p["base"] + "/gone"], 2, _first("base", "gone"), "no such"
    ),
    "export a folder that is not a workspace": case(
        lambda p: ["export", p["notws"]], 2, _first("notws"), "init"
    ),
    "export with a binary configuration": case(
        lambda p: ["export", p["binconfig"]],
        2,
        _first("binconfig", "supervision-workbook.toml"),
        "not UTF-8",
    ),
    "export --out a folder": case(
        lambda p: ["export", p["ws"], "--out", p["notws"]], 2, _first("notws"), "is a folder"
    ),
    "export --out into a read-only folder": case(
        lambda p: ["export", p["readonly"], "--out", p["readonly"] + "/scores.csv"],
        2,
        _first("readonly", "scores.csv"),
        "permission denied",
        unprivileged=True,
    ),
    "index a file": case(lambda p: ["index", p["afile"]], 2, _first("afile"), "is a file"),
    "index with a broken configuration": case(
        lambda p: ["index", p["broken"]], 2, _first("broken", "supervision-workbook.toml"), "TOML"
    ),
    "index --rebuild in a read-only workspace": case(
        lambda p: ["index", p["readonly"], "--rebuild"],
        2,
        _first("readonly", "index.sqlite"),
        "cannot update the index",
        unprivileged=True,
    ),
    "index a workspace without permission": case(
        lambda p: ["index", p["locked"] + "/ws"],
        2,
        _first("locked", "ws"),
        "permission denied",
        unprivileged=True,
    ),
    # --- import: a scores CSV from another tool ----------------------------------------------
    "import a spreadsheet saved with a .csv name": case(
        lambda p: ["import", p["ws"], p["csv"] + "/scan.csv"],
        2,
        _first("csv", "scan.csv"),
        "not a text file",
    ),
    "import a CSV that is not UTF-8": case(
        lambda p: ["import", p["ws"], p["csv"] + "/latin1.csv"],
        2,
        _first("csv", "latin1.csv"),
        "not UTF-8",
    ),
    "import an empty file": case(
        lambda p: ["import", p["ws"], p["csv"] + "/empty.csv"],
        2,
        _first("csv", "empty.csv"),
        "empty",
    ),
    "import a header without rows": case(
        lambda p: ["import", p["ws"], p["csv"] + "/header.csv"],
        2,
        _first("csv", "header.csv"),
        "only a header row",
    ),
    "import the scores CSV that export writes": case(
        lambda p: ["import", p["ws"], p["csv"] + "/scores.csv"],
        2,
        lambda p: p["csv"] + "/scores.csv:1: review_id: not a column of a scores file",
    ),
    "import a row with an answer off the scale": case(
        lambda p: ["import", p["ws"], p["csv"] + "/bad.csv"],
        2,
        lambda p: p["csv"] + "/bad.csv:2: item_4: 11 is outside the scale 0 to 10",
        "nothing was imported",
    ),
    "import a missing file": case(
        lambda p: ["import", p["ws"], p["csv"] + "/gone.csv"],
        2,
        _first("csv", "gone.csv"),
        "no such file",
    ),
    "import a folder as the file": case(
        lambda p: ["import", p["ws"], p["csv"]], 2, _first("csv"), "is a folder"
    ),
    "import into a folder that is not a workspace": case(
        lambda p: ["import", p["notws"], p["csv"] + "/bad.csv"], 2, _first("notws"), "init"
    ),
    "import into a read-only workspace": case(
        lambda p: ["import", p["readonly"], p["csv"] + "/good.csv"],
        2,
        _first("readonly", "index.sqlite"),
        "cannot update the index",
        "nothing was imported",
        unprivileged=True,
    ),
    "import a CSV nobody may read": case(
        lambda p: ["import", p["plain"], p["locked"] + "/ws/supervision-workbook.toml"],
        2,
        _first("locked", "ws/supervision-workbook.toml"),
        "permission denied",
        unprivileged=True,
    ),
    "serve a folder that is not a workspace": case(
        lambda p: ["serve", p["notws"]], 2, _first("notws"), "not a supervision-workbook"
    ),
    # --- the exchange, through both commands ------------------------------------------------
    "submit a missing file": case(
        lambda p: ["submit", p["base"] + "/gone.ipynb", "--exchange", p["exchange"]],
        2,
        _first("base", "gone.ipynb"),
        "no such file",
        user="alice",
    ),
    "submit an empty file": case(
        lambda p: ["submit", p["empty_nb"], "--exchange", p["exchange"]],
        2,
        _first("empty_nb"),
        "empty",
        user="alice",
    ),
    "submit a binary file": case(
        lambda p: ["submit", p["binary_nb"], "--exchange", p["exchange"]],
        2,
        _first("binary_nb"),
        "not UTF-8",
        command="exchange",
        user="alice",
    ),
    "submit a folder": case(
        lambda p: ["submit", p["ws"], "--exchange", p["exchange"]],
        2,
        _first("ws"),
        "is a folder",
        command="exchange",
        user="alice",
    ),
    "submit as someone the roster does not know": case(
        lambda p: ["submit", p["artifact"], "--exchange", p["exchange"]],
        2,
        "mallory",
        _first("exchange", "roster.json"),
        command="exchange",
        user="mallory",
    ),
    "submit to a missing exchange folder": case(
        lambda p: ["submit", p["artifact"], "--exchange", p["base"] + "/nope"],
        2,
        _first("base", "nope"),
        "no such exchange folder",
        user="alice",
    ),
    "collect an unknown trainee": case(
        lambda p: [
            *("collect", "--exchange", p["exchange"], "--workspace", p["plain"]),
            *("--trainee", "zed"),
        ],
        2,
        "'zed'",
        _first("exchange", "roster.json"),
        command="exchange",
        user="okafor",
    ),
    "collect into a folder that is not a workspace": case(
        lambda p: ["collect", "--exchange", p["exchange"], "--workspace", p["notws"]],
        2,
        _first("notws"),
        "init",
        user="okafor",
    ),
    "collect with a binary roster": case(
        lambda p: ["collect", "--exchange", p["binroster"], "--workspace", p["plain"]],
        2,
        _first("binroster", "roster.json"),
        "not UTF-8",
        command="exchange",
        user="okafor",
    ),
    "collect with a roster cut off": case(
        lambda p: ["collect", "--exchange", p["badroster"], "--workspace", p["plain"]],
        2,
        _first("badroster", "roster.json"),
        "JSON",
        user="okafor",
    ),
    "exchange-setup without a roster": case(
        lambda p: ["exchange-setup", p["notws"]], 2, _first("notws", "roster.json"), "no roster"
    ),
    "exchange-setup where a file is": case(
        lambda p: ["exchange-setup", p["afile"]],
        2,
        _first("afile"),
        "is a file",
        command="exchange",
    ),
    "exchange-setup in a read-only folder": case(
        lambda p: [
            *("exchange-setup", p["readonly"] + "/exchange", "--shared-account"),
            *("--roster", p["exchange"] + "/roster.json"),
        ],
        2,
        _first("readonly", "exchange"),
        "permission denied",
        command="exchange",
        unprivileged=True,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_mistake_ends_in_one_line_naming_the_file_and_the_problem(
    name: str, p: Paths, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mistake = CASES[name]
    monkeypatch.delenv("SUPERVISION_WORKBOOK_DEBUG", raising=False)
    monkeypatch.delenv("SUPERVISION_WORKBOOK_ROSTER", raising=False)
    if mistake.user:
        monkeypatch.setenv("JUPYTERHUB_USER", mistake.user)
    code, out, err = mistake.run(p, capsys)
    assert code == mistake.code, (out, err)
    assert "Traceback" not in out + err
    if code == 2:
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), err
    else:  # validate's findings: one line per bad file on stdout, a count on stderr
        lines = out.splitlines()
        assert len(lines) == 1, out
    for words in mistake.says(p):
        assert words in lines[0], f"{words!r} not in {lines[0]!r}"


def test_nothing_the_sweep_refused_was_changed(p: Paths, capsys: pytest.CaptureFixture) -> None:
    """After every refusal above, the demo workspace still validates, and `init` and
    `demo` on it changed no file."""
    before = {f: f.read_bytes() for f in p.ws.rglob("*") if f.is_file() and f.suffix != ".sqlite"}
    assert main(["init", str(p.ws)]) == 2
    assert main(["demo", str(p.ws)]) == 2
    after = {f: f.read_bytes() for f in p.ws.rglob("*") if f.is_file() and f.suffix != ".sqlite"}
    assert after == before
    assert main(["validate", str(p.ws)]) == 0
    assert "3 artifacts valid." in capsys.readouterr().err


# --- the real entry points ------------------------------------------------------------------
def _one_line_error(proc: subprocess.CompletedProcess[str], *says: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    for words in says:
        assert words in lines[0]


def test_running_demo_twice_on_a_folder_says_so_instead_of_a_traceback(tmp_path: Path) -> None:
    """The report of issue 14: the second run used to end in a ConflictError traceback."""
    ws = tmp_path / "ws"
    cmd = [str(BIN / "supervision-workbook"), "demo", str(ws), "--trainees", "1", "--cases", "1"]
    cmd += ["--sessions", "1"]
    first = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert "Wrote 2 synthetic reviews (1 trainee, 1 case each, 1 session)" in first.stdout
    _one_line_error(subprocess.run(cmd, capture_output=True, text=True), str(ws), "--replace")
    again = subprocess.run([*cmd, "--replace"], capture_output=True, text=True, check=True)
    assert "Replaced the previous demo (2 reviews removed)." in again.stdout
    assert len(list((ws / "reviews").rglob("*.ipynb"))) == 2


def test_python_dash_m_entry_points_end_in_one_line(p: Paths) -> None:
    exchange = subprocess.run(
        [
            *(sys.executable, "-m", "supervision_workbook.exchange", "submit"),
            *(str(p.binary_nb), "--exchange", str(p.exchange)),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "JUPYTERHUB_USER": "alice"},
    )
    _one_line_error(exchange, str(p.binary_nb), "not UTF-8")
    cli = subprocess.run(
        [sys.executable, "-m", "supervision_workbook.cli", "index", str(p.notws)],
        capture_output=True,
        text=True,
    )
    _one_line_error(cli, str(p.notws), "init")


@pytest.mark.skipif(not IS_ROOT, reason="the in-process cases already run unprivileged")
def test_a_real_unprivileged_process_is_refused_and_says_so(p: Paths) -> None:
    """As root, the in-process cases only change the effective user id; this one starts a
    process that is `nobody` through and through, as a second account on a server is."""
    as_nobody = {"user": NOBODY, "group": NOBODY, "extra_groups": [], "cwd": "/"}
    try:
        subprocess.run([sys.executable, "-c", "import supervision_workbook"], **as_nobody)
    except PermissionError:
        pytest.skip(f"{sys.executable} lies in a folder that nobody may enter")
    proc = subprocess.run(
        [sys.executable, "-m", "supervision_workbook.cli", "export", str(p.locked / "ws")],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": "/nonexistent"},
        **as_nobody,
    )
    _one_line_error(proc, str(p.locked / "ws"), "permission denied")


# --- bugs are not swallowed -----------------------------------------------------------------
def test_an_unexpected_error_is_one_line_saying_it_is_a_bug_and_how_to_see_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from supervision_workbook.cli import artifacts

    def broken(_args: object) -> int:
        raise KeyError("respondent")

    monkeypatch.setattr(artifacts, "cmd_validate", broken)
    monkeypatch.delenv("SUPERVISION_WORKBOOK_DEBUG", raising=False)
    assert main(["validate", str(tmp_path)]) == EXIT_BUG
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert "unexpected KeyError" in err and "SUPERVISION_WORKBOOK_DEBUG=1" in err
    monkeypatch.setenv("SUPERVISION_WORKBOOK_DEBUG", "1")
    with pytest.raises(KeyError, match="respondent"):
        main(["validate", str(tmp_path)])


# --- counting -------------------------------------------------------------------------------
def test_counts_agree_with_their_nouns(p: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    assert [plural(n, "artifact") for n in (0, 1, 2)] == [
        "0 artifacts",
        "1 artifact",
        "2 artifacts",
    ]
    assert plural(1, "was", "were") == "1 was" and plural(3, "was", "were") == "3 were"
    assert main(["validate", str(p.artifact)]) == 0
    assert capsys.readouterr().err.strip() == "1 artifact valid."
    assert main(["validate", str(p.artifact), str(p.empty_nb)]) == 1
    assert "1 of 2 files failed validation." in capsys.readouterr().err
