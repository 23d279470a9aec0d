"""The dashboard and the case review tell a supervisor the same thing about every case.

A supervisor looks at a case on the caseload dashboard, then opens it in the case review:
the open flags, the latest session, the sessions counted, the unrepaired ruptures and the
latest alliance numbers must read the same in both. Each page gets its facts through its
own code path (the dashboard from the store's index, the case review from the case's
files), so this opens every case of a demo workspace both ways and compares them.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from fixtures.clock import FakeClock
from supervision_workbook import formatting
from supervision_workbook.demo import DemoSpec, write_demo
from supervision_workbook.model import Respondent, Review, ReviewKind, Status
from supervision_workbook.store import CaseloadRow, Workspace
from supervision_workbook.ui.case_review.workbook import CaseReviewWorkbook
from supervision_workbook.ui.caseload.dashboard import CaseloadDashboard
from supervision_workbook.ui.render.caseload_table import table_html


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws, _count = write_demo(
        tmp_path_factory.mktemp("agree") / "ws", DemoSpec(trainees=2, cases=3, sessions=6)
    )
    return ws


def _snapshot(wb: CaseReviewWorkbook) -> dict[str, str]:
    """The case review's snapshot table (step 1) as label -> text, as a person reads it."""
    cells = re.findall(r"<th scope='row'>(.*?)</th><td>(.*?)</td>", wb.views.snapshot.value)
    return {html.unescape(k): html.unescape(v) for k, v in cells}


def _dashboard_row(row: CaseloadRow) -> str:
    return next(r for r in table_html([row]).split("<tr ") if f'data-case="{row.case_code}"' in r)


def test_every_case_reads_the_same_on_the_dashboard_and_in_the_case_review(
    demo: Workspace,
) -> None:
    rows = demo.index.caseload()
    assert len(rows) == 6
    dashboard = CaseloadDashboard(rows, [], demo.config, demo.path.name)
    assert dashboard.shown() == rows
    checked_flags = checked_scores = 0
    for row in rows:
        wb = CaseReviewWorkbook(
            demo, {"trainee": row.trainee_id, "case": row.case_id}, scheduler=FakeClock()
        )
        views, snapshot = wb.views, _snapshot(wb)
        # The sessions, and the latest one with its date.
        assert len(wb.sessions) == row.sessions, row.case_code
        latest = max(wb.sessions, key=lambda s: s.number)
        assert (latest.number, latest.date) == (
            row.latest_session_number,
            row.latest_session_date,
        ), row.case_code
        assert f"#{latest.number} {latest.date.isoformat()}" in _dashboard_row(row)
        # Open flags: one rule (alerts.case_flags) over the same sessions.
        open_here = [f.alert for f in views.case_flags if f.open]
        assert len(open_here) == row.flag_count, row.case_code
        assert sorted({a.rule for a in open_here}) == sorted(row.flag_rules), row.case_code
        shown = re.findall(r"<span class='swb-cr-flag-state'>Open:</span>", views.flags.value)
        assert len(shown) == row.flag_count, row.case_code
        assert snapshot["Open flags"].startswith(str(row.flag_count)), snapshot["Open flags"]
        checked_flags += row.flag_count
        # Unrepaired ruptures.
        assert snapshot["Ruptures not fully repaired"] == str(row.unrepaired_ruptures)
        # The latest alliance numbers read the same (formatting.score on both pages).
        for value, instrument_id in (
            (row.latest_client, demo.config.client_instrument),
            (row.latest_therapist, demo.config.therapist_instrument),
        ):
            if value is None:
                continue
            label = next(k for k in snapshot if k.endswith(demo.instruments[instrument_id].name))
            shown = formatting.score(value)
            assert re.search(rf"\b{re.escape(shown)}\b", snapshot[label]), (label, shown)
            assert f">{shown}</td>" in _dashboard_row(row)
            checked_scores += 1
    assert checked_flags > 0 and checked_scores > 0  # the demo has both to compare


def test_a_timestamp_tie_picks_the_same_copy_of_a_session_on_both_pages(
    demo: Workspace, tmp_path: Path
) -> None:
    """A session workbook saved at the very moment of the case review that also holds its
    session: both pages must take the copy the store's rule names (``store.copy_rank``:
    the later path), even where the review ids would sort the other way."""
    ws = Workspace(shutil.copytree(demo.path, tmp_path / "ws"))
    row = before = ws.index.caseload()[0]
    reviews = ws.index.reviews(trainee_id=row.trainee_id, case_id=row.case_id)
    # Every case review carries the case so far, so only the newest one's copy of a session
    # can tie for the win: tie the twin with it, on the case's latest session.
    newest = max((r for r in reviews if r.kind == "case_review"), key=lambda r: r.updated)
    case_review = ws.load(newest.path).review
    latest = max(case_review.sessions, key=lambda s: s.number)
    assert latest.number == row.latest_session_number
    session = latest.model_copy(
        update={
            "responses": [
                r.model_copy(update={"answers": [1.0] * len(r.answers)})
                if r.respondent == Respondent.client
                else r
                for r in latest.responses
            ]
        }
    )
    twin = Review(
        id="rv-0000-twin",  # sorts before the case review's id; its path sorts after
        kind=ReviewKind.session,
        status=Status.submitted,
        trainee=case_review.trainee,
        case=case_review.case,
        created=case_review.updated,
        updated=case_review.updated,
        sessions=[session],
    )
    assert ws.artifact_name(twin) > ws.artifact_name(case_review)
    ws.save(twin)
    ws.index.refresh()
    row = next(r for r in ws.index.caseload() if r.case_id == row.case_id)
    params = {"trainee": row.trainee_id, "case": row.case_id}
    wb = CaseReviewWorkbook(ws, params, scheduler=FakeClock())
    here = next(s for s in wb.sessions if s.number == latest.number)
    assert here.responses == session.responses  # the case review shows the twin's copy
    assert row.latest_client != before.latest_client  # and so does the dashboard
    client = ws.instruments[ws.config.client_instrument].name
    snapshot = _snapshot(wb)
    label = next(k for k in snapshot if k.endswith(client))
    assert formatting.score(row.latest_client) in snapshot[label]
    assert sum(1 for f in wb.views.case_flags if f.open) == row.flag_count
    assert snapshot["Open flags"].startswith(f"{row.flag_count} open"), snapshot["Open flags"]
