"""The SQLite index behind the caseload dashboard, told as a supervisor's week."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from supervision_workbook import artifact
from supervision_workbook.config import CONFIG_NAME, DEFAULT_CONFIG_TEXT
from supervision_workbook.model import (
    Case,
    InstrumentResponse,
    Resolved,
    Respondent,
    Review,
    ReviewKind,
    Rupture,
    RuptureType,
    SessionEntry,
    SignOff,
    Status,
    Trainee,
)
from supervision_workbook.store import (
    INDEX_VERSION,
    CaseloadRow,
    Workspace,
    _records,
    init_workspace,
)

AVERY = Trainee(id="tr-avery0001", name="Avery Demo", supervisor="Dr. Demo Supervisor")
JORDAN = Trainee(id="tr-jordan001", name="Jordan Sample", supervisor="Dr. Demo Supervisor")
C014 = Case(id="cs-c0140001", code="C-014", trainee_id=AVERY.id)
C020 = Case(id="cs-c0200001", code="C-020", trainee_id=JORDAN.id)
MONDAY = date(2026, 3, 2)


def rating(instrument: str, who: Respondent, level: int, tag: str) -> InstrumentResponse:
    """Six answers whose mean is ``level`` (item 5 is reverse-scored: 6 minus the answer)."""
    answers: list[float | None] = [level, level, level, level, 6 - level, level]
    return InstrumentResponse(
        id=f"ir-{tag}", instrument_id=instrument, respondent=who, answers=answers
    )


def session(number: int, client: int, therapist: int, ruptures: list[Rupture] = ()) -> SessionEntry:  # type: ignore[assignment]
    return SessionEntry(
        id=f"se-{number:04d}",
        number=number,
        date=MONDAY + timedelta(weeks=number - 1),
        responses=[
            rating("alliance-checkin-client", Respondent.client, client, f"c{number:03d}"),
            rating("alliance-checkin-therapist", Respondent.therapist, therapist, f"t{number:03d}"),
        ],
        ruptures=list(ruptures),
    )


def stamp(day: date, hour: int = 18) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


def session_review(trainee: Trainee, case: Case, entry: SessionEntry) -> Review:
    return Review(
        id=f"rv-{case.code[2:].lower()}s{entry.number:03d}",
        kind=ReviewKind.session,
        status=Status.submitted,
        trainee=trainee,
        case=case,
        created=stamp(entry.date),
        updated=stamp(entry.date),
        sessions=[entry],
    )


def case_review(
    trainee: Trainee, case: Case, entries: list[SessionEntry], minutes: int, fmt: str
) -> Review:
    meeting = entries[-1].date + timedelta(days=2)
    review = Review(
        id=f"rv-{case.code[2:].lower()}cr{len(entries):03d}",
        kind=ReviewKind.case_review,
        status=Status.reviewed,
        trainee=trainee,
        case=case,
        created=stamp(meeting, 10),
        updated=stamp(meeting, 11),
        sessions=entries,
        goals="Keep checking in on the bond.",
    )
    return artifact.sign_off(
        review,
        SignOff(
            id=f"so-{case.code[2:].lower()}{len(entries):04d}",
            supervisor=trainee.supervisor,
            signed_at=stamp(meeting, 12),
            minutes=minutes,
            format=fmt,  # type: ignore[arg-type]
        ),
    )


WITHDRAWAL = Rupture(
    id="ru-0001",
    type=RuptureType.withdrawal,
    salience=3,
    resolved=Resolved.no,
    description="went quiet after I mentioned her mother",
)


def week_one_and_two(ws: Workspace) -> None:
    """Avery's case C-014: a rupture in session 1, left unrepaired; session 2 steady."""
    s1, s2 = session(1, 4, 4, [WITHDRAWAL]), session(2, 4, 4)
    for entry in (s1, s2):
        ws.save(session_review(AVERY, C014, entry))


def signed_review_of_weeks_one_and_two(ws: Workspace) -> None:
    s1, s2 = session(1, 4, 4, [WITHDRAWAL]), session(2, 4, 4)
    ws.save(case_review(AVERY, C014, [s1, s2], 60, "individual"))


def week_three(ws: Workspace) -> None:
    """Session 3: the client's alliance falls to 3 while the therapist rates it 5."""
    ws.save(session_review(AVERY, C014, session(3, 3, 5)))


def jordans_case(ws: Workspace) -> None:
    s1 = session(1, 5, 5)
    ws.save(session_review(JORDAN, C020, s1))
    ws.save(case_review(JORDAN, C020, [s1], 90, "group"))


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    root = init_workspace(tmp_path / "ws")
    (root / CONFIG_NAME).write_text(
        DEFAULT_CONFIG_TEXT.replace("group_weight = 1.0", "group_weight = 0.5"), encoding="utf-8"
    )
    return Workspace(root)


@pytest.fixture
def caseload_ws(ws: Workspace) -> Workspace:
    week_one_and_two(ws)
    signed_review_of_weeks_one_and_two(ws)
    week_three(ws)
    jordans_case(ws)
    return ws


def row_for(ws: Workspace, code: str) -> CaseloadRow:
    return next(r for r in ws.index.caseload() if r.case_code == code)


# --- the caseload --------------------------------------------------------------------------
def test_the_caseload_shows_each_case_with_its_latest_alliance_and_open_flags(
    caseload_ws: Workspace,
) -> None:
    rows = caseload_ws.index.caseload()
    assert [(r.trainee_name, r.case_code) for r in rows] == [
        ("Avery Demo", "C-014"),
        ("Jordan Sample", "C-020"),
    ]
    avery = rows[0]
    assert avery.trainee_id == AVERY.id and avery.case_id == C014.id
    assert avery.sessions == 3  # sessions 1-2 appear twice (workbooks and case review)
    assert avery.latest_session_number == 3
    assert avery.latest_session_date == date(2026, 3, 16)
    assert avery.latest_client == 3.0
    assert avery.latest_therapist == 5.0
    # Session 3: below the client cut-off (3.5), a drop of 1 from 4, and the therapist two
    # points above the client on goal, task and bond (one flag listing the three); the
    # rupture of session 1 was discussed but is still unrepaired (a case-level state).
    assert avery.flag_rules == ("cutoff", "divergence", "drop", "still_unrepaired")
    assert avery.flag_count == 4
    assert avery.unrepaired_ruptures == 1
    assert (avery.individual_minutes, avery.group_minutes, avery.minutes) == (60, 0, 60)
    assert avery.reviewed_through == 2
    assert avery.last_status == "submitted"  # the session 3 workbook is the latest
    jordan = rows[1]
    assert (jordan.flag_count, jordan.flag_rules) == (0, ())
    assert (jordan.group_minutes, jordan.last_status) == (90, "signed_off")


def test_an_unrepaired_rupture_stays_flagged_until_a_signed_review_covers_it(
    ws: Workspace,
) -> None:
    week_one_and_two(ws)
    before = row_for(ws, "C-014")
    assert before.flag_rules == ("unrepaired_rupture",)
    assert before.reviewed_through is None
    signed_review_of_weeks_one_and_two(ws)
    after = row_for(ws, "C-014")
    assert after.flag_rules == ("still_unrepaired",)  # discussed, but still not repaired
    assert after.unrepaired_ruptures == 1
    assert after.last_status == "signed_off"


def test_supervision_minutes_count_group_time_at_the_configured_weight(
    caseload_ws: Workspace,
) -> None:
    minutes = {m.trainee_id: m for m in caseload_ws.index.supervision_minutes()}
    avery, jordan = minutes[AVERY.id], minutes[JORDAN.id]
    assert (avery.individual_minutes, avery.group_minutes, avery.weighted_minutes) == (60, 0, 60)
    assert (jordan.individual_minutes, jordan.group_minutes) == (0, 90)
    assert jordan.weighted_minutes == 45  # group_weight = 0.5 in this workspace
    assert jordan.required_minutes == 6000
    assert jordan.remaining_minutes == 6000 - 45


def test_reviews_can_be_listed_by_trainee_case_and_kind(caseload_ws: Workspace) -> None:
    index = caseload_ws.index
    assert len(index.reviews()) == 6
    averys = index.reviews(trainee_id=AVERY.id)
    assert [r.review_id for r in averys] == [
        "rv-014s001",
        "rv-014s002",
        "rv-014cr002",
        "rv-014s003",
    ]
    signed = index.reviews(case_id=C014.id, kind="case_review")
    assert len(signed) == 1
    row = signed[0]
    assert (row.signoff_minutes, row.signoff_format, row.status) == (60, "individual", "signed_off")
    assert row.path.exists()
    assert caseload_ws.load(row.path).content_hash == row.content_hash
    assert caseload_ws.find("rv-014cr002") == row.path


def test_drafts_are_not_on_the_caseload(ws: Workspace) -> None:
    ws.save(
        session_review(AVERY, C014, session(1, 4, 4)).model_copy(update={"status": Status.draft}),
        draft=True,
    )
    assert ws.index.caseload() == []
    assert ws.index.reviews() == []


def test_a_copied_file_of_the_same_review_is_counted_once(caseload_ws: Workspace) -> None:
    signed = caseload_ws.index.reviews(case_id=C014.id, kind="case_review")[0].path
    shutil.copy(signed, signed.with_name("copy-from-email.ipynb"))
    caseload_ws.index.refresh()
    assert len(caseload_ws.index.reviews(case_id=C014.id)) == 5
    assert row_for(caseload_ws, "C-014").individual_minutes == 60


# --- a cache that can always be rebuilt ----------------------------------------------------
def test_the_index_can_be_deleted_and_is_rebuilt_on_the_next_question(
    caseload_ws: Workspace,
) -> None:
    before = caseload_ws.index.caseload()
    caseload_ws.index.path.unlink()
    assert Workspace(caseload_ws.path).index.caseload() == before


@pytest.mark.parametrize("version", [0, INDEX_VERSION + 1])
def test_an_index_from_another_version_is_rebuilt_not_misread(
    caseload_ws: Workspace, version: int
) -> None:
    before = caseload_ws.index.caseload()
    path = caseload_ws.index.path
    path.unlink()
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE cases (trainee TEXT, flags INTEGER)")
        old.execute("INSERT INTO cases VALUES ('someone else', 99)")
        old.execute(f"PRAGMA user_version = {version}")
    old.close()
    assert caseload_ws.index.caseload() == before
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION
    db.close()


def test_an_index_file_that_is_not_a_database_is_replaced(caseload_ws: Workspace) -> None:
    before = caseload_ws.index.caseload()
    caseload_ws.index.path.write_bytes(b"this is not sqlite" * 100)
    assert caseload_ws.index.caseload() == before


def damage(path: Path) -> None:
    """Scramble every page but the first (the header and schema stay readable), as a
    power cut in the middle of a write can."""
    data = path.read_bytes()
    path.write_bytes(data[:4096] + bytes(range(256)) * ((len(data) - 4096) // 256 + 1))


def test_a_damaged_index_is_removed_when_a_question_meets_it_and_then_rebuilt(
    caseload_ws: Workspace,
) -> None:
    before = caseload_ws.index.caseload()
    damage(caseload_ws.index.path)
    with pytest.raises(sqlite3.DatabaseError, match="malformed"):
        caseload_ws.index.caseload()
    assert not caseload_ws.index.path.exists()
    assert caseload_ws.index.caseload() == before


def test_a_save_stands_on_a_damaged_index_and_the_caseload_then_includes_it(
    caseload_ws: Workspace,
) -> None:
    damage(caseload_ws.index.path)
    ref = caseload_ws.save(session_review(AVERY, C014, session(4, 5, 5)))
    assert caseload_ws.load(ref.path).content_hash == ref.content_hash
    row = row_for(caseload_ws, "C-014")
    assert (row.sessions, row.latest_client) == (4, 5.0)


def test_index_commits_do_not_wait_for_the_disk(ws: Workspace) -> None:
    # A cache: a save's upsert must not pay for fsyncs (see the _index docstring).
    with ws.index._connect() as conn:
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 0


def test_a_rebuild_reports_bad_files_and_indexes_the_rest(caseload_ws: Workspace) -> None:
    paths = {r.review_id: r.path for r in caseload_ws.index.reviews()}
    truncated = paths["rv-020s001"]
    truncated.write_bytes(truncated.read_bytes()[:500])
    edited = paths["rv-014s002"]
    edited.write_text(
        edited.read_text(encoding="utf-8").replace('"number": 2', '"number": 7'), encoding="utf-8"
    )
    seen: list[Path] = []
    problems = caseload_ws.index.rebuild(progress=seen.append)
    assert sorted(seen) == sorted(caseload_ws.iter_artifacts())
    assert {p for p, _ in problems} == {truncated, edited}
    errors = dict(problems)
    assert "cut off" in errors[truncated] or "ends early" in errors[truncated]
    assert "content_hash" in errors[edited]
    assert caseload_ws.index.problems() == sorted(problems)
    assert len(caseload_ws.index.reviews()) == 4
    assert row_for(caseload_ws, "C-020").minutes == 90  # the case review still counts


def test_refresh_rereads_only_what_changed(
    caseload_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    caseload_ws.index.rebuild()
    parsed: list[Path] = []
    real_parse = _records.parse_artifact

    def counting(path: Path) -> tuple[int, int, Review, str]:
        parsed.append(path)
        return real_parse(path)

    monkeypatch.setattr(_records, "parse_artifact", counting)
    assert caseload_ws.index.refresh() == []
    assert parsed == []
    # A trainee's workbook arrives through the shared exchange folder...
    other = Workspace(init_workspace(caseload_ws.path.parent / "trainee"))
    arrived = other.save(session_review(AVERY, C014, session(4, 4, 4))).path
    target = caseload_ws.path / "reviews" / AVERY.id / C014.id / arrived.name
    shutil.copy(arrived, target)
    # ...and an old one is deleted by hand.
    gone = caseload_ws.index.reviews(case_id=C020.id, kind="session")[0].path
    gone.unlink()
    caseload_ws.index.refresh()
    assert parsed == [target]
    assert row_for(caseload_ws, "C-014").sessions == 4
    assert gone not in [r.path for r in caseload_ws.index.reviews()]


def test_a_rebuild_reads_each_file_once(
    caseload_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[Path] = []
    real = Path.open

    def counting(self: Path, *args, **kwargs):
        if self.suffix == ".ipynb":
            reads.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", counting)
    caseload_ws.index.rebuild()
    assert sorted(reads) == sorted(caseload_ws.iter_artifacts())


def test_changing_the_thresholds_recomputes_flags_without_reading_a_file(
    caseload_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "divergence" in row_for(caseload_ws, "C-014").flag_rules
    config = caseload_ws.path / CONFIG_NAME
    config.write_text(
        config.read_text(encoding="utf-8").replace("divergence = 1.0", "divergence = 2.5"),
        encoding="utf-8",
    )

    def no_reading(path: Path) -> None:
        raise AssertionError(f"{path} was parsed again")

    monkeypatch.setattr(_records, "parse_artifact", no_reading)
    row = row_for(Workspace(caseload_ws.path), "C-014")
    assert row.flag_rules == ("cutoff", "drop", "still_unrepaired")


def test_saving_updates_the_caseload_without_a_rebuild(ws: Workspace) -> None:
    week_one_and_two(ws)
    assert row_for(ws, "C-014").sessions == 2
    week_three(ws)
    row = row_for(ws, "C-014")
    assert (row.sessions, row.latest_client) == (3, 3.0)


def test_a_case_the_alert_rules_choke_on_is_flagged_not_shown_as_clean(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from supervision_workbook import alerts

    def unforeseen(*args: object) -> list[object]:
        raise RuntimeError("a case the rules did not foresee")

    week_one_and_two(ws)
    monkeypatch.setattr(alerts, "case_flags", unforeseen)
    assert ws.index.rebuild() == []
    row = row_for(ws, "C-014")
    assert row.flag_rules == ("alerts-failed",)
    assert row.flag_count == 1
    assert row.sessions == 2  # everything else is still shown


def test_an_answer_off_the_scale_shows_no_score_rather_than_a_wrong_one(ws: Workspace) -> None:
    assert ws.index.caseload() == []  # an empty, complete index
    # A record that passed its hash check but holds an answer off the scale (6 on 1-5).
    broken = session_review(AVERY, C014, session(1, 4, 4))
    broken.sessions[0].responses[0].answers[0] = 6
    path = ws.path / "reviews" / AVERY.id / C014.id / "hand-made.ipynb"
    path.parent.mkdir(parents=True)
    path.write_text("{}", encoding="utf-8")
    ws.index.upsert(path, broken)
    row = row_for(ws, "C-014")
    assert row.latest_client is None
    assert row.latest_therapist == 4.0


def test_a_save_stands_even_when_the_index_is_busy_and_refresh_catches_up(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    week_one_and_two(ws)
    assert row_for(ws, "C-014").sessions == 2

    def busy(*args: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(type(ws.index), "upsert", busy)
    ref = ws.save(session_review(AVERY, C014, session(3, 3, 5)))
    monkeypatch.undo()
    assert ws.load(ref.path).content_hash == ref.content_hash
    assert row_for(ws, "C-014").sessions == 2  # the cache is behind...
    ws.index.refresh()
    assert row_for(ws, "C-014").sessions == 3  # ...until the next refresh
