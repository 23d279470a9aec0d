"""The JupyterLab face, in Chromium against a real ``jupyter lab`` started by this test.

A supervisor starts JupyterLab on a folder that holds a review she was sent, with her
workspace set the documented way (here ``SupervisionWorkbook.workspace``; the environment
variable is covered by tests/test_lab.py and the hub test). She finds the Supervision cards
in the Launcher, opens the caseload in a Lab tab (the Voila app behind the proxy, with its
widgets and charts), verifies the review and a tampered copy from the file browser, and
opens the review as a case review. Nothing she opens that way is ever executed: a review
with a cell that would leave a marker file is verified and refused, the marker never
appears, and the Lab server never started a kernel.

The server runs in its own session with its own Jupyter config, data and runtime folders;
the fixture stops it as the serve harness stops ``serve`` (SIGTERM, so jupyter-server-proxy
stops Voila and Voila its kernels; then SIGKILL to the group), then kills anything left
whose environment names this test's workspace.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.fixtures.charts import assert_chart_drawn

from fixtures.lab_server import INSTALLED, Lab, start_lab, stop_lab

from .conftest import CLI, WIDGET_TIMEOUT_MS, local_only, screenshot, unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Browser, FrameLocator, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _demo(folder: Path) -> Path:
    ws = folder / "workspace"
    subprocess.run(
        [str(CLI), "demo", str(ws), "--trainees", "1", "--cases", "2", "--sessions", "3"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return ws


def _reviews_to_check(workspace: Path, root: Path, marker: Path) -> None:
    """What she was sent: a signed case review, a tampered copy, and one with a trap cell."""
    signed = sorted((workspace / "reviews").rglob("*_case_review_*.ipynb"))[0]
    shutil.copy(signed, root / "demo-review.ipynb")
    data = json.loads(signed.read_text(encoding="utf-8"))
    data["metadata"]["supervision_workbook"]["record"]["goals"] = "Edited by hand afterwards."
    (root / "tampered.ipynb").write_text(json.dumps(data, indent=1), encoding="utf-8")
    trap = json.loads(signed.read_text(encoding="utf-8"))
    trap["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "trap",
            "metadata": {},
            "outputs": [],
            "source": f"open({str(marker)!r}, 'w').write('this review was executed')",
        }
    )
    (root / "trap.ipynb").write_text(json.dumps(trap, indent=1), encoding="utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    if not (INSTALLED / "labextension" / "package.json").is_file():
        unavailable(
            "the JupyterLab extension is not built (it needs Node.js and npm); install them, "
            "then: touch labextension/package.json && make test"
        )
    folder = tmp_path_factory.mktemp("lab")
    workspace = _demo(folder)
    running = start_lab(folder, workspace)
    _reviews_to_check(workspace, running.root, running.marker)
    try:
        # The first request under the prefix starts Voila (preheating a kernel per workbook);
        # its tree page claims no kernel. Start it now rather than inside a test's timeout.
        status, _, _ = running.get("supervision-workbook/")
        assert status == 200, running.tail()
        yield running
    finally:
        stop_lab(running)


@pytest.fixture
def page(browser: Browser, lab: Lab) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    context.route("**/*", local_only())
    page = context.new_page()
    page.set_default_timeout(WIDGET_TIMEOUT_MS)
    # ?reset: a fresh layout (the Launcher), not the one the previous test left behind.
    page.goto(f"{lab.base}/lab?reset&token={lab.token}", wait_until="commit")
    page.locator(".jp-Launcher-section").first.wait_for(state="visible")
    try:
        yield page
    finally:
        context.close()


def _section(page: Page):
    return page.locator(".jp-Launcher-section", has=page.locator("h2", has_text="Supervision"))


def _app_frame(page: Page) -> FrameLocator:
    return page.frame_locator(".lm-Widget.swb-AppPanel:not(.lm-mod-hidden) iframe")


def _context_menu(page: Page, file_name: str, item: str) -> None:
    entry = page.locator(".jp-DirListing-item", has=page.get_by_text(file_name, exact=True))
    entry.click()
    entry.click(button="right")
    page.locator(".lm-Menu-item", has_text=item).click()


def _verdict(page: Page) -> tuple[str, str]:
    dialog = page.locator(".jp-Dialog .swb-Verdict")
    dialog.wait_for(state="visible")
    status = dialog.get_attribute("data-status") or ""
    return status, dialog.inner_text()


def _close_dialog(page: Page) -> None:
    page.locator(".jp-Dialog button", has_text="Close").click()
    page.locator(".jp-Dialog").wait_for(state="detached")


def _validate_line(lab: Lab, name: str) -> str:
    """What `supervision-workbook validate` prints for the file, run where it lies, with the
    Lab's workspace named for the keys (the file lies outside every workspace, as the Lab
    checks it)."""
    proc = subprocess.run(
        [str(CLI), "validate", "--workspace", str(lab.workspace), name],
        cwd=lab.root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return proc.stdout.strip()


def test_the_launcher_has_a_supervision_section_with_the_three_apps(page: Page) -> None:
    section = _section(page)
    section.wait_for(state="visible")
    cards = section.locator(".jp-LauncherCard")
    labels = [cards.nth(i).inner_text().strip() for i in range(cards.count())]
    assert labels == ["Session workbook", "Case review", "Caseload"]
    for i in range(cards.count()):  # each card has its own drawn icon
        assert cards.nth(i).locator("svg").count() == 1
    section.scroll_into_view_if_needed()  # Lab lists its own sections first
    screenshot(page, "lab-launcher")


def test_a_card_opens_the_caseload_in_a_lab_tab_with_its_widgets_and_a_chart(
    page: Page, lab: Lab
) -> None:
    _section(page).locator(".jp-LauncherCard", has_text="Caseload").click()
    tab = page.locator(".lm-TabBar-tab", has_text="Caseload")
    tab.wait_for(state="visible")
    frame = _app_frame(page)
    try:
        frame.locator(".swb-caseload-table").wait_for(state="visible")
        frame.locator(".swb-chart-overview svg.main-svg").first.wait_for(state="attached")
        assert_chart_drawn(frame.locator(".swb-chart-overview .js-plotly-plot").first)
    except Exception as exc:
        pytest.fail(f"the caseload did not render in its Lab tab: {exc}\n{lab.tail()}")
    assert frame.locator("tr.swb-case-row").count() == 2  # the demo's two cases
    # The tab shows the app behind the proxy, under Jupyter's base URL.
    src = page.locator(".swb-AppPanel:not(.lm-mod-hidden) iframe").get_attribute("src")
    assert src == f"{lab.base}/api/supervision-workbook/open/caseload"
    screenshot(page, "lab-caseload")


def test_the_palette_offers_each_app_in_a_lab_tab_and_in_a_browser_tab(page: Page) -> None:
    page.locator("body").press("Control+Shift+c")
    palette = page.locator("#command-palette")
    palette.wait_for(state="visible")
    palette.locator("input").fill("Supervision")
    items = palette.locator(".lm-CommandPalette-item")
    texts = {items.nth(i).inner_text().strip() for i in range(items.count())}
    for name in ("Session workbook", "Case review", "Caseload"):
        assert name in texts and f"{name} (browser tab)" in texts, texts
    with page.context.expect_page() as opened:
        items.filter(has_text="Case review (browser tab)").click()
    new_tab = opened.value
    new_tab.wait_for_url("**/supervision-workbook/voila/render/case_review.ipynb")
    new_tab.close()


def test_verify_review_says_valid_for_a_demo_review_and_names_the_tampering(
    page: Page, lab: Lab
) -> None:
    _context_menu(page, "demo-review.ipynb", "Verify review")
    status, text = _verdict(page)
    assert status == "signed-off"
    assert "Valid: signed off" in text and "demo-review.ipynb: valid; signed off by" in text
    assert _validate_line(lab, "demo-review.ipynb") == ""  # validate: nothing wrong to say
    screenshot(page, "lab-verify-valid")
    _close_dialog(page)

    _context_menu(page, "tampered.ipynb", "Verify review")
    status, text = _verdict(page)
    assert status == "tampered"
    line = _validate_line(lab, "tampered.ipynb")
    assert line.startswith("tampered.ipynb: ") and line in text, (line, text)
    assert "Not valid: tampered" in text
    screenshot(page, "lab-verify-tampered")
    _close_dialog(page)


def test_opening_reviews_through_our_commands_runs_nothing(page: Page, lab: Lab) -> None:
    # A sound review opens its case in the case review workbook, not the file itself.
    _context_menu(page, "demo-review.ipynb", "Open as case review")
    frame = _app_frame(page)
    frame.locator(".swb-cr-snapshot table").wait_for(state="visible")
    sent = json.loads((lab.root / "demo-review.ipynb").read_text(encoding="utf-8"))
    code = sent["metadata"]["supervision_workbook"]["record"]["case"]["code"]
    assert code in frame.locator(".swb-cr-snapshot").inner_text()

    # A review with a trap cell is verified, refused, and never run.
    _context_menu(page, "trap.ipynb", "Verify review")
    status, text = _verdict(page)
    assert status == "tampered" and "trap.ipynb: " in text
    _close_dialog(page)
    _context_menu(page, "trap.ipynb", "Open as case review")
    refused = _app_frame(page).locator("h1", has_text="This review cannot be opened")
    refused.wait_for(state="visible")

    assert not lab.marker.exists()
    # The Lab server itself started no kernel and no session for any of it.
    assert json.loads(lab.get("api/kernels")[2]) == []
    assert json.loads(lab.get("api/sessions")[2]) == []
    # And the endpoint behind the command redirects to the workbook, never to the file.
    status, location, _ = lab.get(
        "api/supervision-workbook/open/case_review?artifact=demo-review.ipynb", redirect=False
    )
    assert status == 302 and "/supervision-workbook/voila/render/case_review.ipynb?" in location
    assert "demo-review" not in location
    # A sound review of a case this workspace does not hold is not opened on a stranger's
    # case: the page says how to bring it in (the upload verifies it again).
    from fixtures.reviews import case_review
    from supervision_workbook.artifact import dumps

    (lab.root / "elsewhere.ipynb").write_text(dumps(case_review(signed=True)), encoding="utf-8")
    status, _, text = lab.get("api/supervision-workbook/open/case_review?artifact=elsewhere.ipynb")
    assert status == 200 and "This review is not in the workspace" in text
    assert "Upload a trainee" in text and 'href="/supervision-workbook/voila/render/' in text
