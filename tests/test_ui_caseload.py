"""The caseload dashboard's table, filters, CSV and widgets, without a kernel or a browser."""

from __future__ import annotations

import base64
import csv
import io
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from supervision_workbook import formatting
from supervision_workbook.config import WorkspaceConfig
from supervision_workbook.store import BadFile, CaseloadRow, MinutesRow
from supervision_workbook.ui import caseload
from supervision_workbook.ui.caseload import dashboard as dash
from supervision_workbook.ui.render import caseload_table


def row(**overrides: object) -> CaseloadRow:
    values: dict[str, object] = {
        "trainee_id": "tr-aaa",
        "trainee_name": "Ada Trainee",
        "case_id": "cs-111",
        "case_code": "C-001",
        "sessions": 4,
        "latest_session_number": 4,
        "latest_session_date": date(2026, 1, 26),
        "latest_client": 31.5,
        "latest_therapist": 36.0,
        "flag_count": 0,
        "flag_rules": (),
        "unrepaired_ruptures": 0,
        "individual_minutes": 60,
        "group_minutes": 30,
        "last_status": "signed_off",
        "last_updated": datetime(2026, 1, 26, 12, 0, tzinfo=timezone.utc),
        "reviewed_through": 4,
    }
    values.update(overrides)
    return CaseloadRow(**values)  # type: ignore[arg-type]


ADA_1 = row()
ADA_2 = row(
    case_id="cs-222",
    case_code="C-002",
    flag_count=2,
    flag_rules=("below-cutoff", "unrepaired-rupture"),
    unrepaired_ruptures=1,
)
BEN_1 = row(
    trainee_id="tr-bbb",
    trainee_name="Ben Trainee",
    case_id="cs-333",
    case_code="C-003",
    flag_count=1,
    flag_rules=("divergence",),
)
ROWS = [ADA_1, ADA_2, BEN_1]


def test_filtering_by_trainee_keeps_only_their_cases() -> None:
    assert caseload_table.filter_rows(ROWS, trainee_id="tr-aaa") == [ADA_1, ADA_2]
    assert caseload_table.filter_rows(ROWS) == ROWS


def test_filtering_by_flag_rule_or_any_flag() -> None:
    assert caseload_table.filter_rows(ROWS, rule="divergence") == [BEN_1]
    assert caseload_table.filter_rows(ROWS, rule=caseload_table.ANY_FLAG) == [ADA_2, BEN_1]
    assert caseload_table.filter_rows(ROWS, trainee_id="tr-bbb", rule="below-cutoff") == []


def test_a_trainee_name_with_markup_is_shown_as_typed_not_run() -> None:
    hostile = row(trainee_name='<img src=x onerror="alert(1)"> & "Bob"')
    table = caseload_table.table_html([hostile])
    assert "<img" not in table
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;Bob&quot;" in table


def test_each_case_links_to_its_review_relatively() -> None:
    assert caseload_table.review_href(ADA_2) == "case_review.ipynb?trainee=tr-aaa&case=cs-222"
    table = caseload_table.table_html([ADA_2])
    assert 'href="case_review.ipynb?trainee=tr-aaa&amp;case=cs-222"' in table


def test_the_table_shows_scores_flags_and_unrepaired_ruptures() -> None:
    table = caseload_table.table_html([ADA_2])
    assert '<td class="num swb-client">31.5</td>' in table
    assert '<td class="num swb-therapist">36</td>' in table
    assert "below-cutoff, unrepaired-rupture" in table
    assert "1 h 30 min" in table


def test_a_missing_latest_score_is_a_dash_not_zero() -> None:
    table = caseload_table.table_html([row(latest_client=None)])
    assert '<td class="num swb-client">–</td>' in table


def test_an_empty_selection_says_so() -> None:
    assert "No cases match." in caseload_table.table_html([])


def test_hours_are_shown_against_the_requirement() -> None:
    minutes = [MinutesRow("tr-aaa", "Ada Trainee", 90, 60, 120.0, 6000)]
    text = caseload_table.hours_html(minutes)
    assert '<td class="swb-counted">120 min</td>' in text
    assert '<td class="swb-required">6000 min</td>' in text
    assert "2% (98 h to go)" in text


def test_hours_follow_the_trainee_filter() -> None:
    minutes = [
        MinutesRow("tr-aaa", "Ada", 0, 0, 0.0, 60),
        MinutesRow("tr-bbb", "Ben", 60, 0, 60.0, 60),
    ]
    text = caseload_table.hours_html(minutes, trainee_id="tr-bbb")
    assert "Ben" in text and "Ada" not in text
    assert "100% (0 min to go)" in text


def test_the_csv_has_one_row_per_shown_case_and_keeps_text_as_typed() -> None:
    text = caseload_table.rows_to_csv([ADA_2, row(trainee_name="Zoë, O'Neil")])
    records = list(csv.DictReader(io.StringIO(text)))
    assert [r["case_code"] for r in records] == ["C-002", "C-001"]
    assert records[0]["flag_rules"] == "below-cutoff;unrepaired-rupture"
    assert records[0]["latest_client_alliance"] == "31.5"
    assert records[1]["trainee_name"] == "Zoë, O'Neil"
    assert list(records[0]) == list(caseload_table.CSV_COLUMNS)


def test_a_name_that_looks_like_a_formula_cannot_run_in_a_spreadsheet() -> None:
    text = caseload_table.rows_to_csv([row(trainee_name='=HYPERLINK("http://x")')])
    record = next(csv.DictReader(io.StringIO(text)))
    assert record["trainee_name"] == '\'=HYPERLINK("http://x")'


def test_minutes_read_like_a_supervision_log() -> None:
    assert [formatting.minutes(m) for m in (0, 45, 60, 95, 6000)] == [
        "0 min",
        "45 min",
        "1 h",
        "1 h 35 min",
        "100 h",
    ]


def test_unreadable_files_are_listed_with_their_message_escaped(tmp_path: Path) -> None:
    bad = BadFile(tmp_path / "reviews" / "tr-aaa" / "x.ipynb", "x.ipynb: <b>cut</b> off")
    notice = caseload_table.problems_html([bad], tmp_path)
    assert "1 review file(s) could not be read" in notice
    assert "x.ipynb: &lt;b&gt;cut&lt;/b&gt; off" in notice and "<b>" not in notice


def test_a_damaged_file_is_listed_on_the_dashboard_as_validate_words_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review file cut off in transit: the dashboard lists it with the very line that
    ``supervision-workbook validate`` prints, and the case's other records still show."""
    import html

    from supervision_workbook.cli import main
    from supervision_workbook.demo import DemoSpec, write_demo

    ws, _count = write_demo(tmp_path / "ws", DemoSpec(trainees=1, cases=1, sessions=2))
    damaged = next(ws.iter_artifacts())
    damaged.write_text(damaged.read_text(encoding="utf-8")[:500], encoding="utf-8")
    main(["validate", str(damaged)])
    (printed,) = capsys.readouterr().out.splitlines()
    monkeypatch.setenv("SUPERVISION_WORKBOOK_WORKSPACE", str(ws.path))
    found: list[str] = []

    def walk(w: object) -> None:
        value = getattr(w, "value", None)
        if isinstance(value, str) and "swb-damaged-file" in value:
            found.append(value)
        for child in getattr(w, "children", ()):
            walk(child)

    walk(caseload.app())
    (notice,) = found
    assert f"<li class='swb-damaged-file'>{html.escape(printed, quote=True)}</li>" in notice


def test_the_dashboard_filters_its_table_when_a_trainee_is_chosen() -> None:
    minutes = [MinutesRow("tr-aaa", "Ada Trainee", 90, 60, 150.0, 6000)]
    dashboard = dash.CaseloadDashboard(ROWS, minutes, WorkspaceConfig(), "demo")
    assert dashboard.table.value.count('class="swb-case-row"') == 3
    dashboard.trainee.value = "tr-bbb"
    assert dashboard.table.value.count('class="swb-case-row"') == 1
    assert "C-003" in dashboard.table.value
    assert [r["case_code"] for r in csv.DictReader(io.StringIO(dashboard.csv_text()))] == ["C-003"]


def test_a_link_can_preselect_a_trainee_but_not_an_unknown_one() -> None:
    config = WorkspaceConfig()
    chosen = dash.CaseloadDashboard(ROWS, [], config, "demo", {"trainee": "tr-bbb"})
    assert chosen.trainee.value == "tr-bbb"
    unknown = dash.CaseloadDashboard(ROWS, [], config, "demo", {"trainee": "tr-zzz"})
    assert unknown.trainee.value == dash.ALL


def test_the_export_button_sends_the_csv_of_the_cases_shown() -> None:
    dashboard = dash.CaseloadDashboard(ROWS, [], WorkspaceConfig(), "demo")
    dashboard.rule.value = "divergence"
    message = dashboard.export.prepare()
    assert message["mime"] == "text/csv"
    assert message["filename"].startswith("caseload-") and message["filename"].endswith(".csv")
    text = base64.b64decode(message["b64"]).decode("utf-8")
    assert [r["case_code"] for r in csv.DictReader(io.StringIO(text))] == ["C-003"]


def test_the_overview_chart_has_a_text_alternative() -> None:
    dashboard = dash.CaseloadDashboard(ROWS, [], WorkspaceConfig(), "demo")
    assert "C-002 (Ada Trainee): client 31.5, therapist 36, 2 open flag(s)" in (
        dashboard.describe_overview()
    )
    assert dashboard.overview.figure_json is not None
    assert dashboard.hours_chart.figure_json is not None


def _notice_text(widget: object) -> str:
    from supervision_workbook.ui.components.text import Notice

    found: list[str] = []

    def walk(w: object) -> None:
        if isinstance(w, Notice):
            found.append(w.value)
        for child in getattr(w, "children", ()):
            walk(child)

    walk(widget)
    return " ".join(found)


def test_a_broken_configuration_is_explained_on_the_page_not_as_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from supervision_workbook.store import init_workspace

    ws = init_workspace(tmp_path / "ws")
    (Path(ws) / "supervision-workbook.toml").write_text("[hours]\nrequired_minutes = -5\n")
    monkeypatch.setenv("SUPERVISION_WORKBOOK_WORKSPACE", str(ws))
    text = _notice_text(caseload.app())
    assert "required_minutes" in text
    assert "Traceback" not in text


def test_without_a_workspace_the_dashboard_says_how_to_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SUPERVISION_WORKBOOK_WORKSPACE", raising=False)
    assert "supervision-workbook serve" in _notice_text(caseload.app())


def test_a_large_caseload_opens_on_the_cases_that_need_attention_most() -> None:
    """A program lead with hundreds of cases first sees the most flagged ones, can ask
    for all of them, and the CSV always holds every case the filters select."""
    rows = [
        row(case_id=f"cs-{i:06d}", case_code=f"C-{i:03d}", flag_count=i % 7,
            unrepaired_ruptures=i % 3)
        for i in range(dash.FIRST_VIEW + 25)
    ]  # fmt: skip
    dashboard = dash.CaseloadDashboard(rows, [], WorkspaceConfig(), "demo")
    listed = dashboard.visible()
    assert len(listed) == dash.FIRST_VIEW
    assert [r.flag_count for r in listed] == sorted((r.flag_count for r in listed), reverse=True)
    assert min(r.flag_count for r in listed) >= max(r.flag_count for r in rows if r not in listed)
    assert dashboard.table.value.count("<tr") == dash.FIRST_VIEW + 1  # plus the header
    assert "tick <em>Show all cases</em>" in dashboard.summary.value
    assert len(dashboard.csv_text().strip().splitlines()) == len(rows) + 1

    dashboard.show_all.value = True
    assert len(dashboard.visible()) == len(rows)
    assert dashboard.table.value.count("<tr") == len(rows) + 1
    assert "Show all" not in dashboard.summary.value


def test_a_small_caseload_is_listed_whole_in_its_own_order() -> None:
    dashboard = dash.CaseloadDashboard(ROWS, [], WorkspaceConfig(), "demo")
    assert dashboard.visible() == dashboard.shown()
    assert dashboard.show_all.layout.display == "none"
