"""The live case review, step by step, without a kernel or a browser.

The workspace holds the story case of ``fixtures.reviews``: session workbooks 2 to 5 as
submitted by the trainee, and an earlier signed-off case review that covered sessions 1 to 3
(with a supervision check-in). So session 1 exists only inside that earlier case review,
the client's alliance dips below the cut-off in session 3, a withdrawal rupture in session 4
is left unrepaired (flagged at session 5), and the trainee's reflections say "I hate <you>".
"""

from __future__ import annotations

import base64
import html
import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from fixtures.clock import FakeClock
from fixtures.reviews import case_review, session_review, story_sessions
from supervision_workbook import signing
from supervision_workbook.alerts import case_flags
from supervision_workbook.artifact import TamperedArtifact, dumps, integrity, load, loads
from supervision_workbook.cli import main as cli
from supervision_workbook.model import Respondent, Review, ReviewKind, Status
from supervision_workbook.store import Workspace, init_workspace
from supervision_workbook.ui.case_review.workbook import CaseReviewWorkbook

TRAINEE, CASE = "tr-ana", "cs-0014"
TODAY = date(2026, 3, 9)
XSS = "<img src=x onerror=alert(1)>"
HATE = "I hate <you>"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = init_workspace(tmp_path_factory.mktemp("case-review") / "ws")
    ws = Workspace(root)
    for number in range(2, 6):
        ws.save(session_review(number))
    ws.save(case_review(3, signed=True))
    return root


@pytest.fixture
def ws(template: Path, tmp_path: Path) -> Workspace:
    return Workspace(shutil.copytree(template, tmp_path / "ws"))


@pytest.fixture
def timers() -> FakeClock:
    return FakeClock()


def open_review(ws: Workspace, timers: FakeClock, **params: str) -> CaseReviewWorkbook:
    params = params or {"trainee": TRAINEE, "case": CASE}
    clock = lambda: datetime(2026, 3, 9, 10, 30)  # noqa: E731
    return CaseReviewWorkbook(ws, params, scheduler=timers, clock=clock, today=lambda: TODAY)


def expected_flags(ws: Workspace):
    """Every flag of the story with its status: sessions 1-3 were signed off (the rule the
    dashboard counts with, ``alerts.case_flags``)."""
    return case_flags(story_sessions(5), ws.instruments, ws.config.alerts, reviewed_through=3)


def complete_meeting(wb: CaseReviewWorkbook) -> None:
    """Everything a supervisor fills in during the meeting, up to the sign-off form."""
    wb.meeting.notes.value = f"{HATE} came up again. {XSS}"
    wb.meeting.forms[Respondent.supervisor].answers = [4, 4, 5, 4, 4, 5]
    wb.meeting.forms[Respondent.supervisee].answers = [3, 4, 4, 3, 4, 4]
    wb.meeting.goals.value = "Name the withdrawal early <before> it settles."
    wb.meeting.tasks.value = "Check in at the end of each session."
    wb.meeting.actions.add("Bring a recording segment.")
    wb.meeting.signoff.supervisor.value = "Dr. Ruth Kay"
    wb.meeting.signoff.minutes.value = 50
    wb.meeting.signoff.format.value = "individual"


def sign(wb: CaseReviewWorkbook) -> bool:
    """Press "Sign off and save"; returns whether it succeeded (the bar shows why not)."""
    bar = wb.signoff_step.savebar
    return bar.run(bar.actions[0])


def signed_path(ws: Workspace) -> Path:
    found = [
        p for p in ws.iter_artifacts() if "_case_review_" in p.name and "rv-case-0001" not in p.name
    ]
    assert len(found) == 1, found
    return found[0]


# --- step 1: the case ------------------------------------------------------------------------
def test_a_link_opens_the_case_with_every_recorded_session_and_its_snapshot(ws, timers):
    wb = open_review(ws, timers)
    assert (wb.picker.trainee.value, wb.picker.case.value) == (TRAINEE, CASE)
    # Session 1 lives only in the earlier case review; 2-5 are session workbooks.
    assert [s.number for s in wb.sessions] == [1, 2, 3, 4, 5]
    snapshot = wb.views.snapshot.value
    assert "Ana &lt;Lima&gt; &amp; Co" in snapshot and "<Lima>" not in snapshot
    assert "C-014" in snapshot
    assert "5 sessions (numbers 1 to 5)" in snapshot
    assert "2026-01-05 to 2026-02-02" in snapshot
    # Session 5's client check-in is 4, 4, 4, 4, 2 (reverse-scored: 4), 5: mean 4.17.
    assert "Mean item score 4.17 (cut-off 3.5)" in snapshot
    flags = expected_flags(ws)
    open_count = sum(1 for f in flags if f.open)
    assert 0 < open_count < len(flags)
    assert f"{open_count} open of {len(flags)} flags in all sessions" in snapshot
    assert "flags on sessions 1 to 3 were discussed" in snapshot
    previous = wb.views.previous.value
    assert "Session workbooks: 4 submitted." in previous
    assert "signed off" in previous and "through session 3" in previous
    assert "60 min, individual" in previous and "Dr. Ruth Kay" in previous
    assert wb.flow.next() and wb.flow.index == 1


def test_a_damaged_record_of_the_case_is_named_with_the_message_validate_prints(ws, timers, capsys):
    """Session 4's file was cut off in transit: the case review still opens the case, and
    says which file is missing and why, in the words of ``validate``."""
    damaged = next(
        p
        for p in ws.iter_artifacts()
        if "_session_" in p.name and ws.load(p).review.sessions[0].number == 4
    )
    damaged.write_text(damaged.read_text(encoding="utf-8")[:500], encoding="utf-8")
    cli(["validate", str(damaged)])
    (printed,) = capsys.readouterr().out.splitlines()
    wb = open_review(ws, timers)
    assert [s.number for s in wb.sessions] == [1, 2, 3, 5]
    assert any(m.endswith(printed) for m in wb.message.messages), wb.message.messages
    assert damaged.exists()  # reported, never deleted


def test_a_link_to_an_unknown_case_opens_nothing_and_says_why(ws, timers):
    wb = open_review(ws, timers, trainee=TRAINEE, case="cs-nope")
    assert wb.picker.case.value is None and wb.sessions == []
    assert any("no saved records" in m for m in wb.message.messages)
    assert not wb.flow.next()
    assert wb.flow.errors.messages == ("Choose the case to review.",)


# --- step 2: the binocular view ---------------------------------------------------------------
def test_the_binocular_view_overlays_both_trajectories_and_lists_every_flag_with_its_reason(
    ws, timers
):
    wb = open_review(ws, timers)
    wb.flow.go(1)
    names = [trace.get("name", "") for trace in wb.views.trajectory.figure_json["data"]]
    assert any(n.startswith("Client: ") for n in names)
    assert any(n.startswith("Therapist: ") for n in names)
    assert wb.views.divergence.figure_json is not None

    wb.views.subscale.value = "bond"
    timers.run()  # the redraw is debounced like every chart
    title = wb.views.trajectory.figure_json["layout"]["title"]["text"]
    assert title.endswith("(bond)")

    shown = wb.views.flags.value
    flags = expected_flags(ws)
    assert shown.count("class='swb-cr-flag ") == len(flags)
    for flag in flags:
        assert html.escape(flag.alert.message, quote=True) in shown
    assert "Rupture left unrepaired" in shown
    assert shown.count("swb-cr-flag-open") == sum(1 for f in flags if f.open)


# --- steps 3 and 4: ruptures and reflections, shown as typed -----------------------------------
def test_the_unrepaired_rupture_is_highlighted_and_its_description_shown_as_typed(ws, timers):
    wb = open_review(ws, timers)
    table = wb.views.ruptures.value
    row_4 = table.split("data-session='4'")[1].split("</tr>")[0]
    row_5 = table.split("class='swb-cr-rupture' data-session='5'")[1].split("</tr>")[0]
    assert "Not repaired" in row_4 and "Repaired" in row_5
    assert "class='swb-cr-rupture swb-cr-unrepaired' data-session='4'" in table
    assert "went quiet after I &lt;pushed&gt; on homework &amp; fees." in row_4
    assert "2 ruptures over 5 sessions; 1 not fully repaired" in table


def test_reflections_reach_the_page_escaped_and_the_themes_chart_is_drawn(ws, timers):
    wb = open_review(ws, timers)
    wb.flow.go(3)
    text = wb.views.reflections.value
    assert "I hate &lt;you&gt; moments" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<img" not in text and "<you>" not in text
    assert wb.views.themes.draws == 1


# --- step 5: the supervision check-in ----------------------------------------------------------
def test_both_people_rate_the_check_in_and_its_trend_includes_earlier_meetings(ws, timers):
    wb = open_review(ws, timers)
    wb.flow.go(3)
    assert wb.flow.go(4)
    assert not wb.flow.next()
    assert wb.flow.errors.messages == (
        "Supervisor's ratings: please answer items 1, 2, 3, 4, 5, 6.",
        "Supervisee's ratings: please answer items 1, 2, 3, 4, 5, 6.",
    )
    supervisor = wb.meeting.forms[Respondent.supervisor]
    supervisee = wb.meeting.forms[Respondent.supervisee]
    supervisor.answers = [4, 4, 5, 4, 4, 5]
    supervisee.answers = [3, 4, 4, 3, 4, None]
    assert "Mean item score: 4.33." in supervisor.score_text
    assert "so far (answered items only)" in supervisee.score_text
    timers.run()
    trend = wb.views.checkin_chart.figure_json
    # The earlier meeting (2026-03-02) and today's complete form; the partial one waits.
    assert sorted({x for trace in trend["data"] for x in trace["x"]}) == [
        "2026-03-02",
        "2026-03-09",
    ]
    assert not wb.flow.next()
    assert wb.flow.errors.messages == ("Supervisee's ratings: please answer item 6.",)
    supervisee.answers = [3, 4, 4, 3, 4, 4]
    assert wb.flow.errors.messages == ()  # the problem went away as it was fixed
    assert wb.flow.next() and wb.flow.index == 5


# --- step 6: goals, tasks, action items ---------------------------------------------------------
def test_goals_are_required_and_an_empty_action_item_must_be_typed_or_removed(ws, timers):
    wb = open_review(ws, timers)
    wb.meeting.forms[Respondent.supervisor].answers = [4] * 6
    wb.meeting.forms[Respondent.supervisee].answers = [4] * 6
    assert wb.flow.go(5)
    assert not wb.flow.next()
    assert wb.flow.errors.messages == ("Write the goals you agreed for the next sessions.",)
    wb.meeting.goals.value = "Agree a shared focus."
    first = wb.meeting.actions.add("Invite feedback at the end of each session.")
    wb.meeting.actions.add("")
    assert not wb.flow.next()
    assert wb.flow.errors.messages == ("Action item 2 is empty: type it, or remove it.",)
    wb.meeting.actions.remove(wb.meeting.actions.rows[1])
    assert [row.text.description for row in wb.meeting.actions.rows] == ["Action item 1"]
    assert wb.meeting.actions.rows == [first]
    assert wb.flow.next() and wb.flow.index == 6


# --- drafts -----------------------------------------------------------------------------------
def test_changes_are_autosaved_once_after_a_pause_and_a_reload_restores_them(ws, timers):
    wb = open_review(ws, timers)
    wb.meeting.notes.value = HATE
    wb.meeting.goals.value = "Agree a shared focus."
    wb.meeting.actions.add("Bring a recording segment.")
    wb.meeting.forms[Respondent.supervisor].answers = [4, 4, 5, 4, 4, 5]
    assert wb.autosave.pending and wb.autosave.saves == 0
    timers.run()
    assert wb.autosave.saves == 1
    assert wb.autosave.text == "Draft saved 10:30"
    drafts = list((ws.path / "drafts" / TRAINEE / CASE).glob("*_case_review_*.ipynb"))
    assert len(drafts) == 1
    draft = load(drafts[0]).review
    assert draft.kind == ReviewKind.case_review and draft.status == Status.draft
    assert [s.number for s in draft.sessions] == [1, 2, 3, 4, 5]

    again = open_review(ws, FakeClock())
    assert again.meeting.review_id == wb.meeting.review_id
    assert again.meeting.notes.value == HATE
    assert again.meeting.goals.value == "Agree a shared focus."
    assert [i.text for i in again.meeting.actions.items] == ["Bring a recording segment."]
    assert again.meeting.forms[Respondent.supervisor].answers == [4, 4, 5, 4, 4, 5]
    assert again.meeting.forms[Respondent.supervisee].answered == 0
    assert any(m.startswith("Restored your draft") for m in again.message.messages)
    # The second window saves on top of the draft it restored, not beside it.
    again.meeting.tasks.value = "Check in at the end."
    again.autosave.flush()
    assert len(list(drafts[0].parent.glob("*_case_review_*.ipynb"))) == 1
    # The first window's copy is now stale: its next save is a conflict, not an overwrite.
    wb.meeting.tasks.value = "Something else."
    timers.run()
    assert "changed elsewhere" in wb.autosave.text and not wb.autosave.enabled


# --- step 7: sign-off ----------------------------------------------------------------------------
def test_sign_off_is_refused_with_the_step_that_needs_attention(ws, timers):
    wb = open_review(ws, timers)
    complete_meeting(wb)
    wb.meeting.goals.value = "   "
    assert not sign(wb)
    assert wb.signoff_step.savebar.result.messages == (
        "Not signed off: step 6 (Goals and tasks) needs attention: Write the goals you "
        "agreed for the next sessions.",
    )
    wb.meeting.goals.value = "Agree a focus."
    wb.meeting.signoff.minutes.value = 0
    assert not sign(wb)
    assert "step 7 (Sign-off)" in wb.signoff_step.savebar.result.messages[0]
    assert "minutes" in wb.signoff_step.savebar.result.messages[0]
    assert not any(
        "_case_review_" in p.name and "rv-case-0001" not in p.name for p in ws.iter_artifacts()
    )


def test_a_meeting_dated_after_today_is_not_signed_off(ws, timers):
    wb = open_review(ws, timers)
    complete_meeting(wb)
    wb.meeting.signoff.meeting_date.value = TODAY + timedelta(days=1)
    wb.flow.go(6)
    assert not sign(wb)
    (message,) = wb.signoff_step.savebar.result.messages
    assert "is in the future: a sign-off comes after the meeting" in message
    assert not [
        p for p in ws.iter_artifacts() if "_case_review_" in p.name and "0001" not in p.name
    ]


def test_signing_off_saves_the_signed_record_and_shows_it_read_only_with_a_download(ws, timers):
    wb = open_review(ws, timers)
    complete_meeting(wb)
    form = wb.meeting.signoff
    assert (form.meeting_date.value, form.modality.value) == (TODAY, "in_person")  # defaults
    assert [v for _label, v in form.format.options] == [
        "individual",
        "triadic",
        "group",
        "live_observation",
        "recording_review",
    ]
    form.meeting_date.value = TODAY - timedelta(days=2)  # signed two days after the meeting
    form.format.value = "triadic"
    form.modality.value = "video"
    timers.run()  # a draft exists before the sign-off...
    assert list((ws.path / "drafts").rglob("*_case_review_*.ipynb"))
    wb.flow.go(6)
    assert HATE not in wb.signoff_step.summary.value
    assert "Name the withdrawal early &lt;before&gt; it settles." in wb.signoff_step.summary.value

    assert sign(wb), wb.signoff_step.savebar.result.messages
    path = signed_path(ws)
    assert not list((ws.path / "drafts").rglob("*_case_review_*.ipynb"))  # ...and is gone
    record = load(path, strict=True).review
    assert record.kind == ReviewKind.case_review and record.status == Status.signed_off
    integrity.verify(record)
    assert record.signoff is not None
    assert (record.signoff.supervisor, record.signoff.minutes, record.signoff.format) == (
        "Dr. Ruth Kay",
        50,
        "triadic",
    )
    assert record.signoff.meeting_date == TODAY - timedelta(days=2)
    assert record.signoff.modality == "video"
    # The signature verdict, as ``validate`` words it, against the workspace's trusted keys.
    expected = signing.verdict(record, signing.trusted_keys(ws.path))
    shown = wb.signoff_step.verdict.messages
    assert shown == (f"Signature: {expected.text[:1].upper()}{expected.text[1:]}.",)
    assert "Signed off as 'Dr. Ruth Kay', not signed with a key" in shown[0]
    assert [s.number for s in record.sessions] == [1, 2, 3, 4, 5]
    assert record.supervisor_notes == f"{HATE} came up again. {XSS}"  # stored as typed
    assert [r.respondent for r in record.checkin.responses] == [
        Respondent.supervisor,
        Respondent.supervisee,
    ]
    assert [i.text for i in record.action_items] == ["Bring a recording segment."]
    assert ws.index.reviews(trainee_id=TRAINEE, case_id=CASE, kind="case_review")[-1].path == path

    # Read-only now, and what is shown is the record read back from disk, escaped.
    assert wb.locked and wb.meeting.notes.disabled
    assert wb.meeting.forms[Respondent.supervisor].disabled
    assert wb.signoff_step.savebar.buttons["swb-cr-sign"].disabled and not wb.autosave.enabled
    assert wb.message.kind == "success" and wb.message.messages[0].startswith("Signed off")
    view = wb.signoff_step.record.value
    assert "I hate &lt;you&gt; came up again. &lt;img src=x onerror=alert(1)&gt;" in view
    assert record.signoff.data_hash in view and path.name in view
    assert wb.signoff_step.download.layout.display is None
    message = wb.signoff_step.download.prepare()
    assert message["filename"] == path.name
    assert base64.b64decode(message["b64"]).decode("utf-8") == path.read_text(encoding="utf-8")
    assert not sign(wb)  # no second signature


def _edited(text: str, *, rehash: bool) -> str:
    notebook = json.loads(text)
    block = notebook["metadata"]["supervision_workbook"]
    block["record"]["goals"] = "Something the meeting never agreed."
    if rehash:
        block["content_hash"] = integrity.content_hash(Review.model_validate(block["record"]))
    return json.dumps(notebook, indent=1)


def test_a_hand_edit_of_the_signed_goals_fails_validation_however_it_is_made(
    ws, timers, tmp_path, capsys
):
    wb = open_review(ws, timers)
    complete_meeting(wb)
    assert sign(wb)
    path = signed_path(ws)
    assert cli(["validate", str(path)]) == 0
    original = path.read_text(encoding="utf-8")

    naive = tmp_path / "naive.ipynb"
    naive.write_text(_edited(original, rehash=False), encoding="utf-8")
    with pytest.raises(TamperedArtifact, match="content_hash does not match"):
        loads(naive.read_text(encoding="utf-8"))
    rehashed = tmp_path / "rehashed.ipynb"
    rehashed.write_text(_edited(original, rehash=True), encoding="utf-8")
    with pytest.raises(TamperedArtifact, match="changed after its sign-off"):
        loads(rehashed.read_text(encoding="utf-8"))
    # Even rebuilding the whole notebook from the edited record keeps the old signature.
    forged = load(path).review.model_copy(update={"goals": "Something else."})
    rebuilt = tmp_path / "rebuilt.ipynb"
    rebuilt.write_text(dumps(forged, ws.instruments, ws.config), encoding="utf-8")
    capsys.readouterr()
    assert cli(["validate", str(naive), str(rehashed), str(rebuilt)]) == 1
    out = capsys.readouterr().out
    assert out.count("changed after its sign-off") == 2 and "content_hash" in out


def test_choosing_another_case_saves_the_pending_draft_and_starts_a_fresh_meeting(ws, timers):
    wb = open_review(ws, timers)
    wb.meeting.notes.value = "Pending note."
    assert wb.autosave.pending
    first_id = wb.meeting.review_id
    wb.picker.trainee.value = None
    assert not wb.autosave.pending
    assert list((ws.path / "drafts" / TRAINEE / CASE).glob(f"*_{first_id}.ipynb"))
    assert wb.meeting.notes.value == "" and wb.meeting.review_id != first_id
    assert "Choose a trainee and a case" in wb.views.snapshot.value
    assert wb.url.params == {"trainee": "", "case": ""}
