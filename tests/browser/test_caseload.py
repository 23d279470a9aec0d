"""A training program's view: the caseload dashboard over the demo workspace, in Chromium."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from tests.fixtures.charts import assert_charts_drawn, reload_and_check_charts, server_up_for

from supervision_workbook.store import CaseloadRow, MinutesRow, Workspace

from .conftest import Server, open_workbook, screenshot

pytestmark = pytest.mark.browser

TABLE = ".swb-caseload-table"
ROWS = "tr.swb-case-row"
CHARTS = (".swb-chart-overview", ".swb-chart-hours")


@pytest.fixture(scope="module")
def expected(server: Server) -> tuple[list[CaseloadRow], list[MinutesRow], int]:
    """What the store says about the demo workspace, read beside the running server."""
    ws = Workspace(server.workspace)
    index = ws.index
    return index.caseload(), index.supervision_minutes(), ws.config.hours.required_minutes


def _shown(page) -> list[tuple[str, str]]:
    rows = page.locator(ROWS)
    return [
        (rows.nth(i).get_attribute("data-trainee"), rows.nth(i).get_attribute("data-case"))
        for i in range(rows.count())
    ]


def _select(page, label: str):
    return page.locator(".widget-dropdown", has_text=label).locator("select")


def _options(page, label: str) -> list[str]:
    """Option texts as a person reads them (ipywidgets shows spaces as no-break spaces)."""
    texts = _select(page, label).evaluate("s => Array.from(s.options, o => o.text)")
    return [t.replace("\xa0", " ") for t in texts]


def _choose(page, label: str, option: str) -> None:
    _select(page, label).select_option(index=_options(page, label).index(option))


def _wait_for_rows(page, count: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('tr.swb-case-row').length === n", arg=count
    )


def test_the_dashboard_lists_every_demo_trainee_and_case_with_charts(
    server: Server, page, expected
) -> None:
    rows, _, _ = expected
    assert len(rows) == 4  # 2 trainees x 2 cases
    open_workbook(page, server, "caseload.ipynb", TABLE)
    assert sorted(_shown(page)) == sorted((r.trainee_id, r.case_code) for r in rows)
    table_text = page.locator(TABLE).inner_text()
    for row in rows:
        assert row.trainee_name in table_text
    # Each case opens its review through a relative link carrying trainee and case ids.
    links = page.locator(f"{ROWS} a.swb-open-review")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert hrefs == {f"case_review.ipynb?trainee={r.trainee_id}&case={r.case_id}" for r in rows}
    # Both plotly charts are drawn by the page (go.Figure JSON, rendered to SVG), at their
    # full height, with no filter touched.
    assert_charts_drawn(page, *CHARTS)
    screenshot(page, "caseload")


def test_the_dashboard_charts_are_drawn_on_every_load_of_a_server_up_for_a_while(
    server: Server, page
) -> None:
    server_up_for(server.proc.pid)
    open_workbook(page, server, "caseload.ipynb", TABLE)
    assert_charts_drawn(page, *CHARTS)
    reload_and_check_charts(
        page, lambda: open_workbook(page, server, "caseload.ipynb", TABLE), *CHARTS
    )


def test_choosing_a_trainee_filters_cases_hours_and_the_csv_export(
    server: Server, page, expected, tmp_path: Path
) -> None:
    rows, _, _ = expected
    trainee = rows[-1]
    theirs = sorted((r.trainee_id, r.case_code) for r in rows if r.trainee_id == trainee.trainee_id)
    open_workbook(page, server, "caseload.ipynb", TABLE)

    _choose(page, "Trainee", trainee.trainee_name)
    _wait_for_rows(page, len(theirs))
    assert sorted(_shown(page)) == theirs
    hours_rows = page.locator("tr.swb-hours-row")
    assert hours_rows.count() == 1
    assert hours_rows.first.get_attribute("data-trainee") == trainee.trainee_id

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("caseload-")
    assert download.suggested_filename.endswith(".csv")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    records = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert sorted((r["trainee_id"], r["case_code"]) for r in records) == theirs
    by_case = {r.case_code: r for r in rows}
    for record in records:
        source = by_case[record["case_code"]]
        assert record["trainee_name"] == source.trainee_name
        assert int(record["open_flags"]) == source.flag_count
        assert int(record["unrepaired_ruptures"]) == source.unrepaired_ruptures


def test_the_flag_filter_keeps_only_cases_with_open_flags(server: Server, page, expected) -> None:
    rows, _, _ = expected
    flagged = sorted((r.trainee_id, r.case_code) for r in rows if r.flag_count)
    assert flagged, "the demo workspace should contain flagged cases"
    open_workbook(page, server, "caseload.ipynb", TABLE)
    _choose(page, "Flag", "Any open flag")
    _wait_for_rows(page, len(flagged))
    assert sorted(_shown(page)) == flagged

    rule = sorted({rule for r in rows for rule in r.flag_rules})[0]
    with_rule = sorted((r.trainee_id, r.case_code) for r in rows if rule in r.flag_rules)
    _choose(page, "Flag", rule)
    _wait_for_rows(page, len(with_rule))
    assert sorted(_shown(page)) == with_rule


def test_supervision_minutes_are_shown_against_the_requirement(
    server: Server, page, expected
) -> None:
    _, minutes, required = expected
    open_workbook(page, server, "caseload.ipynb", ".swb-hours-table")
    rows = page.locator("tr.swb-hours-row")
    assert rows.count() == len(minutes)
    for m in minutes:
        row = page.locator(f'tr.swb-hours-row[data-trainee="{m.trainee_id}"]')
        assert row.locator(".swb-counted").inner_text() == f"{round(m.weighted_minutes)} min"
        assert row.locator(".swb-required").inner_text() == f"{required} min"
    assert f"({required} min) per trainee" in page.locator(".swb-caseload-page").inner_text()


def test_a_link_with_a_trainee_opens_the_dashboard_filtered(server: Server, page, expected) -> None:
    rows, _, _ = expected
    trainee = rows[0]
    open_workbook(page, server, "caseload.ipynb", TABLE, trainee=trainee.trainee_id)
    theirs = sorted((r.trainee_id, r.case_code) for r in rows if r.trainee_id == trainee.trainee_id)
    _wait_for_rows(page, len(theirs))
    assert sorted(_shown(page)) == theirs
    index = _select(page, "Trainee").evaluate("s => s.selectedIndex")
    assert _options(page, "Trainee")[index] == trainee.trainee_name
