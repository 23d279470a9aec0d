"""The hours report, told as a programme director filing it: the PDF's text is read back
and its numbers checked against what was signed off."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from fixtures import hours_term as h
from supervision_workbook.cli import main
from supervision_workbook.hours import trainee_hours
from supervision_workbook.hours._ledger import key_signature
from supervision_workbook.model import IndirectEntry, SignOff, Trainee
from supervision_workbook.reports import ReportContext, hours_report_pdf
from supervision_workbook.store import Workspace, add_indirect, init_workspace

TODAY = h.MONDAY + timedelta(weeks=6)


def pdf_text(path: Path) -> str:
    """The PDF's text with runs of whitespace folded, so wrapped cells read as one line."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


@pytest.fixture
def term(tmp_path: Path) -> Workspace:
    """Six weeks of Ana's supervision under the programme's rules, plus an indirect log."""
    ws = Workspace(init_workspace(tmp_path / "ws"))
    h.write_config(ws, h.DATED + h.RULES + h.WEEKLY)
    for week in range(6):
        h.meet(ws, week + 1, h.MONDAY + timedelta(weeks=week, days=2), 60)
    h.meet(ws, 7, h.MONDAY + timedelta(weeks=5, days=4), 90, "live_observation", "video")
    h.meet(ws, 8, h.MONDAY + timedelta(weeks=4, days=3), 120, "group")
    add_indirect(
        ws, "tr-ana", IndirectEntry(id="ih-0001", date=h.MONDAY, minutes=45, activity="notes")
    )
    return ws


def test_the_report_a_director_files_shows_each_rule_the_hours_by_format_and_the_records(
    term: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ana-hours.pdf"
    argv = ["report", "hours", str(term.path), "--trainee", "Ana Lima", "--pdf", str(out)]
    assert main([*argv, "--today", TODAY.isoformat()]) == 0
    said = capsys.readouterr().err
    assert said.strip() == f"Wrote {out}: 8 signed-off records, 0 of 6 rules met, some behind."
    text = pdf_text(out)
    assert "Supervision hours: Ana Lima" in text
    assert "Programme 2026-09-07 to 2027-03-07" in text
    # Each rule on its own line, with its status and numbers.
    assert "Supervision (all) on track 9.5 of 20 hours; 4.64 expected by 2026-10-19" in text
    assert "Individual supervision on track 6 of 10 hours" in text
    assert "Observed sessions on track 1 of 2 sessions" in text
    assert "Weekly supervision (all) behind 0 of 6 weeks had at least 4 h (all); 6 short" in text
    assert "Individual each week behind 0 of 6 weeks had at least 2 h (individual)" in text
    # Hours by format: in person, by video, total.
    assert "Individual 6.00 0.00 6.00" in text
    assert "Group 2.00 0.00 2.00" in text
    assert "Live observation 0.00 1.50 1.50" in text
    assert "All formats 8.00 1.50 9.50" in text
    # Client contact: 8 sessions of 50 minutes, and the trainee's own log.
    assert "Direct (recorded session length) 6.67 8 sessions" in text
    assert "Indirect: Notes 0.75 1 entry" in text
    # Every signed-off record: date, supervisor, when signed, id and the verify command.
    for n in range(1, 9):
        assert f"rv-meet-{n:04d}" in text
    assert text.count("Dr. Ruth Kay") == 8
    assert text.count("not signed with a key") == 8
    assert "2026-10-16 17:00 UTC" in text
    assert f"supervision-workbook validate {term.path.absolute() / 'reviews' / 'tr-ana'}" in text
    assert "No requirement shown here is claimed to be any accrediting body's rule" in text


def test_the_validate_command_in_the_report_checks_the_records_it_lists(
    term: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.pdf"
    main(["report", "hours", str(term.path), "--trainee", "tr-ana", "--pdf", str(out)])
    command = re.search(r"supervision-workbook validate (\S+)", pdf_text(out)).group(1)
    capsys.readouterr()
    assert main(["validate", command]) == 0
    assert capsys.readouterr().err.strip().splitlines()[-1] == "8 artifacts valid."
    # A hand edit afterwards fails the same command.
    path = Workspace(term.path).find("rv-meet-0003")
    path.write_text(path.read_text().replace('"minutes": 60', '"minutes": 600', 1))
    assert main(["validate", command]) == 1


def test_names_with_markup_print_exactly_as_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace(init_workspace(tmp_path / "ws"))
    monkeypatch.setattr(
        h, "ANA", Trainee(id="tr-ana", name="Ana <b>Lima</b> & Zoë", supervisor="Dr. <i>K</i>")
    )
    h.meet(ws, 1, h.MONDAY, 50)
    report = trainee_hours(ws, "tr-ana", today=h.MONDAY)
    context = ReportContext(
        ws.path, ws.config.hours, h.MONDAY, datetime(2026, 9, 8, tzinfo=timezone.utc)
    )
    out = tmp_path / "r.pdf"
    out.write_bytes(hours_report_pdf(report, context))
    text = pdf_text(out)
    assert "Supervision hours: Ana <b>Lima</b> & Zoë" in text
    assert "Dr. <i>K</i>" in text
    assert "No programme dates are configured, so each rule is only met or not yet met" in text
    # The same inputs give the same bytes, so a filed copy can be compared with a new one.
    assert hours_report_pdf(report, context) == out.read_bytes()


def test_a_trainee_with_no_signed_supervision_gets_a_report_that_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = Workspace(init_workspace(tmp_path / "ws"))
    h.meet(ws, 1, h.MONDAY, 50, signed=False)
    out = tmp_path / "r.pdf"
    assert main(["report", "hours", str(ws.path), "--trainee", "tr-ana", "--pdf", str(out)]) == 0
    text = pdf_text(out)
    assert "No signed-off supervision yet." in text
    assert "Supervision hours not yet met 0 of 100 hours" in text


def test_a_key_signature_is_shown_when_the_sign_off_carries_one(tmp_path: Path) -> None:
    """The report states what the record claims (``validate`` checks it against the
    roster): a sign-off made without a key says so, a signed one names its key."""
    from supervision_workbook.signing import create_key, sign

    plain = SignOff(
        id="so-1",
        supervisor="Dr. Ruth Kay",
        signed_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
        minutes=5,
        format="group",
    )
    assert key_signature(plain) == "not signed with a key"
    (tmp_path / "supervision-workbook.toml").write_text("", encoding="utf-8")
    key, _ = create_key(tmp_path, "Dr. Ruth Kay")
    signed = plain.model_copy(update={"signature": sign(key, "signoff", "rv-1", "0" * 64)})
    assert key_signature(signed) == f"key signature (Dr. Ruth Kay, key {key.key_id[:16]})"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--trainee", "Nobody"], "no trainee 'Nobody' in the index; trainees: Ana Lima (tr-ana)"),
        (["--trainee", "tr-ana", "--pdf-dir"], None),
    ],
)
def test_wrong_input_ends_in_one_line(
    term: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], args, message
) -> None:
    if message is None:
        out = tmp_path / "a-folder"
        out.mkdir()
        argv = ["report", "hours", str(term.path), "--trainee", "tr-ana", "--pdf", str(out)]
        message = "is a folder; --pdf takes the name of the PDF file to write"
    else:
        argv = ["report", "hours", str(term.path), *args, "--pdf", str(tmp_path / "x.pdf")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_hours_lists_each_rule_and_json_carries_the_numbers(
    term: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    assert main(["hours", str(term.path), "--today", TODAY.isoformat()]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Ana Lima (tr-ana), as of 2026-10-19"
    assert any(line.split()[:2] == ["behind", "Weekly"] for line in lines)
    assert (
        main(
            [
                "hours",
                str(term.path),
                "--trainee",
                "ana lima",
                "--json",
                "--today",
                TODAY.isoformat(),
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    (ana,) = data["trainees"]
    assert ana["minutes_by_format"]["live_observation"] == {"in_person": 0, "video": 90}
    total = next(r for r in ana["rules"] if r["kind"] == "total")
    assert (total["status"], total["actual"], total["target"], total["expected"]) == (
        "on_track",
        9.5,
        20,
        4.64,
    )


def test_a_trainee_logs_indirect_hours_from_the_command_line(
    term: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["indirect", str(term.path), "--trainee", "tr-ana"]
    assert (
        main(
            [
                *argv,
                "--add",
                "30",
                "--date",
                "2026-09-09",
                "--activity",
                "consultation",
                "--case",
                "C-014",
            ]
        )
        == 0
    )
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "30 min  consultation C-014" in out
    assert err.splitlines()[-1] == "2 entries, 1.25 h."
    assert main([*argv, "--add", "30"]) == 2
    assert "--add needs --date and --activity" in capsys.readouterr().err


def test_records_from_before_the_programme_are_named_but_not_listed(tmp_path: Path) -> None:
    ws = Workspace(init_workspace(tmp_path / "ws"))
    h.write_config(ws, h.DATED)
    h.meet(ws, 1, h.MONDAY - timedelta(days=3), 60)
    h.meet(ws, 2, h.MONDAY + timedelta(days=3), 60)
    out = tmp_path / "r.pdf"
    assert main(["report", "hours", str(ws.path), "--trainee", "tr-ana", "--pdf", str(out)]) == 0
    text = pdf_text(out)
    assert "2 records dated outside it are neither counted nor listed" in text
    assert "rv-meet-0002" in text and "rv-meet-0001" not in text
    assert "Individual 1.00 0.00 1.00" in text
