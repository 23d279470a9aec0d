"""Hours as a training programme counts them, told as a programme director's term.

Ana is supervised weekly; the director writes the programme's rules into the workspace TOML
and reads, rule by rule, whether Ana has met each one, is on track, or is behind.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import typing
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from fixtures.hours_term import ANA, DATED, MONDAY, RULES, WEEKLY, meet, write_config
from supervision_workbook import artifact, config, model
from supervision_workbook.artifact import integrity
from supervision_workbook.config import DEFAULT_CONFIG_TEXT, ConfigError, parse_config
from supervision_workbook.hours import evaluate, trainee_hours
from supervision_workbook.model import (
    Case,
    IndirectEntry,
    Review,
    ReviewKind,
    SignOff,
    Trainee,
)
from supervision_workbook.store import (
    Workspace,
    WorkspaceError,
    add_indirect,
    init_workspace,
    read_indirect,
    remove_indirect,
)

DATA = Path(__file__).parent / "data" / "hours"
DATA = Path(__file__).parent / "data" / "hours"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(init_workspace(tmp_path / "ws"))


def statuses(ws: Workspace, today: date) -> dict[str, tuple[str, float, float, str]]:
    result = trainee_hours(Workspace(ws.path), ANA.id, today=today)
    return {s.name: (s.status, s.actual, s.target, s.detail) for s in result.statuses}


def test_halfway_through_the_programme_each_rule_says_met_on_track_or_behind(ws) -> None:
    """Six weeks of a 26-week programme: 6 h of individual supervision against 20 h in
    all is on track (about 4.6 h were due), the 10 h individual minimum too, the one live
    observation of two is behind, and direct contact is on track."""
    write_config(ws, DATED + RULES)
    for week in range(6):
        meet(ws, week + 1, MONDAY + timedelta(weeks=week, days=2), 60)
    meet(ws, 7, MONDAY + timedelta(weeks=5, days=4), 90, "live_observation", "video")
    today = MONDAY + timedelta(weeks=6)  # 42 of 181 days
    got = statuses(ws, today)
    assert got["Supervision (all)"][:3] == ("on_track", 7.5, 20)
    assert "4.64 expected by 2026-10-19" in got["Supervision (all)"][3]
    assert got["Individual supervision"][:3] == ("on_track", 6.0, 10)
    assert got["Observed sessions"][:3] == ("on_track", 1, 2)
    assert got["Direct client contact"][:3] == ("on_track", 5.83, 10)  # 7 sessions x 50 min
    # Three months later with nothing new, every unmet rule has fallen behind.
    later = statuses(ws, MONDAY + timedelta(weeks=20))
    assert [v[0] for v in later.values()] == ["behind"] * 4
    assert "15.47 expected" in later["Supervision (all)"][3]


def test_a_rule_met_says_met_whatever_the_date(ws) -> None:
    write_config(ws, DATED + RULES)
    meet(ws, 1, MONDAY, 600, "individual")
    meet(ws, 2, MONDAY + timedelta(days=1), 600, "live_observation")
    meet(ws, 3, MONDAY + timedelta(days=2), 60, "recording_review")
    got = statuses(ws, MONDAY + timedelta(days=3))
    assert got["Supervision (all)"][:3] == ("met", 21.0, 20)
    assert got["Individual supervision"][:3] == ("met", 10.0, 10)
    assert got["Observed sessions"][:3] == ("met", 2, 2)


def test_without_programme_dates_a_rule_is_met_or_not_yet_met_and_no_pace_is_invented(ws) -> None:
    write_config(ws, "[hours]\n" + RULES)
    meet(ws, 1, MONDAY, 600, "individual")
    for today in (MONDAY, MONDAY + timedelta(days=400)):
        got = statuses(ws, today)
        assert {k: v[0] for k, v in got.items()} == {
            "Supervision (all)": "not_met",
            "Individual supervision": "met",
            "Direct client contact": "not_met",
            "Observed sessions": "not_met",
        }
        assert all("expected" not in v[3] for v in got.values())


def test_a_week_short_of_four_hours_or_of_two_individual_hours_puts_the_trainee_behind(ws) -> None:
    """At least 4 hours a week, 2 of them individual. Week 1: 2 h individual + 2 h group.
    Week 2: 4 h of group only (short of individual). Week 3: 2 h individual + 1 h group
    (short overall). The current week does not count until it has ended."""
    write_config(ws, DATED + WEEKLY)
    n = iter(range(1, 100))
    meet(ws, next(n), MONDAY, 120, "individual")
    meet(ws, next(n), MONDAY + timedelta(days=3), 120, "group")
    meet(ws, next(n), MONDAY + timedelta(weeks=1, days=1), 240, "group")
    meet(ws, next(n), MONDAY + timedelta(weeks=2), 120, "individual", "video")
    meet(ws, next(n), MONDAY + timedelta(weeks=2, days=4), 60, "triadic")
    today = MONDAY + timedelta(weeks=3, days=2)  # the fourth week has not ended yet
    got = statuses(ws, today)
    status, good, weeks, detail = got["Weekly supervision (all)"]
    assert (status, good, weeks) == ("behind", 2, 3)
    assert "short weeks starting 2026-09-21 (3 h)" in detail
    status, good, weeks, detail = got["Individual each week"]
    assert (status, good, weeks) == ("behind", 2, 3)
    assert "2026-09-14 (0 h)" in detail


def test_weeks_the_programme_allows_to_fall_short_keep_the_trainee_on_track(ws) -> None:
    write_config(ws, DATED + WEEKLY.replace("hours = 4\n", "hours = 4\nallowed_short_weeks = 1\n"))
    meet(ws, 1, MONDAY, 240, "individual")
    meet(ws, 2, MONDAY + timedelta(weeks=1), 60, "individual")  # short, but allowed
    got = statuses(ws, MONDAY + timedelta(weeks=2))
    assert got["Weekly supervision (all)"][:3] == ("on_track", 1, 2)
    assert got["Individual each week"][0] == "behind"  # no allowance on that rule
    # After the programme, with every other week covered, the weekly rule is met.
    write_config(
        ws,
        DATED.replace("2027-03-07", "2026-09-20")
        + WEEKLY.replace("hours = 4\n", "hours = 4\nallowed_short_weeks = 1\n"),
    )
    got = statuses(ws, date(2026, 12, 1))
    assert got["Weekly supervision (all)"][:3] == ("met", 1, 2)


def test_a_format_minimum_counts_only_that_format_in_person_and_by_video(ws) -> None:
    write_config(ws, '[hours]\n[[hours.rules]]\nkind = "format"\nformat = "triadic"\nhours = 2\n')
    meet(ws, 1, MONDAY, 60, "triadic")
    meet(ws, 2, MONDAY + timedelta(days=1), 45, "triadic", "video")
    meet(ws, 3, MONDAY + timedelta(days=2), 300, "individual")
    ((name, result),) = statuses(ws, MONDAY + timedelta(days=7)).items()
    assert name == "Triadic supervision"
    assert result[:3] == ("not_met", 1.75, 2)


def test_video_beyond_the_allowed_share_and_group_at_its_weight_do_not_count_in_full(ws) -> None:
    write_config(
        ws,
        '[hours]\n[[hours.rules]]\nkind = "total"\nhours = 10\ngroup_weight = 0.5\n'
        "max_video_share = 0.25\n",
    )
    meet(ws, 1, MONDAY, 180, "individual")  # 3 h in person
    meet(ws, 2, MONDAY + timedelta(days=1), 120, "group")  # counts 1 h
    meet(ws, 3, MONDAY + timedelta(days=2), 180, "individual", "video")  # only 4/3 h may count
    (result,) = statuses(ws, MONDAY).values()
    assert result[:3] == ("not_met", 5.33, 10)
    assert "group minutes count × 0.5" in result[3]
    assert "1.67 h by video beyond the allowed 25% not counted" in result[3]


def test_the_older_single_requirement_still_counts_group_time_at_its_weight(ws) -> None:
    write_config(ws, "[hours]\nrequired_minutes = 300\ngroup_weight = 0.5\n")
    meet(ws, 1, MONDAY, 120, "individual")
    meet(ws, 2, MONDAY + timedelta(days=1), 240, "group")
    ((name, result),) = statuses(ws, MONDAY).items()
    assert name == "Supervision hours"
    assert result[:3] == ("not_met", 4.0, 5.0)  # 2 h + 4 h of group at 0.5
    # The old dashboard figures keep working from the same settings.
    (minutes,) = Workspace(ws.path).index.supervision_minutes()
    assert (minutes.weighted_minutes, minutes.required_minutes) == (240, 300)


def test_rules_together_with_the_older_requirement_are_refused_with_the_line_to_write() -> None:
    text = '[hours]\nrequired_minutes = 3000\n[[hours.rules]]\nkind = "weekly"\nhours = 1\n'
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "ws/supervision-workbook.toml")
    message = str(caught.value)
    assert message.startswith("ws/supervision-workbook.toml: field 'hours'")
    assert 'kind = "total" hours = 50' in message
    assert "\n" not in message


def test_rules_alone_give_the_one_number_views_their_total() -> None:
    cfg = parse_config('[hours]\n[[hours.rules]]\nkind = "total"\nhours = 75\ngroup_weight = 0.5\n')
    assert (cfg.hours.required_minutes, cfg.hours.group_weight) == (4500, 0.5)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('[[hours.rules]]\nkind = "monthly"\nhours = 1\n', "monthly"),
        ('[[hours.rules]]\nkind = "format"\nformat = "dyadic"\nhours = 1\n', "format"),
        ('[[hours.rules]]\nkind = "total"\nhours = -1\n', "hours"),
        ("[hours]\nstart = 2027-01-01\nend = 2026-01-01\n", "end"),
    ],
)
def test_a_mistyped_rule_names_the_field(text: str, field: str) -> None:
    if not text.startswith("[hours]"):
        text = "[hours]\n" + text
    with pytest.raises(ConfigError, match=field):
        parse_config(text)


def _uncommented_hours_template() -> str:
    head, rest = DEFAULT_CONFIG_TEXT.split("# start = ")
    block, tail = rest.split("[privacy]")
    lines = []
    for line in ("# start = " + block).splitlines():
        if line.startswith("# ") and ("=" in line or line.startswith("# [[")):
            line = line[2:]
        lines.append(line)
    return (
        head.replace("required_minutes = 6000\ngroup_weight = 1.0\n", "")
        + "\n".join(lines)
        + "\n[privacy]"
        + tail
    )


def test_every_commented_example_in_the_template_is_a_rule_that_loads() -> None:
    cfg = parse_config(_uncommented_hours_template())
    kinds = [r.kind for r in cfg.hours.rules]
    assert kinds == ["total", "format", "weekly", "weekly", "direct", "indirect", "observed"]
    assert cfg.hours.start == date(2026, 9, 1)
    assert "none of them is any accrediting body's or licensing board's rule" in DEFAULT_CONFIG_TEXT


def test_the_configuration_knows_the_same_formats_as_the_record() -> None:
    assert typing.get_args(config.SupervisionFormat) == typing.get_args(model.SupervisionFormat)


def test_an_artifact_written_before_formats_and_session_length_loads_unchanged(
    ws, tmp_path: Path
) -> None:
    """A signed case review and a session workbook written by 0.1, before modality and
    session length existed: they validate strictly, rebuild byte for byte, and the sign-off
    counts as individual supervision in person."""
    for src in sorted(DATA.glob("*.nb.json")):  # not .ipynb: linters would read them
        text = src.read_text(encoding="utf-8")
        loaded = artifact.loads(text, str(src), strict=True)
        # Written by 0.1, whose rules and check-in wording 0.2 changed: the cells are not
        # rebuilt and compared, the record and its hash are, and the hash is unchanged.
        assert not loaded.cells_verified
        assert "written by supervision-workbook 0.1.0" in loaded.notes[0]
        stored = json.loads(text)["metadata"]["supervision_workbook"]["content_hash"]
        assert artifact.content_hash(loaded.review) == stored
    target = ws.path / "reviews" / "tr-ana" / "cs-0014"
    target.mkdir(parents=True)
    for src in DATA.glob("*.nb.json"):
        (target / src.name.replace(".nb.json", ".ipynb")).write_bytes(src.read_bytes())
    (row,) = Workspace(ws.path).index.signoffs("tr-ana")
    assert (row.signoff.format, row.signoff.modality, row.signoff.minutes) == (
        "individual",
        "in_person",
        60,
    )
    sessions = Workspace(ws.path).index.client_sessions("tr-ana")
    assert sessions and all(s.minutes is None for s in sessions)
    direct = evaluate(
        parse_config('[hours]\n[[hours.rules]]\nkind = "direct"\nhours = 1\n').hours.rules,
        trainee_hours(Workspace(ws.path), "tr-ana").ledger,
        parse_config("").hours,
        date(2026, 3, 3),
    )
    assert direct[0].actual == 0
    assert f"{len(sessions)} sessions without a length" in direct[0].detail


def test_a_new_format_and_modality_travel_through_the_artifact_and_its_hash(ws) -> None:
    review = meet(ws, 1, MONDAY, 50, "recording_review", "video", session_minutes=55)
    loaded = Workspace(ws.path).load(Workspace(ws.path).find(review.id))
    assert loaded.review.signoff.modality == "video"
    assert loaded.review.sessions[0].minutes == 55
    stored = json.loads(Workspace(ws.path).find(review.id).read_text())
    record = stored["metadata"]["supervision_workbook"]["record"]
    assert record["signoff"]["modality"] == "video"
    # Changing the modality after sign-off is caught like any other edit.
    record["signoff"]["modality"] = "in_person"
    edited = json.dumps(stored)
    with pytest.raises(artifact.ArtifactError):
        artifact.loads(edited, "edited.ipynb")


def test_only_signed_off_reviews_count_and_a_copied_file_counts_once(ws) -> None:
    write_config(ws, "[hours]\n" + RULES)
    review = meet(ws, 1, MONDAY, 60)
    meet(ws, 2, MONDAY + timedelta(days=7), 90, signed=False)
    path = Workspace(ws.path).find(review.id)
    (path.parent / "copy-of-the-same-review.ipynb").write_bytes(path.read_bytes())
    ledger = trainee_hours(Workspace(ws.path), ANA.id, today=MONDAY).ledger
    assert [(s.review_id, s.minutes) for s in ledger.supervision] == [("rv-meet-0001", 60)]


def test_the_indirect_log_keeps_both_entries_when_two_people_add_at_once(ws) -> None:
    def add(i: int) -> None:
        entry = IndirectEntry(
            id=f"ih-{i:04d}", date=MONDAY, minutes=10 + i, activity="notes", case_code="C-014"
        )
        add_indirect(Workspace(ws.path), ANA.id, entry)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entries = read_indirect(ws, ANA.id)
    assert sorted(e.id for e in entries) == [f"ih-{i:04d}" for i in range(8)]
    remove_indirect(ws, ANA.id, "ih-0003")
    assert len(read_indirect(ws, ANA.id)) == 7
    write_config(ws, '[hours]\n[[hours.rules]]\nkind = "indirect"\nhours = 1\n')
    (result,) = statuses(ws, MONDAY).values()
    assert result[:3] == ("met", round((sum(10 + i for i in range(8)) - 13) / 60, 2), 1)


def test_a_damaged_indirect_log_is_an_error_and_is_never_written_over(ws) -> None:
    path = ws.path / "hours" / "tr-ana.json"
    path.parent.mkdir()
    path.write_text('{"kind": "indirect-hours", "version": 1, "trainee_id": "tr-ana", "entr')
    with pytest.raises(WorkspaceError, match=r"tr-ana\.json: cannot read"):
        read_indirect(ws, ANA.id)
    entry = IndirectEntry(id="ih-0001", date=MONDAY, minutes=30, activity="preparation")
    with pytest.raises(WorkspaceError):
        add_indirect(ws, ANA.id, entry)
    assert path.read_text().endswith('"entr')


def test_hours_and_reports_load_no_widget_library_and_no_pdf_library_until_asked() -> None:
    code = (
        "import sys\n"
        "import supervision_workbook.hours, supervision_workbook.reports\n"
        "import supervision_workbook.cli.reports\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'ipywidgets', 'anywidget', 'voila', 'reportlab', 'plotly'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_rules_chart_states_each_status_in_words_and_is_valid_plotly(ws) -> None:
    import plotly.graph_objects as go

    from supervision_workbook import charts

    write_config(ws, DATED + RULES)
    meet(ws, 1, MONDAY, 600, "individual", "video")
    result = trainee_hours(Workspace(ws.path), ANA.id, today=MONDAY + timedelta(weeks=8))
    spec = charts.hours_rules_spec(result.statuses)

    def as_json(obj: object) -> object:
        return json.loads(json.dumps(obj, allow_nan=False))

    # Valid plotly, stored exactly as plotly would write it (a misspelt property differs).
    assert as_json(go.Figure(spec).to_plotly_json()) == as_json(spec)
    bars = {t["name"]: t for t in spec["data"] if t["type"] == "bar"}
    assert bars["met"]["y"] == ["Individual supervision"]
    assert bars["met"]["text"] == ["met: 10 of 10 hours"]
    assert bars["behind"]["x"] == [8.3, 0.0]  # 50 min of 10 h direct; no observation
    assert bars["behind"]["marker"]["pattern"]["shape"] == "x"  # not colour alone
    pace = next(t for t in spec["data"] if t["type"] == "scatter")
    assert pace["y"] == ["Supervision (all)", "Direct client contact", "Observed sessions"]
    by_format = charts.hours_by_format_spec(result.ledger.minutes_by_format())
    assert as_json(go.Figure(by_format).to_plotly_json()) == as_json(by_format)
    video = next(t for t in by_format["data"] if t["name"] == "By video")
    assert video["y"][0] == 10.0 and sum(video["y"]) == 10.0


def test_supervision_before_the_programme_started_is_listed_as_not_counted(ws) -> None:
    write_config(ws, DATED + '[[hours.rules]]\nkind = "total"\nhours = 2\n')
    meet(ws, 1, MONDAY - timedelta(days=10), 120)  # a summer meeting before the start
    meet(ws, 2, MONDAY + timedelta(days=1), 60)
    (result,) = statuses(ws, MONDAY + timedelta(days=2)).values()
    assert result[:3] == ("on_track", 1.0, 2)
    # The meeting and the session it reviewed, both before the start.
    assert result[3].endswith("2 records dated outside the programme not counted")
    shown = trainee_hours(Workspace(ws.path), ANA.id, today=MONDAY)
    assert [s.review_id for s in shown.ledger.supervision] == ["rv-meet-0002"]
    assert shown.outside == 2


def test_the_dashboard_gets_every_trainee_with_their_own_rule_statuses(ws) -> None:
    """What the director's dashboard calls: one entry per trainee, by name, each rule's
    words and numbers ready to show."""
    from supervision_workbook.hours import workspace_hours

    write_config(ws, "[hours]\n" + RULES)
    meet(ws, 1, MONDAY, 600)
    other = Trainee(id="tr-bo", name="Bo Berg", supervisor="Dr. Ruth Kay")
    review = Review(
        id="rv-bo-0001",
        kind=ReviewKind.case_review,
        trainee=other,
        case=Case(id="cs-0099", code="C-099", trainee_id="tr-bo"),
        created=datetime(2026, 9, 9, tzinfo=timezone.utc),
        updated=datetime(2026, 9, 9, tzinfo=timezone.utc),
    )
    ws.save(
        integrity.sign_off(
            review,
            SignOff(
                id="so-bo01",
                supervisor="Dr. Ruth Kay",
                signed_at=datetime(2026, 9, 9, tzinfo=timezone.utc),
                minutes=90,
                format="live_observation",
            ),
        )
    )
    everyone = workspace_hours(Workspace(ws.path), today=MONDAY)
    assert [(t.trainee_name, t.trainee_id) for t in everyone] == [
        ("Ana Lima", "tr-ana"),
        ("Bo Berg", "tr-bo"),
    ]
    ana, bo = ({s.name: s for s in t.statuses} for t in everyone)
    assert (ana["Individual supervision"].label, ana["Individual supervision"].actual) == (
        "met",
        10,
    )
    assert (bo["Observed sessions"].label, bo["Observed sessions"].detail) == (
        "not yet met",
        "1 of 2 sessions",
    )


def test_the_hours_count_the_same_sign_offs_as_the_caseload_dashboard(tmp_path: Path) -> None:
    """``Index.signoffs()`` and the caseload's minutes must agree on which sign-offs count:
    if one of them changes the rule (signatures, say), this fails until both do."""
    from supervision_workbook.cli import main
    from supervision_workbook.hours import workspace_hours

    assert main(["demo", str(tmp_path / "demo"), "--trainees", "3", "--sessions", "6"]) == 0
    ws = Workspace(tmp_path / "demo")
    dashboard = {
        m.trainee_id: m.individual_minutes + m.group_minutes for m in ws.index.supervision_minutes()
    }
    hours = {
        t.trainee_id: sum(s.minutes for s in t.ledger.supervision) for t in workspace_hours(ws)
    }
    assert sum(dashboard.values()) > 0
    assert hours == dashboard


def test_the_example_in_the_docs_is_a_configuration_that_loads() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "hours-and-reports.md").read_text()
    (example,) = doc.split("```toml\n")[1:]
    cfg = parse_config(example.split("```")[0], "docs/hours-and-reports.md")
    assert [r.kind for r in cfg.hours.rules] == [
        "total",
        "format",
        "weekly",
        "weekly",
        "direct",
        "indirect",
        "observed",
    ]


def test_a_weekly_rule_before_its_first_week_ends_is_not_drawn_as_done(ws) -> None:
    from supervision_workbook import charts

    write_config(ws, DATED + WEEKLY)
    result = trainee_hours(Workspace(ws.path), ANA.id, today=MONDAY + timedelta(days=3))
    assert [(s.status, s.detail) for s in result.statuses] == [
        ("on_track", "no complete week yet"),
        ("on_track", "no complete week yet"),
    ]
    (bar,) = [t for t in charts.hours_rules_spec(result.statuses)["data"] if t["type"] == "bar"]
    assert bar["x"] == [0.0, 0.0]
