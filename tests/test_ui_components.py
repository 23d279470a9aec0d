"""The shared building blocks of the workbooks, as the people using them meet them.

Kernel-free: widgets live in-process, timers run on a manual clock, and the workbooks save
into real workspace folders. Each story is about what a trainee or supervisor sees: a
button that stays pressed once its work is done, a problem list that follows their fixes,
a status line that does not cry wolf, a chart whose heading is not said twice, the Binder
warning on every page.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import ipywidgets as widgets
import pytest

from fixtures.clock import FakeClock
from fixtures.workbooks import (
    fill_alliance,
    open_workbook,
    press_submit,
    recorded_session,
    walk_to_review,
)
from supervision_workbook.config import parse_config
from supervision_workbook.exchange.binder import BINDER_ENV as BINDER_NAMES
from supervision_workbook.store import Workspace, init_workspace
from supervision_workbook.ui.components import _assets
from supervision_workbook.ui.components.banner import BINDER_MESSAGE, binder_active, binder_banner
from supervision_workbook.ui.components.chart_panel import ChartPanel
from supervision_workbook.ui.components.page import CaseReviewStyleSheet, StyleSheet
from supervision_workbook.ui.components.saving import Autosave, SaveAction, SaveBar
from supervision_workbook.ui.components.steps import Step, StepFlow

BINDER_ENV = {"BINDER_LAUNCH_HOST": "https://mybinder.org/", "BINDER_REQUEST": "v2/gh/x/y/HEAD"}


def walk(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    """Every widget on a page, depth first (what the browser would render)."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def with_class(page: widgets.Widget, css: str) -> list[widgets.Widget]:
    return [w for w in walk(page) if css in getattr(w, "_dom_classes", ())]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace(init_workspace(tmp_path / "ws"))
    workspace.save(recorded_session(1, [4, 4, 4, 4, 2, 4], [5, 5, 5, 5, 1, 5]))
    workspace.save(recorded_session(2, [4, 4, 5, 4, 2, 4], [5, 5, 5, 5, 1, 5]))
    return workspace


# --- the save bar ---------------------------------------------------------------------------
def test_a_submit_button_stays_disabled_once_its_work_succeeded_but_a_save_does_not() -> None:
    outcomes = {"submit": "ok"}

    def submit() -> str:
        if outcomes["submit"] != "ok":
            raise ValueError("step 2 (Alliance) needs attention")
        return "Submitted."

    bar = SaveBar(
        [
            SaveAction("Save", lambda: "Saved.", "swb-save"),
            SaveAction("Submit", submit, "swb-submit", once=True, failure="Not submitted"),
        ]
    )
    save, send = bar.actions
    outcomes["submit"] = "fail"
    assert not bar.run(send)
    assert bar.result.messages == ("Not submitted: step 2 (Alliance) needs attention",)
    assert not bar.buttons["swb-submit"].disabled  # fix the problem, then try again

    outcomes["submit"] = "ok"
    assert bar.run(send) and bar.result.messages == ("Submitted.",)
    assert bar.buttons["swb-submit"].disabled
    assert bar.run(save)  # another button's action does not bring Submit back
    assert bar.buttons["swb-submit"].disabled and not bar.buttons["swb-save"].disabled
    assert bar.run(save) and not bar.buttons["swb-save"].disabled

    bar.buttons["swb-submit"].click()  # a late click from the page changes nothing
    assert bar.result.messages == ("Saved.",)

    bar.set_enabled("swb-submit", True)  # a fresh session
    assert not bar.buttons["swb-submit"].disabled
    bar.buttons["swb-submit"].click()
    assert bar.result.messages == ("Submitted.",)


def test_after_submitting_the_session_its_submit_button_cannot_be_pressed_again(
    ws: Workspace,
) -> None:
    wb = open_workbook(ws, FakeClock())
    fill_alliance(wb)
    walk_to_review(wb)
    assert press_submit(wb)
    assert wb.review_step.savebar.buttons["swb-submit"].disabled
    wb.start_next_session()
    assert not wb.review_step.savebar.buttons["swb-submit"].disabled


# --- problems under a step follow the fixes ---------------------------------------------------
def test_problems_shown_under_a_step_shrink_as_they_are_fixed_and_go_with_the_last() -> None:
    answers = {"name": "", "date": ""}

    def validate() -> list[str]:
        return [f"Type the {k}." for k, v in answers.items() if not v]

    flow = StepFlow(
        [Step("One", widgets.Label("1"), validate=validate), Step("Two", widgets.Label())]
    )
    flow.recheck()
    assert flow.errors.messages == ()  # nothing is shown before the person asked to go on
    assert not flow.next()
    assert flow.errors.messages == ("Type the name.", "Type the date.")
    answers["name"] = "Ada"
    flow.recheck()
    assert flow.errors.messages == ("Type the date.",) and flow.errors.kind == "error"
    answers["date"] = "2026-03-20"
    flow.recheck()
    assert flow.errors.messages == () and flow.errors.value == ""


def test_answering_the_missing_items_clears_the_alliance_steps_problem_at_once(
    ws: Workspace,
) -> None:
    wb = open_workbook(ws, FakeClock())
    assert wb.flow.next()
    assert not wb.flow.next()
    assert any("please answer" in m for m in wb.flow.errors.messages)
    wb.client_form.scale.values = [3, 3, 3, 3, 3, 3]  # as the page sends it
    assert all("client" not in m.lower() for m in wb.flow.errors.messages)
    wb.therapist_form.scale.values = [4, 4, 4, 4, 2, 4]
    assert wb.flow.errors.messages == ()
    assert wb.flow.next()


def test_choosing_the_case_clears_the_case_reviews_choose_a_case_problem(tmp_path: Path) -> None:
    from fixtures.reviews import session_review
    from supervision_workbook.ui.case_review.workbook import CaseReviewWorkbook

    ws = Workspace(init_workspace(tmp_path / "ws"))
    ws.save(session_review(2))
    wb = CaseReviewWorkbook(ws, {}, scheduler=FakeClock().call_later)
    wb.picker.select(None, None)
    assert not wb.flow.next()
    assert wb.flow.errors.messages == ("Choose the trainee.", "Choose the case to review.")
    wb.picker.trainee.value = "tr-ana"
    assert wb.flow.errors.messages == ("Choose the case to review.",)
    wb.picker.case.value = "cs-0014"
    assert wb.flow.errors.messages == ()


# --- the autosave status ------------------------------------------------------------------------
def test_a_benign_stop_reads_as_a_status_and_a_conflict_as_an_alert() -> None:
    autosave = Autosave(lambda: None, scheduler=FakeClock().call_later)
    autosave.stop("Submitted: drafts are no longer saved.", benign=True)
    assert autosave.state == "done" and 'role="status"' in autosave.value
    assert "swb-autosave-done" in autosave.value and "swb-autosave-stopped" not in autosave.value
    autosave.resume()
    autosave.stop("Draft not saved: this record was changed elsewhere.")
    assert autosave.state == "stopped" and 'role="alert"' in autosave.value
    autosave.resume()
    autosave.touch()
    autosave.stop()  # no reason: a pending "Unsaved changes" must not linger
    assert autosave.text == "" and not autosave.pending


def test_after_submitting_the_autosave_line_says_so_without_alarm(ws: Workspace) -> None:
    wb = open_workbook(ws, FakeClock())
    fill_alliance(wb)
    walk_to_review(wb)
    assert press_submit(wb)
    assert wb.autosave.state == "done" and "Submitted" in wb.autosave.text
    assert "swb-autosave-done" in _assets.widget_source("workbook.css")


# --- charts ---------------------------------------------------------------------------------------
def test_a_chart_heading_can_be_left_to_the_figure_and_stays_for_screen_readers() -> None:
    visible = ChartPanel(lambda: None, title="The alliance in this case so far")
    quiet = ChartPanel(lambda: None, title="The alliance in this case so far", heading=False)
    for panel in (visible, quiet):
        assert "<h3 class='swb-chart-title'>The alliance in this case so far</h3>" in (
            panel.heading.value
        )
        assert panel.heading in panel.children
    assert "swb-sr-only" not in visible.heading._dom_classes
    assert "swb-sr-only" in quiet.heading._dom_classes
    css = _assets.widget_source("workbook.css")
    assert ".swb-sr-only" in css and "clip: rect(0, 0, 0, 0)" in css


def test_the_workbook_charts_whose_figures_carry_titles_do_not_repeat_them(ws: Workspace) -> None:
    wb = open_workbook(ws, FakeClock())
    assert "swb-sr-only" in wb.chart.heading._dom_classes


# --- style sheets ------------------------------------------------------------------------------
def test_the_case_reviews_styles_come_from_its_own_style_sheet_not_an_inline_block(
    tmp_path: Path,
) -> None:
    from fixtures.reviews import session_review
    from supervision_workbook.ui.case_review.workbook import CaseReviewWorkbook

    ws = Workspace(init_workspace(tmp_path / "ws"))
    ws.save(session_review(2))
    page = CaseReviewWorkbook(ws, {}, scheduler=FakeClock().call_later).widget
    sheets = [w for w in walk(page) if isinstance(w, StyleSheet)]
    assert len(sheets) == 2
    assert [isinstance(s, CaseReviewStyleSheet) for s in sheets] == [False, True]
    assert not [w for w in walk(page) if "<style" in str(getattr(w, "value", ""))]
    css = _assets.widget_source("case_review.css")
    assert ".swb-cr-ruptures-table" in css and "tr.swb-cr-unrepaired td" in css
    assert CaseReviewStyleSheet()._css == css
    # anywidget keys a style sheet by class: the two must not replace each other.
    assert sheets[0]._anywidget_id == "supervision_workbook.ui.components.page.StyleSheet"
    assert sheets[1]._anywidget_id == "supervision_workbook.ui.components.page.CaseReviewStyleSheet"


# --- the Binder banner -----------------------------------------------------------------------
def test_binder_mode_comes_from_the_one_detection_function() -> None:
    from supervision_workbook.exchange import binder_mode

    for config_text, environ in (
        ("", BINDER_ENV),
        ("", {}),
        ('binder_mode = "off"', BINDER_ENV),
        ('binder_mode = "on"', {}),
    ):
        config = parse_config(config_text)
        assert binder_active(config, environ) == binder_mode(config, environ)
    assert binder_active(parse_config(""), BINDER_ENV)
    assert not binder_active(parse_config('binder_mode = "off"'), BINDER_ENV)


def test_the_banner_says_what_binder_means_for_the_persons_work() -> None:
    banner = binder_banner()
    assert "swb-binder-banner" in banner._dom_classes
    text = banner.value
    for words in ("synthetic data only", "ten idle minutes", "Download your work"):
        assert words in BINDER_MESSAGE and words in text
    assert 'role="note"' in text
    assert "position: sticky" in _assets.widget_source("workbook.css")


@pytest.mark.parametrize("binder", [True, False])
def test_on_binder_every_workbook_starts_with_the_banner(
    binder: bool, ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fixtures.reviews import session_review
    from supervision_workbook.ui import caseload, landing
    from supervision_workbook.ui.case_review.workbook import CaseReviewWorkbook
    from supervision_workbook.ui.context import WORKSPACE_ENV

    for name in BINDER_NAMES:
        monkeypatch.delenv(name, raising=False)
    if binder:
        for name, value in BINDER_ENV.items():
            monkeypatch.setenv(name, value)
    review_ws = Workspace(shutil.copytree(ws.path, tmp_path / "review-ws"))
    review_ws.save(session_review(2))
    monkeypatch.setenv(WORKSPACE_ENV, str(ws.path))
    pages = {
        "session workbook": open_workbook(ws, FakeClock()).widget,
        "case review": CaseReviewWorkbook(review_ws, {}, scheduler=FakeClock().call_later).widget,
        "caseload": caseload.app(),
        "landing": landing.app(),
    }
    for name, page in pages.items():
        banners = with_class(page, "swb-binder-banner")
        assert len(banners) == (1 if binder else 0), name
        if binder:  # first on the page, before the title (style sheets show nothing)
            shown = [c for c in page.children if not isinstance(c, StyleSheet)]
            assert shown[0] is banners[0], name
