"""Handing work over inside the workbooks: Submit hands it on, the case review takes it in.

Without a kernel or a browser: the workbooks run in-process, the exchange folder is a real
folder set up by ``exchange-setup`` for one shared account (the exchange's own checks keep
people apart, as on Zero to JupyterHub), and identities are given the way the hub gives
them (a user name). On a hub the trainee's Submit lands in their inbound folder and the
supervisor's "Collect submissions" brings it into the case review; on Binder the submitted
file is offered for download and the supervisor uploads it. Wrong set-ups and bad files are
refused in words and change nothing.
"""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from pathlib import Path

import pytest

from fixtures.clock import FakeClock
from fixtures.workbooks import (
    TODAY,
    fill_alliance,
    press_submit,
    recorded_session,
    result_of,
    upload_entry,
    walk_to_review,
)
from supervision_workbook.artifact import dumps, loads
from supervision_workbook.exchange import (
    EXCHANGE_ENV,
    DownloadExchange,
    FolderExchange,
    exchange_for,
)
from supervision_workbook.exchange._setup import setup_exchange
from supervision_workbook.model import ReviewKind, Status
from supervision_workbook.store import Workspace, init_workspace
from supervision_workbook.ui.case_review.workbook import CaseReviewWorkbook
from supervision_workbook.ui.handover.receive import ReceivePanel
from supervision_workbook.ui.supervisee.workbook import SuperviseeWorkbook


@pytest.fixture
def trainee_ws(tmp_path: Path) -> Workspace:
    """Ada's own workspace: two submitted sessions of case C-001."""
    workspace = Workspace(init_workspace(tmp_path / "ada-workspace"))
    workspace.save(recorded_session(1, [4, 4, 4, 4, 2, 4], [5, 5, 5, 5, 1, 5]))
    workspace.save(recorded_session(2, [4, 4, 5, 4, 2, 4], [5, 5, 5, 5, 1, 5]))
    return workspace


@pytest.fixture
def supervisor_ws(tmp_path: Path) -> Workspace:
    return Workspace(init_workspace(tmp_path / "okafor-workspace"))


@pytest.fixture
def exchange_root(tmp_path: Path) -> Path:
    """ada is okafor's trainee, bilal is lindqvist's; one shared account, as on Kubernetes."""
    root = tmp_path / "exchange"
    root.mkdir()
    roster = {
        "version": 1,
        "trainees": {
            "ada": {"supervisors": ["okafor"], "trainee_ids": ["tr-ada"]},
            "bilal": {"supervisors": ["lindqvist"]},
        },
    }
    (root / "roster.json").write_text(json.dumps(roster), encoding="utf-8")
    (root / "roster.json").chmod(0o644)
    assert not setup_exchange(root, shared_account=True).problems
    return root


def on_hub(root: Path, user: str):
    """What ``exchange_for()`` builds on the hub for ``user`` (their JUPYTERHUB_USER)."""
    return lambda: FolderExchange(root, user=user)


def trainee_workbook(ws: Workspace, exchange) -> SuperviseeWorkbook:
    return SuperviseeWorkbook(
        ws,
        {"trainee": "tr-ada", "case": "cs-one"},
        scheduler=FakeClock().call_later,
        today=lambda: TODAY,
        exchange=exchange,
    )


def submitted(wb: SuperviseeWorkbook) -> bool:
    fill_alliance(wb)
    walk_to_review(wb)
    return press_submit(wb)


def case_review(ws: Workspace, exchange=None, **params: str) -> CaseReviewWorkbook:
    return CaseReviewWorkbook(
        ws,
        params,
        scheduler=FakeClock().call_later,
        exchange=exchange,
        collect=exchange is not None,
    )


# --- the trainee submits -------------------------------------------------------------------------
def test_on_a_hub_submit_puts_the_saved_session_into_the_supervisors_inbox(
    trainee_ws: Workspace, exchange_root: Path
) -> None:
    wb = trainee_workbook(trainee_ws, on_hub(exchange_root, "ada"))
    assert submitted(wb), result_of(wb)
    assert result_of(wb) == (
        "Submitted session 3 of case C-001 and saved it in your workspace as "
        f"{TODAY.isoformat()}_session_{wb.review_id}.ipynb."
    )
    assert wb.handover.result.kind == "success"
    assert wb.handover.result.messages == ("Submitted to your supervisor's inbox as version 1.",)
    assert wb.handover.download.layout.display == "none"  # nothing to carry by hand

    (inbox_file,) = (exchange_root / "inbound" / "ada").glob("*.ipynb")
    record = trainee_ws.find(wb.review_id)
    assert record is not None
    assert inbox_file.read_text(encoding="utf-8") == record.read_text(encoding="utf-8")
    assert loads(inbox_file.read_text(encoding="utf-8")).review.status == Status.submitted
    assert f"_{wb.review_id}_v1_" in inbox_file.name


def test_on_binder_submit_offers_the_saved_record_as_a_prominent_download(
    trainee_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(EXCHANGE_ENV, raising=False)
    wb = trainee_workbook(trainee_ws, None)  # the server's own exchange: no folder here
    assert submitted(wb), result_of(wb)
    assert result_of(wb).endswith("Download it below and send it to your supervisor.")
    handover = wb.handover
    assert handover.layout.display is None and handover.download.layout.display is None
    assert "swb-handover-download" in handover.download._dom_classes
    assert handover.result.messages[0].startswith(
        f"Download this file and send it to your supervisor: {TODAY.isoformat()}_session_"
    )
    message = handover.download.prepare()
    record = trainee_ws.find(wb.review_id)
    assert record is not None and message["filename"] == record.name
    assert base64.b64decode(message["b64"]).decode("utf-8") == record.read_text(encoding="utf-8")


def test_a_trainee_the_roster_does_not_know_is_told_why_and_can_send_once_it_is_fixed(
    trainee_ws: Workspace, exchange_root: Path
) -> None:
    who = {"user": "stranger"}
    wb = trainee_workbook(trainee_ws, lambda: FolderExchange(exchange_root, user=who["user"]))
    assert submitted(wb)  # the record is saved all the same
    assert trainee_ws.find(wb.review_id) is not None
    assert "could not be handed to your supervisor yet" in result_of(wb)
    problem = wb.handover.result
    assert problem.kind == "error"
    assert problem.messages[0] == (
        "Saved in your workspace, but not handed to your supervisor: the exchange does not "
        "allow it: stranger is not a trainee in the roster, so has nothing to submit here"
    )
    assert wb.handover.retry_button.layout.display is None
    assert wb.handover.download.layout.display is None  # a way round it meanwhile
    assert not list((exchange_root / "inbound" / "ada").iterdir())
    assert wb.review_step.savebar.buttons["swb-submit"].disabled  # saved: no second submit

    who["user"] = "ada"  # the administrator fixed the roster entry
    wb.handover.retry_button.click()
    assert wb.handover.result.messages == ("Submitted to your supervisor's inbox as version 1.",)
    assert wb.handover.retry_button.layout.display == "none"
    assert len(list((exchange_root / "inbound" / "ada").glob("*.ipynb"))) == 1


def test_a_hub_whose_roster_is_missing_says_so_instead_of_falling_back_to_downloads(
    trainee_ws: Workspace, tmp_path: Path
) -> None:
    environ = {EXCHANGE_ENV: str(tmp_path / "no-exchange-here")}
    wb = trainee_workbook(trainee_ws, lambda: exchange_for(environ))
    assert submitted(wb)
    text = wb.handover.result.messages[0]
    assert "no roster" in text and "roster.json" in text


def test_a_new_session_or_another_draft_starts_with_nothing_handed_over(
    trainee_ws: Workspace, exchange_root: Path
) -> None:
    wb = trainee_workbook(trainee_ws, on_hub(exchange_root, "ada"))
    assert submitted(wb) and wb.handover.delivered
    wb.start_next_session()
    assert wb.handover.layout.display == "none" and wb.handover.result.messages == ()
    assert not wb.handover.delivered and wb.review_step.savebar.result.messages == ()

    again = trainee_workbook(trainee_ws, on_hub(exchange_root, "ada"))
    assert submitted(again) and again.handover.delivered
    other_window = trainee_workbook(trainee_ws, on_hub(exchange_root, "ada"))
    other_window.bring.value = "A draft of the next session."
    other_window.autosave.flush()  # the pause in typing: the draft is written
    again.basics.select("tr-ada", "cs-one")  # the same case, chosen again: its draft opens
    assert again.bring.value == "A draft of the next session." and not again.locked
    assert again.handover.result.messages == () and not again.handover.delivered
    assert again.review_step.savebar.result.messages == ()


# --- the supervisor collects -----------------------------------------------------------------
def test_collecting_brings_the_trainees_submission_into_the_case_review_and_opens_it(
    trainee_ws: Workspace, supervisor_ws: Workspace, exchange_root: Path
) -> None:
    trainee = trainee_workbook(trainee_ws, on_hub(exchange_root, "ada"))
    assert submitted(trainee)

    wb = case_review(supervisor_ws, on_hub(exchange_root, "okafor"))
    assert wb.receive.collect_shown
    assert wb.picker.trainee.options == ()  # nothing in this workspace yet
    wb.receive.collect_button.click()
    result = wb.receive.collect_result
    assert result.kind == "success"
    assert result.messages[0] == "Collected: 1 imported."
    assert result.messages[1] == f"Imported {TODAY.isoformat()}_session_{trainee.review_id}.ipynb"
    # The picker offers the trainee and case; with nothing open, the one new case opens.
    assert wb.picker.trainee.options == (("Ada Trainee", "tr-ada"),)
    assert (wb.picker.trainee.value, wb.picker.case.value) == ("tr-ada", "cs-one")
    assert [s.number for s in wb.sessions] == [3]
    assert "C-001" in wb.views.snapshot.value
    assert wb.flow.next()  # the snapshot step is satisfied: a case with recorded sessions

    wb.receive.collect_button.click()  # collecting again is harmless
    assert result.kind == "info"
    assert result.messages == ("Collected: 0 imported, 1 already in the workspace.",)
    assert len(list((supervisor_ws.path / "reviews").rglob("*.ipynb"))) == 1


def test_a_trainee_cannot_collect_and_is_told_why(
    trainee_ws: Workspace, exchange_root: Path, tmp_path: Path
) -> None:
    assert submitted(trainee_workbook(trainee_ws, on_hub(exchange_root, "ada")))
    bilal_ws = Workspace(init_workspace(tmp_path / "bilal-workspace"))
    wb = case_review(bilal_ws, on_hub(exchange_root, "bilal"))
    wb.receive.collect_button.click()
    assert wb.receive.collect_result.kind == "error"
    assert wb.receive.collect_result.messages[0] == (
        "Nothing collected: the exchange does not allow it: bilal supervises nobody in the "
        "roster, so has nothing to collect"
    )
    assert not (bilal_ws.path / "reviews").exists() or not list(
        (bilal_ws.path / "reviews").rglob("*.ipynb")
    )


def test_an_edited_submission_is_refused_by_name_and_nothing_of_it_is_imported(
    trainee_ws: Workspace, supervisor_ws: Workspace, exchange_root: Path
) -> None:
    assert submitted(trainee_workbook(trainee_ws, on_hub(exchange_root, "ada")))
    (inbox_file,) = (exchange_root / "inbound" / "ada").glob("*.ipynb")
    nb = json.loads(inbox_file.read_text(encoding="utf-8"))
    nb["metadata"]["supervision_workbook"]["record"]["sessions"][0]["notes"] = "edited by hand"
    inbox_file.write_text(json.dumps(nb), encoding="utf-8")

    wb = case_review(supervisor_ws, on_hub(exchange_root, "okafor"))
    wb.receive.collect_button.click()
    result = wb.receive.collect_result
    assert result.kind == "error"
    assert result.messages[0] == "Collected: 0 imported, 1 refused."
    assert result.messages[1].startswith(f"Refused ada/{inbox_file.name}: ")
    assert wb.picker.trainee.options == ()
    assert not list((supervisor_ws.path / "reviews").rglob("*.ipynb"))


def test_collect_is_offered_only_where_an_exchange_folder_is_configured(
    supervisor_ws: Workspace, tmp_path: Path
) -> None:
    def panel(environ: dict[str, str]) -> ReceivePanel:
        return ReceivePanel(supervisor_ws, lambda cases: None, environ=environ)

    assert not panel({}).collect_shown
    assert panel({EXCHANGE_ENV: str(tmp_path / "exchange")}).collect_shown
    assert panel({}).upload.picker.description == "Upload a trainee's workbook"


# --- the supervisor uploads (Binder, laptops) ------------------------------------------------
def downloaded(ws: Workspace) -> bytes:
    """A trainee's submitted session workbook, as their browser downloaded it."""
    wb = trainee_workbook(ws, DownloadExchange)
    assert submitted(wb)
    assert wb.handover.delivered
    return base64.b64decode(wb.handover.download.prepare()["b64"])


def test_an_uploaded_trainee_workbook_is_verified_imported_and_opened(
    trainee_ws: Workspace, supervisor_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(EXCHANGE_ENV, raising=False)
    data = downloaded(trainee_ws)
    wb = case_review(supervisor_ws)
    assert not wb.receive.collect_shown  # no exchange folder: upload is the way in
    upload = wb.receive.upload
    assert upload.receive(upload_entry("from-ada.ipynb", data))
    review = loads(data.decode("utf-8")).review
    assert upload.result.messages == (
        f"Imported the session workbook {review.id} of case C-001 (Ada Trainee) into this "
        "workspace.",
    )
    assert (wb.picker.trainee.value, wb.picker.case.value) == ("tr-ada", "cs-one")
    assert [s.number for s in wb.sessions] == [3]

    assert upload.receive(upload_entry("again.ipynb", data))
    assert "already holds exactly this" in upload.result.messages[0]
    assert len(list((supervisor_ws.path / "reviews").rglob("*.ipynb"))) == 1


def test_a_bad_upload_is_refused_with_its_reason_and_changes_nothing(
    trainee_ws: Workspace, supervisor_ws: Workspace
) -> None:
    data = downloaded(trainee_ws)
    nb = json.loads(data)
    nb["metadata"]["supervision_workbook"]["record"]["sessions"][0]["bring_to_supervision"] = "x"
    wb = case_review(supervisor_ws)
    upload = wb.receive.upload
    for name, content, words in (
        ("edited.ipynb", json.dumps(nb).encode(), "edited.ipynb"),
        ("junk.ipynb", b"\xff\xfe not text", "not a text file"),
        ("half.ipynb", data[: len(data) // 2], "half.ipynb"),
    ):
        assert not upload.receive(upload_entry(name, content))
        assert upload.result.kind == "error"
        assert upload.result.messages[0].startswith("Not loaded: ")
        assert words in upload.result.messages[0]
    assert not (supervisor_ws.path / "reviews").exists() or not list(
        (supervisor_ws.path / "reviews").rglob("*.ipynb")
    )
    assert wb.picker.trainee.options == () and wb.case_id is None


def _older_copy(data: bytes, ws: Workspace) -> bytes:
    """The same session workbook as an older, different copy (a trainee's earlier file)."""
    review = loads(data.decode("utf-8")).review
    session = review.sessions[0].model_copy(update={"notes": "an earlier note"})
    older = review.model_copy(
        update={"updated": review.updated - timedelta(hours=1), "sessions": [session]}
    )
    return dumps(older, ws.instruments, ws.config).encode("utf-8")


def test_an_older_copy_of_a_submitted_record_is_kept_aside_and_the_page_says_which_version_stays(
    trainee_ws: Workspace, supervisor_ws: Workspace
) -> None:
    data = downloaded(trainee_ws)
    wb = case_review(supervisor_ws)
    upload = wb.receive.upload
    assert upload.receive(upload_entry("from-ada.ipynb", data))
    (record,) = (supervisor_ws.path / "reviews").rglob("*.ipynb")
    kept = record.read_bytes()
    assert not upload.receive(upload_entry("older.ipynb", _older_copy(data, supervisor_ws)))
    (message,) = upload.result.messages
    assert upload.result.kind == "error"
    assert message.startswith("Not loaded: ")
    assert "is submitted on record (version " in message and "amendment" in message
    assert "kept aside" in message and "changed elsewhere" not in message
    assert "Traceback" not in message
    assert record.read_bytes() == kept  # the record stays as it was
    assert len(list((supervisor_ws.path / "conflicts").rglob("*.ipynb"))) == 1


def test_collect_shows_a_submission_it_kept_aside(
    trainee_ws: Workspace, supervisor_ws: Workspace
) -> None:
    data = downloaded(trainee_ws)
    receiver = DownloadExchange()
    wb = case_review(supervisor_ws, lambda: receiver)
    receiver.receive("from-ada.ipynb", data)
    wb.receive.collect_button.click()
    assert wb.receive.collect_result.kind == "success"
    receiver.receive("older.ipynb", _older_copy(data, supervisor_ws))
    wb.receive.collect_button.click()
    result = wb.receive.collect_result
    assert result.kind == "warning", result.messages
    assert "1 kept aside" in result.messages[0]
    (aside,) = (m for m in result.messages if m.startswith("Kept aside "))
    assert "is submitted on record" in aside and "conflicts folder" in aside, aside


def test_an_upload_into_the_open_case_shows_its_new_session_at_once(
    trainee_ws: Workspace, supervisor_ws: Workspace
) -> None:
    supervisor_ws.save(recorded_session(1, [4, 4, 4, 4, 2, 4], [5, 5, 5, 5, 1, 5]))
    wb = case_review(supervisor_ws, trainee="tr-ada", case="cs-one")
    wb.meeting.notes.value = "Started before the upload."
    assert [s.number for s in wb.sessions] == [1]
    assert wb.receive.upload.receive(upload_entry("s3.ipynb", downloaded(trainee_ws)))
    assert [s.number for s in wb.sessions] == [1, 3]
    assert wb.meeting.notes.value == "Started before the upload."  # the draft came back


def test_the_case_review_in_progress_can_be_downloaded_as_a_draft(
    trainee_ws: Workspace,
) -> None:
    wb = case_review(trainee_ws, trainee="tr-ada", case="cs-one")
    wb.meeting.goals.value = "Name the withdrawal early."
    message = wb.download.prepare()
    review = loads(base64.b64decode(message["b64"]).decode("utf-8")).review
    assert review.kind == ReviewKind.case_review and review.status == Status.draft
    assert review.goals == "Name the withdrawal early."
    assert message["filename"].endswith(f"_case_review_{review.id}.ipynb")

    nothing = case_review(trainee_ws)
    nothing.picker.select(None, None)
    with pytest.raises(ValueError, match="choose a case"):
        nothing.download.prepare()


def test_the_download_exchange_name_is_the_one_the_workspace_uses(trainee_ws: Workspace) -> None:
    record = trainee_ws.find("rv-s01")
    assert record is not None
    text = record.read_text(encoding="utf-8")
    assert DownloadExchange().submit(text).filename == record.name
    assert dumps(loads(text).review, trainee_ws.instruments, trainee_ws.config) == text


# --- the caseload dashboard takes uploads through the same path ------------------------------
def test_a_workbook_uploaded_into_the_caseload_appears_in_its_table_and_filters(
    trainee_ws: Workspace, supervisor_ws: Workspace
) -> None:
    from supervision_workbook.ui.caseload.dashboard import CaseloadDashboard
    from supervision_workbook.ui.render.caseload_table import ALL

    def dashboard() -> CaseloadDashboard:
        index = supervisor_ws.index
        return CaseloadDashboard(
            index.caseload(),
            index.supervision_minutes(),
            supervisor_ws.config,
            supervisor_ws.path.name,
            workspace=supervisor_ws,
        )

    board = dashboard()
    assert board.rows == [] and board.receive is not None
    assert not board.receive.upload.receive(upload_entry("junk.ipynb", b"{}"))
    assert board.rows == []  # a refused file changes nothing

    assert board.receive.upload.receive(upload_entry("s3.ipynb", downloaded(trainee_ws)))
    assert [(r.trainee_id, r.case_code, r.sessions) for r in board.rows] == [("tr-ada", "C-001", 1)]
    assert ("Ada Trainee", "tr-ada") in board.trainee.options
    assert "C-001" in board.table.value and board.trainee.value == ALL
    assert [(r.trainee_id, r.case_code) for r in dashboard().rows] == [("tr-ada", "C-001")]
