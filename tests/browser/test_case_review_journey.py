"""A supervisor's meeting, in Chromium: open a case by link, walk seven steps, sign off.

Against the real ``supervision-workbook serve`` of the demo workspace (see ``conftest``),
the supervisor opens the case with the most unrepaired ruptures through its link
(``?trainee=ID&case=ID``), sees both trajectories and every flag with its reason, types
notes and goals that contain markup, rates the supervision check-in with the supervisee,
reloads the page half-way (the draft comes back), and signs off. Then the record is checked
on disk the way anyone else would check it: ``supervision-workbook validate`` passes on it,
a hand edit of its goals fails, strict nbval re-executes it to its own outputs, and it holds
no widget state. No dialog may ever open: the markup is shown as typed, never run.

Screenshots of each step go to ``docs/screenshots/case_review-<n>-<slug>.png``.
"""

from __future__ import annotations

import json
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
from tests.fixtures.charts import assert_charts_drawn, reload_and_check_charts, server_up_for
from tests.fixtures.nbval import run_strict_nbval

from supervision_workbook.alerts import case_flags
from supervision_workbook.artifact import integrity
from supervision_workbook.model import Resolved, Review
from supervision_workbook.store import CaseloadRow, Workspace
from supervision_workbook.ui.casework import case_history

from .conftest import CLI, WIDGET_TIMEOUT_MS, Server, open_workbook, screenshot, wait_for_widgets

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"
HATE = "I hate <you>"
NOTES = f"The trainee said {HATE} was hard to hear. {XSS}"
GOALS = f"Name a withdrawal early. Quote: {HATE}. {XSS}"
ACTION = "Bring a recording segment of the next difficult moment."
WIDGET_MIMES = (
    "application/vnd.jupyter.widget-view+json",
    "application/vnd.jupyter.widget-state+json",
)


def _step(page, n: int):
    body = page.locator(f".swb-cr-step-{n}")
    body.wait_for(state="visible")
    return body


def _next(page, n: int):
    page.get_by_role("button", name="Next").click()
    return _step(page, n)


def _svg_texts(locator) -> list[str]:
    """Text of SVG elements (``innerText`` is undefined on SVG, ``textContent`` is not)."""
    return locator.evaluate_all("els => els.map(e => e.textContent)")


def _answer(page, form: str, values: list[int], *, keyboard: bool = False) -> None:
    """Answer a Likert form: by clicking, or (keyboard) Space on the first point, then arrows."""
    for i, value in enumerate(values):
        row = page.locator(f"{form} fieldset[data-item='{i}']")
        if keyboard:
            row.locator("input[type=radio]").first.focus()
            page.keyboard.press("Space")
            for _ in range(value - 1):
                page.keyboard.press("ArrowRight")
        else:
            row.locator(f"input[data-value='{value}']").check()
        assert row.locator(f"input[data-value='{value}']").is_checked()


def _validate(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), "validate", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _case(ws: Workspace) -> CaseloadRow:
    """The demo case with the most unrepaired ruptures (then the most open flags)."""
    return max(ws.index.caseload(), key=lambda r: (r.unrepaired_ruptures, r.flag_count))


def test_a_supervisor_reviews_a_case_step_by_step_and_signs_it_off(
    server: Server, page, tmp_path: Path
) -> None:
    from playwright.sync_api import expect  # after the fixtures: missing Playwright skips

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    ws = Workspace(server.workspace)
    row = _case(ws)
    sessions = case_history(ws, row.trainee_id, row.case_id).sessions
    flags_expected = case_flags(
        sessions, ws.instruments, ws.config.alerts, reviewed_through=row.reviewed_through
    )
    alerts = [f.alert for f in flags_expected]  # with the case-level states the page lists
    ruptures = [r for s in sessions for r in s.ruptures]
    unrepaired = [r for r in ruptures if r.resolved != Resolved.yes]
    assert alerts and unrepaired, "the demo case should have flags and an unrepaired rupture"
    before = set((ws.path / "reviews").rglob("*_case_review_*.ipynb"))
    timings: dict[str, float] = {}

    # 1. The case snapshot, opened by link.
    started = time.monotonic()
    open_workbook(
        page,
        server,
        "case_review.ipynb",
        ".swb-cr-snapshot table",
        trainee=row.trainee_id,
        case=row.case_id,
    )
    timings["first render (link to snapshot)"] = time.monotonic() - started
    step = _step(page, 1)
    snapshot = step.locator(".swb-cr-snapshot").inner_text()
    assert row.trainee_name in snapshot and row.case_code in snapshot
    assert f"{len(sessions)} sessions" in snapshot
    assert "Latest scores, Client" in snapshot and "Open flags" in snapshot
    assert step.locator(".swb-cr-previous").count() >= 1  # the demo's earlier case review
    screenshot(page, "case_review-1-snapshot")

    # 2. The binocular view: both trajectories drawn, every flag with its reason.
    started = time.monotonic()
    step = _next(page, 2)
    chart = step.locator(".swb-cr-trajectory")
    assert_charts_drawn(page, ".swb-cr-trajectory", ".swb-cr-divergence")
    timings["step 2 charts drawn"] = time.monotonic() - started
    legend = _svg_texts(chart.locator(".legendtext"))
    assert any(t.startswith("Client: ") for t in legend), legend
    assert any(t.startswith("Therapist: ") for t in legend), legend
    lines = chart.locator(".scatterlayer .trace path.js-line")
    assert lines.count() >= 2
    assert all(lines.nth(i).get_attribute("d") for i in range(2))
    flags = step.locator(".swb-cr-flag")
    assert flags.count() == len(alerts)
    assert step.locator(".swb-cr-flag-open").count() == row.flag_count  # as on the dashboard
    shown = step.locator(".swb-cr-flag-list").inner_text()
    for alert in alerts:
        assert alert.message in shown
    step.locator(".swb-cr-subscale select").select_option(label="Bond")
    chart.locator(".gtitle", has_text="(bond)").wait_for(state="attached")
    screenshot(page, "case_review-2-binocular")

    # 3. Ruptures and repairs by session, the unrepaired ones highlighted.
    step = _next(page, 3)
    assert step.locator("tr.swb-cr-rupture").count() == len(ruptures)
    marked = step.locator("tr.swb-cr-unrepaired")
    assert marked.count() == len(unrepaired)
    assert all(
        marked.nth(i).locator(".swb-cr-unrepaired-label").inner_text()
        in ("Not repaired", "Partly repaired")
        for i in range(marked.count())
    )
    screenshot(page, "case_review-3-ruptures")

    # 4. Transference and countertransference: the heatmap, reflections, the notes.
    step = _next(page, 4)
    assert_charts_drawn(page, ".swb-cr-themes-chart")
    assert step.locator(".swb-cr-reflection").count() == len(sessions)
    step.locator(".swb-cr-supervisor-notes textarea").fill(NOTES)
    screenshot(page, "case_review-4-transference")

    # 5. The supervision check-in: both forms are required, then rated by both people.
    step = _next(page, 5)
    page.get_by_role("button", name="Next").click()
    errors = page.locator(".swb-step-errors")
    errors.get_by_text("Supervisor's ratings: please answer").wait_for(state="visible")
    _answer(page, ".swb-cr-supervisor-form", [4, 4, 5, 4, 4, 5])
    _answer(page, ".swb-cr-supervisee-form", [3, 4, 4, 3, 4, 4], keyboard=True)
    step.locator(".swb-cr-supervisee-form .swb-score", has_text="Mean item score: 3.67").wait_for()
    expect(errors).to_have_text("")  # the problems went away as they were answered
    today = date.today().isoformat()  # the kernel runs on this machine, so the same day
    checkin = step.locator(".swb-cr-checkin-chart")
    checkin.locator(".xtick text", has_text=today).first.wait_for(state="attached")
    assert_charts_drawn(page, ".swb-cr-checkin-chart")
    screenshot(page, "case_review-5-checkin")

    # 6. Goals, tasks and action items.
    step = _next(page, 6)
    step.locator(".swb-cr-goals textarea").fill(GOALS)
    step.locator(".swb-cr-tasks textarea").fill("Check in on the alliance at the end of sessions.")
    page.get_by_role("button", name="Add an action item").click()
    page.get_by_role("button", name="Add another action item").click()
    step.locator(".swb-cr-action-text input").first.fill(ACTION)
    page.get_by_role("button", name="Remove action item 2").click()
    expect(step.locator(".swb-cr-action-text input")).to_have_count(1)
    screenshot(page, "case_review-6-goals")

    # A reload in the middle of the meeting brings the draft back.
    page.locator(".swb-autosave-saved").wait_for(state="visible")
    started = time.monotonic()
    page.reload(wait_until="commit")
    wait_for_widgets(page, server, ".swb-cr-snapshot table")
    timings["reload to restored draft"] = time.monotonic() - started
    page.locator(".swb-cr-message", has_text="Restored your draft").wait_for(state="visible")
    assert row.case_id in page.url and row.trainee_id in page.url
    for n in range(2, 5):
        _next(page, n)
    assert page.locator(".swb-cr-supervisor-notes textarea").input_value() == NOTES
    _next(page, 5)
    assert page.locator(".swb-cr-supervisee-form input[data-value='3']").first.is_checked()
    step = _next(page, 6)
    assert step.locator(".swb-cr-goals textarea").input_value() == GOALS
    assert step.locator(".swb-cr-action-text input").input_value() == ACTION

    # 7. Sign-off.
    step = _next(page, 7)
    summary = step.locator(".swb-cr-final-summary")
    # The kernel fills the summary as the step opens; wait for it rather than race it.
    summary.filter(has_text="Name a withdrawal early").wait_for(state="visible")
    assert GOALS in summary.inner_text()
    step.locator(".swb-cr-supervisor-name input").fill("Dr. Demo Supervisor")
    step.locator(".swb-cr-minutes input").fill("55")
    step.locator(".swb-cr-minutes input").press("Tab")
    step.get_by_label("Individual supervision").check()
    if step.locator(".swb-acknowledge").is_visible():
        step.locator(".swb-acknowledge input").check()
    started = time.monotonic()
    page.get_by_role("button", name="Sign off and save").click()
    signed = step.locator(".swb-cr-signed")
    signed.wait_for(state="visible")
    timings["sign-off to signed record shown"] = time.monotonic() - started
    record_text = signed.inner_text()
    assert NOTES in record_text and GOALS in record_text and ACTION in record_text
    assert page.locator(".swb-case-review img").count() == 0  # the payload never became markup
    assert page.get_by_role("button", name="Sign off and save").is_disabled()
    screenshot(page, "case_review-7-signoff")
    # Read-only from now on: the earlier steps show what was signed, disabled.
    page.get_by_role("button", name="Back").click()
    assert _step(page, 6).locator(".swb-cr-goals textarea").is_disabled()
    _next(page, 7)

    # The artifact is on disk, the download is that file, byte for byte.
    created = set((ws.path / "reviews").rglob("*_case_review_*.ipynb")) - before
    assert len(created) == 1, created
    path = created.pop()
    with page.expect_download(timeout=WIDGET_TIMEOUT_MS) as download_info:
        page.locator(".swb-cr-download button").click()
    download = download_info.value
    assert download.suggested_filename == path.name
    downloaded = tmp_path / download.suggested_filename
    download.save_as(downloaded)
    assert downloaded.read_bytes() == path.read_bytes()

    # Signed, valid, no widget state; the record holds the text exactly as typed.
    proc = _validate(path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert "widgets" not in notebook["metadata"]
    mimes = {m for c in notebook["cells"] for o in c.get("outputs", []) for m in o.get("data", {})}
    assert not mimes & set(WIDGET_MIMES), mimes
    record = Review.model_validate(notebook["metadata"]["supervision_workbook"]["record"])
    assert record.status.value == "signed_off" and record.kind.value == "case_review"
    assert record.supervisor_notes == NOTES and record.goals == GOALS
    assert record.signoff is not None
    assert (record.signoff.minutes, record.signoff.format) == (55, "individual")
    assert [s.number for s in record.sessions] == [s.number for s in sessions]

    # A hand edit of the goals fails validation, with or without a recomputed content hash.
    edited = []
    for rehash in (False, True):
        copy = json.loads(json.dumps(notebook))
        block = copy["metadata"]["supervision_workbook"]
        block["record"]["goals"] = "Goals the meeting never agreed."
        if rehash:
            block["content_hash"] = integrity.content_hash(Review.model_validate(block["record"]))
        target = tmp_path / f"edited-{'rehashed' if rehash else 'plain'}.ipynb"
        target.write_text(json.dumps(copy, indent=1), encoding="utf-8")
        edited.append(target)
    proc = _validate(*edited)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "content_hash does not match" in proc.stdout
    assert "changed after its sign-off" in proc.stdout

    # Strict nbval: re-executing the artifact reproduces every stored output.
    started = time.monotonic()
    proc = run_strict_nbval(path, tmp_path)
    timings["strict nbval on the artifact"] = time.monotonic() - started
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "failed" not in proc.stdout and "passed" in proc.stdout

    assert dialogs == []  # no alert() ever ran
    report = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
    print(f"\ncase review journey timings: {report}")


def test_the_case_review_charts_are_drawn_on_every_load_of_a_server_up_for_a_while(
    server: Server, page
) -> None:
    ws = Workspace(server.workspace)
    row = min(ws.index.caseload(), key=lambda r: (r.unrepaired_ruptures, r.flag_count))
    server_up_for(server.proc.pid)
    charts = (".swb-cr-trajectory", ".swb-cr-divergence")

    def reopen() -> None:
        open_workbook(
            page,
            server,
            "case_review.ipynb",
            ".swb-cr-snapshot table",
            trainee=row.trainee_id,
            case=row.case_id,
        )
        _next(page, 2)

    reopen()
    assert_charts_drawn(page, *charts)
    reload_and_check_charts(page, reopen, *charts)
