"""A training program's dashboard after a week's work: a new session and a signed meeting.

Self-contained: the test records its own work through the store, exactly as the workbooks
save it (a trainee's ``session`` review, submitted; then the supervisor's ``case_review``
covering every session so far, signed off with 50 minutes of individual supervision),
into the demo workspace that the real server serves. Then the caseload dashboard, opened
in Chromium, must show the case with one more session, the new session's number and date,
its alliance scores, the signed-off minutes, and the trainee's supervision hours against
the requirement. Nothing about the page is assumed: the numbers come from what was saved.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from supervision_workbook.artifact import integrity
from supervision_workbook.model import (
    InstrumentResponse,
    Respondent,
    Review,
    ReviewKind,
    SessionEntry,
    SignOff,
    Status,
    new_id,
    utcnow,
)
from supervision_workbook.store import CaseloadRow, Workspace

from .conftest import Server, open_workbook

pytestmark = pytest.mark.browser

MINUTES = 50
# Client [4, 4, 4, 4, 2, 4]: item 5 is reverse-scored (6 - 2 = 4), so the mean is 4.
# Therapist [5, 4, 5, 4, 1, 5]: item 5 counts as 5, so (5+4+5+4+5+5) / 6 = 4.67, shown as
# on every page (``formatting.number``: two decimals at most).
CLIENT = [4.0, 4.0, 4.0, 4.0, 2.0, 4.0]
THERAPIST = [5.0, 4.0, 5.0, 4.0, 1.0, 5.0]


def _case_reviews(ws: Workspace, row: CaseloadRow) -> list[Review]:
    rows = ws.index.reviews(trainee_id=row.trainee_id, case_id=row.case_id)
    return sorted((ws.load(r.path).review for r in rows), key=lambda r: (r.updated, r.id))


def _sessions_so_far(reviews: list[Review]) -> list[SessionEntry]:
    """One entry per session number; the most recently updated review's copy wins."""
    chosen: dict[int, SessionEntry] = {}
    for review in reviews:  # oldest first, so later copies replace earlier ones
        for entry in review.sessions:
            chosen[entry.number] = entry
    return [chosen[n] for n in sorted(chosen)]


def _record_a_week(ws: Workspace, row: CaseloadRow) -> SessionEntry:
    """Save a submitted session workbook, then a signed-off case review that covers it."""
    reviews = _case_reviews(ws, row)
    latest = reviews[-1]
    earlier = _sessions_so_far(reviews)
    session = SessionEntry(
        id=new_id("se"),
        number=max(s.number for s in earlier) + 1,
        date=date.today(),
        responses=[
            InstrumentResponse(
                id=new_id("ir"),
                instrument_id=ws.config.client_instrument,
                respondent=Respondent.client,
                answers=CLIENT,
            ),
            InstrumentResponse(
                id=new_id("ir"),
                instrument_id=ws.config.therapist_instrument,
                respondent=Respondent.therapist,
                answers=THERAPIST,
            ),
        ],
        bring_to_supervision="How to keep the goals in view.",
    )
    submitted = utcnow() - timedelta(hours=1)  # the trainee submitted before the meeting
    ws.save(
        Review(
            id=new_id("rv"),
            kind=ReviewKind.session,
            status=Status.submitted,
            trainee=latest.trainee,
            case=latest.case,
            created=submitted,
            updated=submitted,
            sessions=[session],
        )
    )
    meeting = Review(
        id=new_id("rv"),
        kind=ReviewKind.case_review,
        status=Status.reviewed,
        trainee=latest.trainee,
        case=latest.case,
        created=utcnow(),
        updated=utcnow(),
        sessions=[*earlier, session],
        supervisor_notes="Looked at both trajectories together.",
        goals="Keep the agreed goals visible in each session.",
    )
    signoff = SignOff(
        id=new_id("so"),
        supervisor="Dr. Demo Supervisor",
        signed_at=utcnow(),
        minutes=MINUTES,
        format="individual",
    )
    ws.save(integrity.sign_off(meeting, signoff))
    return session


def test_the_dashboard_shows_a_new_session_and_the_minutes_of_a_sign_off(
    server: Server, page
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    ws = Workspace(server.workspace)
    before = ws.index.caseload()
    # A case whose latest meeting is not signed off yet (earlier meetings may be).
    row = next(r for r in before if r.reviewed_through != r.latest_session_number)
    others = [r for r in before if r.trainee_id == row.trainee_id and r.case_id != row.case_id]
    hours_before = next(m for m in ws.index.supervision_minutes() if m.trainee_id == row.trainee_id)
    session = _record_a_week(ws, row)
    after = next(r for r in ws.index.caseload() if r.case_id == row.case_id)

    open_workbook(page, server, "caseload.ipynb", ".swb-caseload-table", trainee=row.trainee_id)
    case = page.locator(f'tr.swb-case-row[data-case="{row.case_code}"]')
    case.wait_for()
    cells = case.locator("td").all_inner_texts()
    trainee, code, sessions, latest, client, therapist, flags, _, minutes, status, link = cells
    assert (trainee, code) == (row.trainee_name, row.case_code)
    assert int(sessions) == row.sessions + 1
    assert latest == f"#{session.number} {session.date.isoformat()}"
    assert (client, therapist) == ("4", "4.67")
    hours_, rest = divmod(row.minutes + MINUTES, 60)  # shown as "1 h 50 min"
    assert minutes == " ".join([f"{hours_} h"] * bool(hours_) + [f"{rest} min"] * bool(rest))
    assert status == "signed off"
    assert link == "Open review"
    # The flags column counts what the store says is still open after the sign-off.
    assert flags.splitlines()[0] == str(after.flag_count)
    # The trainee's other cases are as they were.
    for other in others:
        shown = page.locator(f'tr.swb-case-row[data-case="{other.case_code}"] td').nth(2)
        assert int(shown.inner_text()) == other.sessions

    # Supervision hours: the 50 signed-off minutes count towards the requirement.
    hours = page.locator(f'tr.swb-hours-row[data-trainee="{row.trainee_id}"]')
    counted = round(hours_before.weighted_minutes + MINUTES)
    assert hours.locator(".swb-counted").inner_text() == f"{counted} min"
    required = ws.config.hours.required_minutes
    assert hours.locator(".swb-required").inner_text() == f"{required} min"
    progress = hours.locator("td").last.inner_text()
    assert progress.startswith(f"{counted * 100 / required:.0f}%")
    assert dialogs == []
