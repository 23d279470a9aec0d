"""The supervisee's session workbook and its building blocks, without a kernel or a browser.

ipywidgets work in-process without a front end: setting a widget's value here is what a
message from the page would do. Timers run on a manual clock, so debouncing is tested
exactly. Everything is saved into a real workspace folder through the real store, and read
back through the real artifact reader.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from fixtures.clock import FakeClock
from fixtures.workbooks import (
    TODAY,
    TRAINEE,
    fill_alliance,
    open_workbook,
    press_submit,
    recorded_session,
    result_of,
    two_session_workspace,
    upload_entry,
    walk_to_review,
)
from supervision_workbook.artifact import dumps, loads
from supervision_workbook.model import (
    Case,
    Reflection,
    Resolved,
    Respondent,
    Review,
    ReviewKind,
    Rupture,
    RuptureType,
    SessionEntry,
    Status,
)
from supervision_workbook.store import Workspace, init_workspace
from supervision_workbook.ui.casework import case_history, scan_directory
from supervision_workbook.ui.components.files import Upload
from supervision_workbook.ui.components.scales import VisualAnalogueScale
from supervision_workbook.ui.components.text import Notice, escape
from supervision_workbook.ui.forms.rating import RatingForm
from supervision_workbook.ui.forms.reflection import ReflectionEditor
from supervision_workbook.ui.forms.ruptures import RuptureEditor

XSS = '<img src=x onerror="alert(1)">I hate <you>'


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return two_session_workspace(tmp_path)


# --- step 1: who, which case, which session ---------------------------------------------------
def test_a_link_opens_the_case_with_the_next_free_session_number_and_today(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    assert wb.basics.trainee_id == "tr-ada" and wb.basics.case_id == "cs-one"
    assert wb.basics.number.value == 3
    assert wb.basics.date.value == TODAY
    assert "2 recorded sessions" in wb.basics.history.value
    assert wb.url.params == {"trainee": "tr-ada", "case": "cs-one"}


def test_a_link_to_an_unknown_trainee_is_explained_and_nothing_is_chosen(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock, {"trainee": "tr-nobody", "case": "cs-one"})
    assert wb.basics.trainee_id is None and wb.basics.case_id is None
    assert any("no saved work" in m for m in wb.message.messages)


def test_a_new_trainee_adds_a_case_by_code_and_starts_at_session_one(
    tmp_path: Path, clock: FakeClock
) -> None:
    empty = Workspace(init_workspace(tmp_path / "empty"))
    wb = open_workbook(empty, clock, {})
    wb.basics.new_trainee.value = "Bo Newcomer"
    assert wb.basics.add_trainee() is not None
    wb.basics.new_case.value = "Maria Lopez"  # a name, not a code: refused
    assert wb.basics.add_case() is None
    assert "Never use a client's name" in wb.basics.message.messages[0]
    wb.basics.new_case.value = "C-900"
    assert wb.basics.add_case() is not None
    assert wb.basics.number.value == 1
    assert wb.basics.validate() == []


def test_step_one_refuses_a_session_number_that_is_already_recorded_or_a_future_date(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    wb.basics.number.value = 2
    wb.basics.date.value = TODAY + timedelta(days=30)
    problems = wb.basics.validate()
    assert any("Session 2 is already recorded" in p for p in problems)
    assert any("in the future" in p for p in problems)
    assert not wb.flow.next()
    assert wb.flow.index == 0 and wb.flow.errors.kind == "error"


def test_the_alliance_step_names_the_unanswered_items_and_marks_them(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    assert wb.flow.next()
    wb.client_form.answers = [3, None, 3, 3, None, 3]
    assert not wb.flow.next()
    assert any("please answer items 2, 5" in m for m in wb.flow.errors.messages)
    assert wb.client_form.scale.invalid == [1, 4]
    wb.client_form.scale.values = [3, 3, 3, 3, None, 3]  # as the page would send it
    assert wb.client_form.scale.invalid == [4]


# --- rating widgets ---------------------------------------------------------------------------
def test_an_answer_from_the_page_that_is_not_on_the_scale_is_refused_and_explained(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    form = wb.client_form
    form.scale.values = [4, 4, 4, 4, 2, 4]
    form.scale.values = [4, 7, 4, 4, 2.5, "x"]  # a tampered message
    assert form.answers == [4, 4, 4, 4, 2, 4]
    assert "item 2: 7 is not on" in form.problems.messages[0]
    assert form.problems.kind == "error"
    form.scale.values = [1, 2, 3]  # wrong length
    assert form.answers == [4, 4, 4, 4, 2, 4]


def test_the_score_line_comes_from_scoring_and_counts_answers(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    wb.client_form.answers = [3, 2, 3, 3, 4, 3]
    # Item 5 is reverse-scored (6 - 4 = 2): mean of 3, 2, 3, 3, 2, 3 is 2.67.
    assert wb.client_form.score_text == ("Answered 6 of 6. Mean item score: 2.67. Cut-off: 3.5.")


def test_a_licensed_instrument_without_a_text_pack_shows_neutral_labels_and_how_to_load_wording(
    ws: Workspace,
) -> None:
    srs = ws.instruments["srs"]
    form = RatingForm(srs)
    assert isinstance(form.scale, VisualAnalogueScale)
    assert form.scale.items[0]["label"] == "Item 1 (Bond)"
    note = form.children[1].value
    assert "textpacks/srs.json" in note and "licence" in note
    form.scale.values = [9.5, 10, 0, 7.3]
    assert form.answers == [9.5, 10.0, 0.0, 7.3]
    form.scale.values = [9.55, 10, 0, 7.3]  # not on the 0.1 step
    assert form.answers == [9.5, 10.0, 0.0, 7.3] and form.scale.rejected


def test_free_text_reaches_the_review_page_escaped_and_the_record_as_typed(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    fill_alliance(wb)
    wb.bring.value = XSS
    walk_to_review(wb)
    assert "<img" not in wb.review_step.bring.value
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;I hate &lt;you&gt;" in (
        wb.review_step.bring.value
    )
    assert wb.build_review().sessions[0].bring_to_supervision == XSS


def test_declared_names_are_kept_privately_and_flagged_in_every_text_field(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    wb.reflection.free_text.value = "Talked about Jonas at length."
    assert wb.warnings.summary() == []
    wb.basics.names.value = "Jonas, Petra, jonas"
    assert ws.declared_names("cs-one") == ["Jonas", "Petra"]
    assert wb.warnings.summary() == [
        "Reflection: free text: Possible declared name: “Talked about J•••• at length.” "
        "(a name you declared for this case)."
    ]
    fill_alliance(wb)
    saved = dumps(wb.build_review(), ws.instruments, ws.config)
    assert "Petra" not in saved  # the names list itself never enters a workbook


def test_phone_numbers_are_flagged_in_the_formats_the_workspace_is_set_to(
    ws: Workspace, clock: FakeClock
) -> None:
    """A London number in a British workspace (``[privacy] regions = ["GB"]``) is flagged."""
    toml = ws.path / "supervision-workbook.toml"
    toml.write_text(toml.read_text().replace('regions = ["US"]', 'regions = ["GB"]'))
    british = Workspace(ws.path)
    assert british.config.privacy.regions == ["GB"]
    wb = open_workbook(british, clock)
    wb.reflection.free_text.value = "She said to call 020 7946 0958 after six."
    (flag,) = wb.warnings.summary()
    assert flag.startswith("Reflection: free text: Possible phone number")
    assert "7946 0958" not in flag


def test_a_draft_is_autosaved_and_a_reload_restores_it(ws: Workspace, clock: FakeClock) -> None:
    wb = open_workbook(ws, clock)
    fill_alliance(wb)
    wb.reflection.themes.values = [None, 3, None, None, None, None, None, None]
    wb.bring.value = "The silence in minute ten."
    assert wb.autosave.saves == 0
    clock.advance(1.6)
    assert wb.autosave.saves == 1 and wb.autosave.text == "Draft saved 14:02"
    drafts = list((ws.path / "drafts").rglob("*.ipynb"))
    assert len(drafts) == 1

    reloaded = open_workbook(ws, FakeClock())
    assert reloaded.review_id == wb.review_id
    assert reloaded.client_form.answers == [3, 2, 3, 3, 4, 3]
    assert reloaded.reflection.reflection.themes == {"helpless-inadequate": 3}
    assert reloaded.bring.value == "The silence in minute ten."
    assert any("Restored your draft of session 3" in m for m in reloaded.message.messages)


def test_without_a_link_the_most_recent_draft_is_reopened(ws: Workspace, clock: FakeClock) -> None:
    wb = open_workbook(ws, clock)
    wb.bring.value = "Where I left off."
    clock.advance(2)
    reopened = open_workbook(ws, FakeClock(), {})
    assert reopened.basics.case_id == "cs-one"
    assert reopened.bring.value == "Where I left off."


def test_two_windows_on_one_draft_get_a_conflict_and_autosave_stops(
    ws: Workspace, clock: FakeClock
) -> None:
    first = open_workbook(ws, clock)
    first.bring.value = "first"
    clock.advance(2)
    second_clock = FakeClock()
    second = open_workbook(ws, second_clock)
    second.bring.value = "second"
    second_clock.advance(2)
    first.bring.value = "first again"
    clock.advance(2)
    assert not first.autosave.enabled
    assert "changed elsewhere" in first.autosave.text
    assert "nothing was overwritten" in first.autosave.text
    assert (
        ws.load(next((ws.path / "drafts").rglob("*.ipynb"))).review.sessions[0].bring_to_supervision
        == "second"
    )


def test_a_window_still_on_the_draft_of_a_submitted_session_is_told_which_version_is_on_record(
    ws: Workspace, clock: FakeClock
) -> None:
    """One window submits; the other, still open on the draft, types on. Its autosave must
    not blame another window or replace the record: it names the version on record, says a
    correction is an amendment, and stops."""
    first = open_workbook(ws, clock)
    fill_alliance(first)
    first.bring.value = "first"
    clock.advance(2)
    second_clock = FakeClock()
    second = open_workbook(ws, second_clock)
    assert second.bring.value == "first"  # the same draft, restored
    walk_to_review(first)
    assert press_submit(first), result_of(first)
    record = ws.find(first.review_id)
    assert record is not None
    kept = record.read_bytes()
    second.bring.value = "typed after the submit"
    second_clock.advance(2)
    text = second.autosave.text
    assert text.startswith("Draft not saved: review ") and "is submitted on record" in text
    assert "amendment" in text and "changed elsewhere" not in text
    assert str(ws.path) not in text  # the file's name, not the server's folders
    assert not second.autosave.enabled
    assert record.read_bytes() == kept


# --- submit -----------------------------------------------------------------------------------
def test_a_complete_session_is_submitted_as_a_record_with_the_scores_entered(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    fill_alliance(wb)
    clock.advance(2)  # a draft exists before the submit
    walk_to_review(wb)
    assert press_submit(wb), result_of(wb)
    assert result_of(wb).startswith("Submitted session 3 of case C-001")
    assert list((ws.path / "drafts").rglob("*.ipynb")) == []  # the store removed the draft
    record = ws.find(wb.review_id)
    assert record is not None
    saved = ws.load(record).review
    assert saved.status == Status.submitted and saved.kind == ReviewKind.session
    responses = {r.respondent: r.answers for r in saved.sessions[0].responses}
    assert responses[Respondent.client] == [3, 2, 3, 3, 4, 3]
    assert responses[Respondent.therapist] == [5, 5, 4, 5, 1, 5]
    assert saved.trainee == TRAINEE  # the supervisor carried over from earlier records
    assert wb.locked and wb.client_form.disabled and not wb.autosave.enabled
    assert wb.review_step.savebar.buttons["swb-submit"].disabled  # no second submit
    wb.review_step.next_session_button.click()
    assert wb.basics.number.value == 4 and not wb.locked and wb.client_form.answers[0] is None


def test_submit_with_unanswered_items_is_refused_in_words_and_saves_nothing(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    wb.flow.go(0)
    assert not press_submit(wb)
    result = result_of(wb)
    assert "Not submitted: step 2 (Alliance) needs attention" in result
    assert ws.find(wb.review_id) is None


def test_submit_asks_for_a_decision_when_possible_identifiers_remain(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    fill_alliance(wb)
    wb.notes.value = "She asked me to write to jo@example.org."
    walk_to_review(wb)
    identifiers = wb.review_step.identifiers
    assert identifiers.flags and identifiers.confirm.layout.display is None
    assert not press_submit(wb)
    assert "tick the box" in result_of(wb)
    wb.review_step.identifiers.confirm.value = True
    assert press_submit(wb)


# --- ruptures and reflection ------------------------------------------------------------------
def test_ruptures_are_added_and_removed_and_unfinished_ones_are_named(ws: Workspace) -> None:
    editor = RuptureEditor(ws.instruments["rupture-log"])
    changes: list[int] = []
    editor.on_change(lambda: changes.append(1))
    first = editor.add()
    second = editor.add()
    assert editor.validate() == [
        "Rupture 1: please choose its type, how salient it was, whether it was repaired.",
        "Rupture 2: please choose its type, how salient it was, whether it was repaired.",
    ]
    assert editor.ruptures == []  # unfinished ruptures are not part of the record
    first.type.value = "withdrawal"
    first.markers["withdrawal"]["w-minimal"].value = True
    first.markers["confrontation"]["c-frame"].value = True  # hidden for a withdrawal
    first.salience.value = 3
    first.strategies["s-invite"].value = True
    first.resolved.value = "partly"
    first.description.value = XSS
    editor.remove(second)
    assert second.comm is None and second.salience.comm is None  # closed, not leaked
    (rupture,) = editor.ruptures
    assert rupture.type == RuptureType.withdrawal and rupture.markers == ["w-minimal"]
    assert rupture.strategies == ["s-invite"] and rupture.resolved == Resolved.partly
    assert rupture.description == XSS
    assert editor.validate() == [] and changes


def test_a_saved_rupture_and_reflection_come_back_into_their_editors(ws: Workspace) -> None:
    rupture = Rupture(
        id="ru-one",
        type=RuptureType.confrontation,
        markers=["c-frame"],
        salience=4,
        strategies=["s-clarify"],
        resolved=Resolved.yes,
        description="About the fee.",
    )
    editor = RuptureEditor(ws.instruments["rupture-log"], [rupture])
    assert editor.ruptures == [rupture]
    reflection = Reflection(
        id="rf-one",
        themes={"positive": 0, "disengaged": 4},
        prompts={"felt": XSS},
        free_text="More.",
    )
    reflection_editor = ReflectionEditor(ws.instruments["countertransference"], reflection)
    assert reflection_editor.reflection == reflection
    reflection_editor.themes.values = [9] * 8  # not an intensity
    assert "not on" in reflection_editor.problems.messages[0]
    assert reflection_editor.reflection == reflection


# --- the chart --------------------------------------------------------------------------------
def test_the_trajectory_is_redrawn_when_a_rating_changes(ws: Workspace, clock: FakeClock) -> None:
    wb = open_workbook(ws, clock)
    fill_alliance(wb)
    assert wb.flow.next()  # to the alliance step: drawn on entry
    assert wb.chart.draws == 1
    first = json.dumps(wb.chart.figure_json)
    assert wb.chart.output.outputs[0]["data"]["text/plain"] == wb.chart.title
    clock.advance(1)
    wb.therapist_form.scale.values = [1, 1, 1, 1, 5, 1]
    assert wb.chart.draws == 2  # the first change is drawn at once, without waiting
    assert json.dumps(wb.chart.figure_json) != first
    assert "This session (3): client 2.67, you 1" in wb.chart.summary.value
    # A burst of changes (arrow keys through a radio group) is drawn once more, at the end
    # of the window, with the final state.
    wb.therapist_form.scale.values = [2, 1, 1, 1, 5, 1]
    wb.therapist_form.scale.values = [3, 1, 1, 1, 5, 1]
    assert wb.chart.draws == 2
    clock.advance(0.2)
    assert wb.chart.draws == 3
    assert "This session (3): client 2.67, you 1.33" in wb.chart.summary.value
    clock.advance(1)  # the window closes quietly: nothing changed since
    assert wb.chart.draws == 3
    assert "FigureWidget" not in type(wb.chart.output).__name__


def test_the_chart_buttons_never_offer_to_send_the_data_to_a_cloud_service(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    fill_alliance(wb)
    assert wb.flow.next()
    config = wb.chart.figure_json["config"]
    assert config["displaylogo"] is False
    assert config["showSendToCloud"] is False and config["showEditInChartStudio"] is False
    assert {"sendDataToCloud", "sendChartToCloud", "editInChartStudio"} <= set(
        config["modeBarButtonsToRemove"]
    )
    # One definition: the charts saved in an artifact carry exactly the same settings.
    saved = json.loads(dumps(wb.build_review(), ws.instruments, ws.config))
    bundles = [
        out["data"]["application/vnd.plotly.v1+json"]
        for cell in saved["cells"]
        for out in cell.get("outputs", [])
        if "application/vnd.plotly.v1+json" in out.get("data", {})
    ]
    assert bundles and all(b["config"] == config for b in bundles)


# --- download and upload ----------------------------------------------------------------------
def test_download_hands_over_the_artifact_under_a_name_made_of_ids(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    fill_alliance(wb)
    message = wb.download.prepare()
    assert message["type"] == "file" and message["mime"] == "application/x-ipynb+json"
    assert message["filename"] == f"{TODAY.isoformat()}_session_{wb.review_id}.ipynb"
    loaded = loads(base64.b64decode(message["b64"]).decode("utf-8"), source="download")
    assert loaded.review.sessions[0].responses[0].answers == [3, 2, 3, 3, 4, 3]


def test_a_bad_upload_gets_its_error_and_changes_nothing(ws: Workspace, clock: FakeClock) -> None:
    wb = open_workbook(ws, clock)
    fill_alliance(wb)
    before = wb.build_review().sessions[0]
    for name, content, words in (
        ("junk.ipynb", b"\xff\xfe not text", "not a text file"),
        ("broken.ipynb", b'{"cells": [', "junk"),
        ("case-review.ipynb", None, "case review"),
    ):
        if content is None:
            review = recorded_session(1, [4] * 6, [4] * 6).model_copy(
                update={"kind": ReviewKind.case_review, "id": "rv-cr"}
            )
            content = dumps(review, ws.instruments, ws.config).encode()
        assert not wb.upload.receive(upload_entry(name, content))
        assert wb.upload.result.kind == "error"
        assert words in wb.upload.result.messages[0] or name in wb.upload.result.messages[0]
        assert wb.build_review().sessions[0].responses == before.responses
        assert wb.review_id == wb.review_id


def test_an_uploaded_draft_resumes_in_the_workbook_and_is_saved_here(
    tmp_path: Path, ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    fill_alliance(wb)
    wb.bring.value = "From the other machine."
    text = dumps(wb.build_review(), ws.instruments, ws.config)

    elsewhere = Workspace(init_workspace(tmp_path / "binder"))
    other_clock = FakeClock()
    fresh = open_workbook(elsewhere, other_clock, {})
    assert fresh.upload.receive(upload_entry("mine.ipynb", text.encode()))
    assert (
        "Opened the workbook of case C-001, session 3 (draft)" in (fresh.upload.result.messages[0])
    )
    assert fresh.bring.value == "From the other machine."
    assert fresh.client_form.answers == [3, 2, 3, 3, 4, 3]
    other_clock.advance(2)
    assert len(list((elsewhere.path / "drafts").rglob("*.ipynb"))) == 1


def test_uploading_another_cases_workbook_names_that_case_under_case(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    fill_alliance(wb)
    clock.advance(2)  # C-001's draft is saved: the page knows its people
    assert "Case C-001 has 2 recorded sessions" in wb.basics.history.value
    other_case = Case(id="cs-two", code="C-002", trainee_id="tr-ada")
    when = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)
    other = Review(
        id="rv-other",
        kind=ReviewKind.session,
        status=Status.draft,
        trainee=TRAINEE,
        case=other_case,
        created=when,
        updated=when,
        sessions=[SessionEntry(id="se-other", number=1, date=date(2026, 3, 1))],
    )
    text = dumps(other, ws.instruments, ws.config)
    assert wb.upload.receive(upload_entry("other.ipynb", text.encode()))
    assert "Case C-002 has no recorded sessions yet." in wb.basics.history.value
    assert "C-001" not in wb.basics.history.value
    assert wb.people()[1].code == "C-002"


def test_the_review_step_shows_everything_entered_before_submitting(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    fill_alliance(wb)
    wb.ruptures.ruptures = [
        Rupture(
            id="ru-one",
            type=RuptureType.confrontation,
            markers=["c-frame"],
            salience=4,
            strategies=["s-clarify"],
            resolved=Resolved.no,
            description=XSS,
        )
    ]
    wb.reflection.reflection = Reflection(
        id="rf-one",
        themes={"disengaged": 4},
        prompts={"felt": "I hate <you>, I thought."},
        free_text="<script>alert(2)</script>",
    )
    wb.bring.value = "The fee <again>"
    wb.notes.value = "Ask about <b>leave</b>"
    wb.flow.go(4)
    shown = wb.review_step.entered.value
    reflection = ws.instruments["countertransference"]
    log = ws.instruments["rupture-log"]
    kind = next(t for t in log.rupture_types if t.id.value == "confrontation")
    assert escape(kind.label) in shown
    frame = next(m for m in log.confrontation_markers if m.id == "c-frame")
    assert escape(frame.label) in shown and "4 of 5" in shown and "Not repaired" in shown
    assert escape(XSS) in shown and "<img" not in shown
    assert f"{escape(reflection.theme_label('disengaged'))} 4" in shown
    felt = next(p for p in reflection.prompts if p.id == "felt")
    assert escape(felt.text) in shown and "I hate &lt;you&gt;, I thought." in shown
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in shown and "<script" not in shown
    assert "Ask about &lt;b&gt;leave&lt;/b&gt;" in shown and "<b>leave" not in shown
    assert "The fee &lt;again&gt;" in wb.review_step.bring.value  # the step's own block
    assert "The fee" not in shown  # not shown twice


def test_an_uploaded_submitted_session_is_shown_read_only(
    ws: Workspace, clock: FakeClock, tmp_path: Path
) -> None:
    record = ws.find("rv-s01")
    assert record is not None
    fresh = open_workbook(Workspace(init_workspace(tmp_path / "other")), clock, {})
    assert fresh.upload.receive(upload_entry(record.name, record.read_bytes()))
    assert fresh.locked and fresh.client_form.disabled
    assert "submitted" in fresh.autosave.text


def test_an_upload_never_overwrites_a_damaged_copy_in_the_workspace(
    ws: Workspace, clock: FakeClock
) -> None:
    wb = open_workbook(ws, clock)
    fill_alliance(wb)
    clock.advance(2)
    clean = dumps(wb.build_review(), ws.instruments, ws.config)
    (draft,) = (ws.path / "drafts").rglob("*.ipynb")
    nb = json.loads(draft.read_text())
    nb["cells"][0]["source"] = "# edited by hand"
    draft.write_text(json.dumps(nb))
    damaged = draft.read_bytes()

    other_clock = FakeClock()
    other = open_workbook(ws, other_clock, {})
    assert any("could not be read" in m for m in other.message.messages)
    assert other.upload.receive(upload_entry("clean.ipynb", clean.encode()))
    assert "could not be read" in other.upload.result.messages[0]
    assert other.locked
    other.bring.value = "typing into a locked workbook saves nothing"
    other_clock.advance(5)
    assert draft.read_bytes() == damaged


def test_upload_refuses_a_file_far_too_large(ws: Workspace) -> None:
    upload = Upload(lambda loaded, name: "ok", max_bytes=10)
    assert not upload.receive(upload_entry("big.ipynb", b"x" * 100))
    assert "far larger" in upload.result.messages[0]


# --- plumbing ---------------------------------------------------------------------------------
def test_the_case_history_reads_the_index_first_and_the_files_only_when_needed(
    ws: Workspace,
) -> None:
    history = case_history(ws, "tr-ada", "cs-one")
    assert history.next_number == 3 and not history.loaded
    assert [s.number for s in history.sessions] == [1, 2] and history.loaded
    directory = scan_directory(ws)
    assert directory.trainee_options() == [("Ada Trainee", "tr-ada")]
    assert directory.case_options("tr-ada") == [("C-001", "cs-one")]


def test_a_missing_workspace_is_explained_on_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from supervision_workbook.ui import supervisee
    from supervision_workbook.ui.context import WORKSPACE_ENV

    monkeypatch.delenv(WORKSPACE_ENV, raising=False)
    page = supervisee.app()
    notice = next(c for c in page.children if isinstance(c, Notice))
    assert notice.kind == "error" and WORKSPACE_ENV in notice.messages[0]
