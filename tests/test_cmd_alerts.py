"""`supervision-workbook alerts DIR`: the flags a program scripts its weekly report from.

The story: a training program's coordinator runs the command every Monday. What it lists
must be what the supervisor sees on the dashboard, case by case, or the report would
contradict the screen.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from supervision_workbook.alerts import RULES, case_flags
from supervision_workbook.cli import main
from supervision_workbook.store import Workspace


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("alerts") / "ws"
    assert main(["demo", str(ws), "--trainees", "3", "--cases", "2", "--sessions", "6"]) == 0
    return ws


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def flags_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    code, out, _ = run(capsys, "alerts", *args, "--json")
    assert code == 0
    return json.loads(out)


def test_the_json_lists_every_flag_with_who_where_which_rule_and_whether_it_is_open(
    demo_ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = flags_json(capsys, str(demo_ws))
    assert isinstance(records, list) and records
    for r in records:
        assert {"trainee", "case", "session", "rule", "open", "message"} <= set(r)
        assert r["rule"] in RULES and isinstance(r["open"], bool)
        assert r["session"] is None or isinstance(r["session"], int)
    # The worst demo case stays visible after its sign-off, as states without a session.
    states = [r for r in records if r["session"] is None]
    assert states and all(r["open"] for r in states)
    assert {r["rule"] for r in states} <= {"still_below_cutoff", "still_unrepaired"}


def test_the_command_and_the_dashboard_count_the_same_open_flags(
    demo_ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = flags_json(capsys, str(demo_ws), "--open")
    assert all(r["open"] for r in records)
    for row in Workspace(demo_ws).index.caseload():
        mine = [r for r in records if r["case"] == row.case_code]
        assert len(mine) == row.flag_count, row.case_code
        assert {r["rule"] for r in mine} == set(row.flag_rules)


def test_the_command_agrees_with_the_case_review_of_the_latest_meeting(
    demo_ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = Workspace(demo_ws)
    row = next(r for r in ws.index.caseload() if r.case_code == "C-103")
    latest = max(
        (ws.load(p).review for p in ws.iter_artifacts()),
        key=lambda r: (r.case.code == "C-103" and r.kind.value == "case_review", r.updated),
    )
    expected = case_flags(
        latest.sessions, ws.instruments, ws.config.alerts, reviewed_through=row.reviewed_through
    )
    records = flags_json(capsys, str(demo_ws), "--case", "C-103")
    assert [(r["rule"], r["session"], r["open"]) for r in records] == [
        (f.alert.rule, f.alert.session_number, f.open) for f in expected
    ]
    assert {r["trainee"] for r in records} == {row.trainee_name}


def test_filters_narrow_to_one_trainee_or_case(
    demo_ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    riley = flags_json(capsys, str(demo_ws), "--trainee", "riley demo")
    assert riley and {r["trainee"] for r in riley} == {"Riley Demo"}
    one = flags_json(capsys, str(demo_ws), "--case", "C-104")
    assert one and {r["case"] for r in one} == {"C-104"}


def test_the_text_listing_names_the_session_rule_and_state(
    demo_ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "alerts", str(demo_ws), "--case", "C-103")
    assert code == 0
    assert "Jordan Demo C-103 case [still_below_cutoff, OPEN]" in out
    assert "[cutoff, discussed]" in out


def test_an_unknown_case_or_folder_is_one_clear_line_and_exit_2(
    demo_ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "alerts", str(demo_ws), "--case", "C-999")
    assert code == 2 and err.strip() == f"error: no case 'C-999' in {demo_ws}"
    code, _, err = run(capsys, "alerts", str(tmp_path / "nowhere"))
    assert code == 2 and err.startswith("error: ") and len(err.strip().splitlines()) == 1


def test_instruments_says_where_the_therapist_wai_sr_item_map_is_unconfirmed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "instruments")
    assert code == 0
    line = next(i for i, text in enumerate(out.splitlines()) if text.startswith("wai-sr-therapist"))
    note = out.splitlines()[line + 1]
    assert "note: Item map not confirmed" in note and "Falkenström (2020)" in note
