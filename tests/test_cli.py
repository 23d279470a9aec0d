"""The command line, as a program administrator and a supervisor use it."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from supervision_workbook.alerts import RULES
from supervision_workbook.cli import main

BIN = Path(sys.executable).parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def small_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("cli") / "ws"
    assert (
        main(["demo", str(ws), "--trainees", "2", "--cases", "2", "--sessions", "4", "--seed", "3"])
        == 0
    )
    return ws


def test_help_documents_every_command() -> None:
    out = subprocess.run(
        [BIN / "supervision-workbook", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in (
        "init",
        "demo",
        "validate",
        "score",
        "export",
        "instruments",
        "index",
        "serve",
        "submit",
        "collect",
    ):
        assert command in out
    demo_help = subprocess.run(
        [BIN / "supervision-workbook", "demo", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for flag in ("--trainees", "--cases", "--sessions", "--seed"):
        assert flag in demo_help


def test_an_administrator_initialises_a_workspace_with_commented_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "init", str(tmp_path / "ws"))
    assert code == 0
    config = (tmp_path / "ws" / "supervision-workbook.toml").read_text()
    assert "sources differ on whether the SRS cut-off" in config
    assert "cutoff_comparison" in config
    assert "Workspace ready" in out


def test_score_prints_subscales_total_and_alerts_as_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # WAI-SR client: Task = items 1,2,10,12; Bond = 3,5,7,9; Goal = 4,6,8,11.
    answers = "5,4,3,2,3,2,3,2,3,4,2,5"
    code, out, _ = run(capsys, "score", "wai-sr-client", "--answers", answers, "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["instrument"] == "wai-sr-client"
    assert set(payload) == {"instrument", "subscales", "total", "alerts"}
    # task: 5+4+4+5 = 18, mean 4.5; bond: 3+3+3+3 = 12, mean 3; goal: 2+2+2+2 = 8, mean 2
    assert payload["subscales"]["task"] == {"sum": 18, "mean": 4.5}
    assert payload["subscales"]["bond"] == {"sum": 12, "mean": 3}
    assert payload["subscales"]["goal"] == {"sum": 8, "mean": 2}
    assert payload["total"] == {"sum": 38, "mean": pytest.approx(38 / 12, abs=1e-4)}
    assert isinstance(payload["alerts"], list)


def test_score_flags_an_srs_total_below_the_cutoff(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", "srs", "--answers", "9,9,8.5,8", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["total"]["sum"] == 34.5
    rules = [a["rule"] for a in payload["alerts"]]
    assert "cutoff" in rules
    assert any("36" in a["message"] for a in payload["alerts"])


def test_score_table_output_for_people(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", "srs", "--answers", "9.5,9.5,9.5,9.5")
    assert code == 0
    assert "total" in out and "38" in out and "no alerts" in out


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ("4,5,3", "expects 12 answers, got 3"),
        ("5,5,5,5,5,5,5,5,5,5,5,9", "9"),
        ("5,5,5,5,5,5,5,5,5,5,5,x", "not a number"),
    ],
)
def test_score_refuses_wrong_counts_and_values_with_exit_2(
    capsys: pytest.CaptureFixture[str], answers: str, expected: str
) -> None:
    code, out, err = run(capsys, "score", "wai-sr-client", "--answers", answers)
    assert code == 2
    assert out == ""
    assert expected in err and err.startswith("error:")


def test_score_names_the_known_instruments_when_one_is_unknown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "score", "no-such-thing", "--answers", "1")
    assert code == 2
    assert "unknown instrument" in err and "wai-sr-client" in err


def test_instruments_lists_licensed_ones_without_wording(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "instruments")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()}
    for inst in (
        "alliance-checkin-client",
        "alliance-checkin-therapist",
        "supervision-checkin",
        "rupture-log",
        "countertransference",
        "wai-sr-client",
        "wai-sr-therapist",
        "srs",
        "ors",
    ):
        assert inst in lines
    assert "no wording (load a text pack)" in lines["wai-sr-client"]
    assert "open" in lines["alliance-checkin-client"]


def test_validate_passes_on_a_demo_workspace_and_changes_nothing(
    small_ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = sorted((small_ws / "reviews").rglob("*.ipynb"))
    before = {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files}
    code, out, err = run(capsys, "validate", str(small_ws / "reviews"))
    assert code == 0, out
    assert f"{len(files)} artifacts valid" in err
    assert {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files} == before


def test_validate_reports_one_line_per_bad_file_and_exits_1(
    small_ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = sorted((small_ws / "reviews").rglob("*.ipynb"))[0]
    truncated = tmp_path / "truncated.ipynb"
    truncated.write_bytes(good.read_bytes()[:500])
    garbage = tmp_path / "garbage.ipynb"
    garbage.write_text("this is not json")
    code, out, _ = run(capsys, "validate", str(good), str(truncated), str(garbage))
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(str(truncated)) and "truncat" in lines[0].lower()
    assert lines[1].startswith(str(garbage))
    assert truncated.read_bytes() == good.read_bytes()[:500]


def test_validate_says_when_a_path_does_not_exist(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", "/no/such/place")
    assert code == 2 and "no such file" in err


def test_export_writes_one_row_per_review_instrument_respondent_and_score(
    small_ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "scores.csv"
    code, _, _ = run(capsys, "export", str(small_ws), "--format", "csv", "--out", str(out_file))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out_file.read_text())))
    assert rows, "export wrote no rows"
    first = rows[0]
    assert set(first) >= {"review_id", "instrument", "respondent", "score", "sum", "mean", "alerts"}
    respondents = {r["respondent"] for r in rows}
    assert {"client", "therapist"} <= respondents
    scores = {r["score"] for r in rows}
    assert {"goal", "task", "bond", "total"} <= scores
    # Free text never leaves in an export.
    assert "I noticed" not in out_file.read_text()
    # Every alert rule named in the export is a real rule.
    rules = {rule for r in rows for rule in r["alerts"].split(";") if rule}
    assert rules <= set(RULES)


def test_index_can_be_deleted_and_rebuilt_from_the_artifacts(
    small_ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, before, _ = run(capsys, "index", str(small_ws))
    assert code == 0
    (small_ws / "index.sqlite").unlink()
    code, after, err = run(capsys, "index", str(small_ws), "--rebuild")
    assert code == 0
    assert after == before
    assert "Indexed 28 of 28 artifacts" in err  # 16 sessions, 12 meetings
    assert "C-101" in after


def test_a_folder_that_is_not_a_workspace_gets_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "index", str(tmp_path))
    assert code == 2
    assert "init" in err


def test_long_commands_stay_quiet_when_piped(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [
            BIN / "supervision-workbook",
            "demo",
            str(tmp_path / "ws"),
            "--trainees",
            "1",
            "--cases",
            "1",
            "--sessions",
            "2",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "\r" not in proc.stderr and "%|" not in proc.stderr
    assert "Wrote 3 synthetic reviews" in proc.stdout


def test_a_typo_in_the_configuration_is_named_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    assert main(["init", str(ws)]) == 0
    config = ws / "supervision-workbook.toml"
    config.write_text(config.read_text().replace("divergence = 1.0", "divergence = -3"))
    capsys.readouterr()
    code, _, err = run(capsys, "export", str(ws))
    assert code == 2
    assert err.startswith("error:") and "supervision-workbook.toml" in err
    assert "alerts.divergence" in err and "Traceback" not in err


def test_init_on_an_existing_workspace_changes_nothing_unless_told_it_may_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    assert main(["init", str(ws)]) == 0
    config = ws / "supervision-workbook.toml"
    config.write_text(config.read_text() + "\n# our program's settings\n")
    (ws / "textpacks").rmdir()
    capsys.readouterr()
    code, _, err = run(capsys, "init", str(ws))
    assert code == 2 and "already a workspace" in err and "--exist-ok" in err
    assert not (ws / "textpacks").exists()
    # What a hub runs at every start: keeps the configuration, adds what is missing.
    code, out, _ = run(capsys, "init", "--exist-ok", str(ws))
    assert code == 0 and "added textpacks" in out
    assert config.read_text().endswith("# our program's settings\n")
    assert (ws / "textpacks").is_dir()


def _demo(ws: Path, *extra: str) -> int:
    return main(["demo", str(ws), "--trainees", "1", "--cases", "1", "--sessions", "2", *extra])


def test_demo_replace_rewrites_only_the_demo_and_keeps_a_trainees_own_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A class used the demo workspace and a trainee saved a review of their own in it;
    the director resets the demo for the next class. The trainee's review stays."""
    from supervision_workbook.artifact import load
    from supervision_workbook.model import new_id
    from supervision_workbook.store import Workspace

    ws = tmp_path / "ws"
    assert _demo(ws) == 0
    demo_files = sorted((ws / "reviews").rglob("*.ipynb"))
    review = load(demo_files[0]).review.model_copy(update={"id": new_id("rv")})
    own = Workspace(ws).save(review).path
    capsys.readouterr()
    code, out, _ = run(capsys, "demo", str(ws), "--trainees", "1", "--cases", "1",
                       "--sessions", "2", "--seed", "9", "--replace")  # fmt: skip
    assert code == 0
    assert "Replaced the previous demo (3 reviews removed); kept 1 other review." in out
    assert own.is_file()
    assert not any(f.exists() for f in demo_files)
    assert len(list((ws / "reviews").rglob("*.ipynb"))) == 4
    # --add beside it, with another seed; the same seed again is refused.
    assert _demo(ws, "--add", "--seed", "10") == 0
    assert "holds 4 other reviews" in capsys.readouterr().out
    code, _, err = run(capsys, "demo", str(ws), "--add", "--seed", "10")
    assert code == 2 and "already holds the demo of seed 10" in err


def test_demo_replace_refuses_when_a_demo_review_was_edited_and_removes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    assert _demo(ws) == 0
    files = sorted((ws / "reviews").rglob("*.ipynb"))
    edited = files[-1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    before = {f: f.read_bytes() for f in files}
    capsys.readouterr()
    code, _, err = run(capsys, "demo", str(ws), "--replace")
    assert code == 2
    assert err.startswith(f"error: {edited}: changed since the demo wrote it")
    assert {f: f.read_bytes() for f in files} == before


def test_a_tampered_demo_record_cannot_make_replace_delete_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    assert _demo(ws) == 0
    precious = tmp_path / "precious.ipynb"
    precious.write_text("{}")
    record = ws / "demo-manifest.json"
    data = json.loads(record.read_text())
    data["demos"][0]["files"]["reviews/../../precious.ipynb"] = "0" * 64
    record.write_text(json.dumps(data))
    capsys.readouterr()
    code, _, err = run(capsys, "demo", str(ws), "--replace")
    assert code == 2 and "not an artifact of this workspace" in err
    assert precious.read_text() == "{}"
