"""A trainee's session workbook, in Chromium, the way trainees use it.

Against the real ``supervision-workbook serve`` of the demo workspace (see ``conftest``):

- a trainee opens an existing case by its link, records a new session through all five
  steps (both alliance forms, a rupture, a countertransference reflection, what to bring to
  supervision) and submits it; the record on disk validates, re-executes under strict
  nbval, holds no widget state, and scores exactly as worked out by hand below;
- markup typed into every free-text field stays text: on the page, in the saved record and
  in the artifact's markdown, and no dialog ever opens;
- a reload half-way brings the draft back with the same ratings selected;
- the rating step can be done with the keyboard alone;
- changing a client rating redraws the case's trajectory, in the right direction.

Every test opens its own demo case and first removes that case's session drafts, so the
tests do not depend on each other's order. Screenshots of the five steps go to
``docs/screenshots/supervisee-<n>-<slug>.png`` (the user guide embeds them).
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests.fixtures.charts import assert_charts_drawn, reload_and_check_charts, server_up_for
from tests.fixtures.nbval import run_strict_nbval

from supervision_workbook.model import Respondent, Review, Status
from supervision_workbook.store import CaseloadRow, Workspace

from .conftest import CLI, WIDGET_TIMEOUT_MS, Server, open_workbook, screenshot, wait_for_widgets

pytestmark = pytest.mark.browser

CLIENT_ID = "alliance-checkin-client"
THERAPIST_ID = "alliance-checkin-therapist"

# The ratings clicked in the full journey, and their scores worked out by hand. Both check-in
# forms have six items on a 1-5 scale: goal = items 1 and 4, task = items 2 and 5, bond =
# items 3 and 6; item 5 is reverse-scored (it counts as 6 minus the answer); the primary
# statistic is the mean of the six item values.
CLIENT = [4, 4, 5, 3, 2, 5]  # item 5: 2 counts as 4 -> 4 + 4 + 5 + 3 + 4 + 5 = 25
CLIENT_MEAN = 25 / 6
CLIENT_SUBSCALES = {"goal": (4 + 3) / 2, "task": (4 + 4) / 2, "bond": (5 + 5) / 2}
THERAPIST = [5, 4, 5, 4, 1, 5]  # item 5: 1 counts as 5 -> 5 + 4 + 5 + 4 + 5 + 5 = 28
THERAPIST_MEAN = 28 / 6
THERAPIST_SUBSCALES = {"goal": (5 + 4) / 2, "task": (4 + 5) / 2, "bond": (5 + 5) / 2}

THEMES = [1, 3, 2, 0, 0, 1, 4, 2]  # the eight countertransference themes, in file order
PROMPTS = {
    "felt": "Protective, and a little irritated, when Robin talked about the weekend.",
    "when": "Near the end, as we planned the next step and the client went quiet.",
    "relationships": "Others may step in to rescue; I felt the same pull.",
    "own-part": "My own wish to be helpful, and to be seen as helpful.",
    "supervision": "How to stay curious instead of rescuing.",
}
FREE_TEXT = "I noticed I was talking more than usual."
BRING = "How to name the withdrawal in the moment without pushing."
NOTES = "Client agreed to try the between-session exercise."
RUPTURE = "Went quiet after I suggested homework; we talked about it and it eased a little."
DECLARED = "Robin"

XSS_PARTS = ("<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "I hate <you>")
WIDGET_MIMES = (
    "application/vnd.jupyter.widget-view+json",
    "application/vnd.jupyter.widget-state+json",
)

# The latest point of a trace, read from the plotly graph the page drew (null until drawn).
LATEST_POINT_JS = """
({prefix, session}) => {
  const plot = document.querySelector('.swb-chart-panel .js-plotly-plot');
  if (!plot || !Array.isArray(plot.data)) return null;
  const trace = plot.data.find(t => typeof t.name === 'string' && t.name.startsWith(prefix));
  if (!trace) return null;
  const i = Array.from(trace.x).indexOf(session);
  return i < 0 ? null : trace.y[i];
}
"""
CLIENT_LINE_JS = """
() => {
  const plot = document.querySelector('.swb-chart-panel .js-plotly-plot');
  if (!plot) return null;
  const line = plot.querySelector('.scatterlayer .trace path.js-line');
  return line ? line.getAttribute('d') : null;
}
"""


# --- helpers --------------------------------------------------------------------------------
@pytest.fixture
def dialogs(page) -> list[str]:
    """Every dialog the page opens. None may: typed text is shown, never run."""
    seen: list[str] = []
    page.on("dialog", lambda dialog: (seen.append(dialog.message), dialog.dismiss()))
    return seen


def _cases(server: Server) -> tuple[Workspace, list[CaseloadRow]]:
    ws = Workspace(server.workspace)
    rows = ws.index.caseload()
    assert len(rows) >= 4, "the demo workspace should hold four cases"
    return ws, rows


def _without_drafts(ws: Workspace, row: CaseloadRow) -> None:
    """Remove the case's session drafts, so the workbook opens a fresh session."""
    folder = ws.path / "drafts" / row.trainee_id / row.case_id
    for path in folder.glob("*_session_*.ipynb"):
        path.unlink()


def _open(page, server: Server, row: CaseloadRow) -> None:
    open_workbook(
        page,
        server,
        "supervisee.ipynb",
        ".swb-session-basics",
        trainee=row.trainee_id,
        case=row.case_id,
    )
    page.locator(".swb-case-history", has_text=f"Case {row.case_code} has").wait_for()


def _heading(page, n: int):
    heading = page.locator(".swb-step-heading", has_text=f"Step {n} of 5")
    heading.wait_for(state="visible")
    return heading


def _next(page, n: int) -> None:
    page.locator(".swb-next").click()
    _heading(page, n)


def _saved(page) -> None:
    """Wait for the autosave status "Draft saved" (the screenshots show it, too)."""
    page.locator(".swb-autosave-saved", has_text="Draft saved").wait_for()


def _rate(page, form: str, values: list[int]) -> None:
    """Click one answer per item, then wait until the kernel has scored all of them."""
    for i, value in enumerate(values):
        page.locator(f"{form} fieldset[data-item='{i}'] input[data-value='{value}']").check()
    page.locator(f"{form} .swb-score", has_text=f"Answered {len(values)} of").wait_for()


def _checked(page, form: str, items: int) -> list[int | None]:
    """The answer selected in each row of a form, as the page shows it."""
    values: list[int | None] = []
    for i in range(items):
        checked = page.locator(f"{form} fieldset[data-item='{i}'] input:checked")
        values.append(int(checked.get_attribute("data-value")) if checked.count() else None)
    return values


def _mark_chart(page) -> None:
    """Mark the chart drawn now, so that :func:`_latest` can wait for a new drawing."""
    page.evaluate(
        "() => document.querySelectorAll('.swb-chart-panel .js-plotly-plot')"
        ".forEach(p => { p.dataset.swbSeen = '1'; })"
    )


def _latest(page, prefix: str, session: int, expected: float, *, redrawn: bool = False) -> float:
    """Wait until the chart's point for ``session`` on the trace ``prefix`` is ``expected``
    (on a chart drawn after :func:`_mark_chart` when ``redrawn``); return the point."""
    arg = {"prefix": prefix, "session": session, "expected": round(expected, 3)}
    fresh = "!document.querySelector('.swb-chart-panel .js-plotly-plot[data-swb-seen]') && "
    page.wait_for_function(
        f"a => {{ const y = ({LATEST_POINT_JS})(a);"
        f" return {fresh if redrawn else ''}y !== null && Math.abs(y - a.expected) < 1e-9; }}",
        arg=arg,
    )
    assert_charts_drawn(page, ".swb-chart-panel")  # drawn at its height, not clipped to 0
    return float(page.evaluate(LATEST_POINT_JS, arg))


def _draft(ws: Workspace, row: CaseloadRow) -> Review | None:
    folder = ws.path / "drafts" / row.trainee_id / row.case_id
    drafts = sorted(folder.glob("*_session_*.ipynb"))
    return ws.load(drafts[-1]).review if drafts else None


def _wait_for_draft(
    ws: Workspace, row: CaseloadRow, check: Callable[[Review], bool], timeout: float = 60.0
) -> Review:
    """Poll the workspace until the autosaved draft of the case satisfies ``check``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            review = _draft(ws, row)
        except Exception:  # a draft being replaced at this very moment
            review = None
        if review is not None and check(review):
            return review
        if time.monotonic() > deadline:
            pytest.fail(f"no draft of case {row.case_code} as expected after {timeout} s")
        time.sleep(0.25)


def _answers(review: Review, instrument_id: str) -> list[float | None] | None:
    for response in review.sessions[0].responses:
        if response.instrument_id == instrument_id:
            return response.answers
    return None


def _submit(page) -> str:
    """Press Submit; tick the identifier acknowledgement first if the page asks for it."""
    step = page.locator(".swb-review-step")
    if step.locator(".swb-acknowledge").is_visible():
        step.locator(".swb-acknowledge input").check()
    page.locator(".swb-submit").click()
    result = page.locator(".swb-save-result .swb-notice-success")
    result.wait_for(state="visible")
    return result.inner_text()


def _saved_path(ws: Workspace, row: CaseloadRow, message: str) -> Path:
    match = re.search(r"as (\S+\.ipynb)\.", message)
    assert match, message
    path = ws.path / "reviews" / row.trainee_id / row.case_id / match.group(1)
    assert path.is_file(), f"{path} is not in the workspace's reviews/ folder"
    return path


class _Rendered(HTMLParser):
    """Tags and text of rendered HTML, to see what a notebook front end would show."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _markdown_as_shown(notebook: dict) -> _Rendered:
    """Render the artifact's markdown cells as a notebook front end would (raw HTML passes
    through this renderer, so anything not escaped in the cell shows up as a tag)."""
    import mistune  # comes with nbconvert, which Voila requires

    source = "\n\n".join(
        "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"
    )
    rendered = _Rendered()
    rendered.feed(mistune.html(source))
    return rendered


# --- 1. the whole journey --------------------------------------------------------------------
def test_a_trainee_records_a_new_session_in_five_steps_and_submits_it(
    server: Server, page, dialogs, tmp_path: Path
) -> None:
    from supervision_workbook.artifact import load
    from supervision_workbook.scoring import score

    ws, rows = _cases(server)
    row = rows[0]
    _without_drafts(ws, row)
    number = (row.latest_session_number or 0) + 1
    today = date.today()
    before = set((ws.path / "reviews").rglob("*.ipynb"))
    timings: dict[str, float] = {}

    # 1. Session basics, from the link: the trainee, the case, the next number, today.
    started = time.monotonic()
    _open(page, server, row)
    timings["link to step 1"] = time.monotonic() - started
    _heading(page, 1)
    assert (
        page.locator(".swb-trainee select")
        .evaluate("s => s.options[s.selectedIndex].text")
        .replace("\xa0", " ")
        == row.trainee_name
    )
    assert (
        page.locator(".swb-case select").evaluate("s => s.options[s.selectedIndex].text")
        == row.case_code
    )
    assert page.locator(".swb-session-number input").input_value() == str(number)
    assert page.locator(".swb-session-date input").input_value() == today.isoformat()
    history = page.locator(".swb-case-history").inner_text()
    assert f"latest is session {row.latest_session_number}" in history
    names = page.locator(".swb-declared-names input")
    names.fill(DECLARED)
    names.press("Enter")
    page.locator(".swb-basics-message", has_text="also looks for 1 name").wait_for()
    screenshot(page, "supervisee-1-basics")

    # 2. The alliance from both sides; the trajectory gains this session's points.
    _next(page, 2)
    page.locator(".swb-next").click()  # nothing answered yet: the step says what is missing
    errors = page.locator(".swb-step-errors")
    errors.get_by_text("The client's ratings: please answer items 1, 2, 3, 4, 5, 6.").wait_for()
    _heading(page, 2)
    started = time.monotonic()
    _rate(page, ".swb-client-form", CLIENT)
    _rate(page, ".swb-therapist-form", THERAPIST)
    assert "Mean item score: 4.17" in page.locator(".swb-client-form .swb-score").inner_text()
    assert "Mean item score: 4.67" in page.locator(".swb-therapist-form .swb-score").inner_text()
    assert _latest(page, "Client: ", number, CLIENT_MEAN) == round(CLIENT_MEAN, 3)
    assert _latest(page, "Therapist: ", number, THERAPIST_MEAN) == round(THERAPIST_MEAN, 3)
    timings["ratings entered and charted"] = time.monotonic() - started
    assert errors.inner_text().strip() == ""  # the problems went away as they were answered
    _saved(page)
    screenshot(page, "supervisee-2-alliance")

    # 3. One rupture: a withdrawal, partly repaired.
    _next(page, 3)
    page.locator(".swb-add-rupture").click()
    card = page.locator(".swb-rupture-card")
    card.locator(".swb-rupture-type").get_by_label("Withdrawal", exact=True).check()
    card.locator(".swb-choice-w-minimal input").check()
    card.locator(".swb-rupture-salience").get_by_label("3: Clear", exact=True).check()
    card.locator(".swb-choice-s-invite input").check()
    card.locator(".swb-rupture-resolved").get_by_label("Partly repaired", exact=True).check()
    card.locator(".swb-rupture-description textarea").fill(RUPTURE)
    expect_clear = card.locator(".swb-rupture-status .swb-notice")
    expect_clear.wait_for(state="detached")  # type, salience and outcome are all chosen
    _saved(page)
    screenshot(page, "supervisee-3-ruptures")

    # 4. The countertransference reflection, what to bring, notes.
    _next(page, 4)
    themes = page.locator(".swb-theme-scale")
    for i, value in enumerate(THEMES):
        themes.locator(f"fieldset[data-item='{i}'] input[data-value='{value}']").check()
    for prompt_id, text in PROMPTS.items():
        page.locator(f".swb-prompt-{prompt_id} textarea").fill(text)
    page.locator(".swb-reflection-free-text textarea").fill(FREE_TEXT)
    page.locator(".swb-bring textarea").fill(BRING)
    page.locator(".swb-notes textarea").fill(NOTES)
    # The declared name in the first prompt is flagged under that field while typing.
    page.locator(".swb-identifier-warning", has_text="Possible declared name").wait_for()
    _saved(page)
    screenshot(page, "supervisee-4-reflection")

    # 5. Review and submit.
    _next(page, 5)
    step = page.locator(".swb-review-step")
    summary = step.locator(".swb-summary")
    summary.get_by_text("Mean item score: 4.67").wait_for()
    table = summary.inner_text()
    assert row.case_code in table and str(number) in table and today.isoformat() in table
    assert "Mean item score: 4.17" in table and "1 logged" in table
    # Strong themes are those at 3 or more: Helpless / inadequate (3), Parental / protective (4).
    assert "Helpless / inadequate, Parental / protective" in table
    assert step.locator(".swb-summary-bring").inner_text().strip() == BRING
    assert _latest(page, "Client: ", number, CLIENT_MEAN) == round(CLIENT_MEAN, 3)
    flags = step.locator(".swb-identifier-summary").inner_text()
    assert "Possible declared name" in flags and "never certifies" in flags
    page.locator(".swb-submit").click()  # not yet: the flags must be acknowledged first
    step.locator(".swb-save-result", has_text="please read the possible identifiers").wait_for()
    assert set((ws.path / "reviews").rglob("*.ipynb")) == before
    started = time.monotonic()
    message = _submit(page)
    timings["submit"] = time.monotonic() - started
    assert f"Submitted session {number} of case {row.case_code}" in message
    page.locator(".swb-autosave", has_text="Submitted").wait_for()
    assert page.locator(".swb-submit").is_disabled()
    page.locator(".swb-next-session").wait_for(state="visible")
    screenshot(page, "supervisee-5-review")

    # The artifact is on disk in reviews/, the only new file, and no draft is left behind.
    path = _saved_path(ws, row, message)
    assert set((ws.path / "reviews").rglob("*.ipynb")) - before == {path}
    assert _draft(ws, row) is None
    with page.expect_download(timeout=WIDGET_TIMEOUT_MS) as download_info:
        page.locator(".swb-handover-download button").click()
    download = download_info.value
    assert download.suggested_filename == path.name
    download.save_as(tmp_path / path.name)
    assert (tmp_path / path.name).read_bytes() == path.read_bytes()

    # It validates.
    proc = subprocess.run(
        [str(CLI), "validate", str(path)], capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr

    # Its scores are the ones worked out by hand from the clicks, and it holds what was typed.
    review = load(path).review
    assert (review.kind.value, review.status) == ("session", Status.submitted)
    assert (review.trainee.id, review.case.id) == (row.trainee_id, row.case_id)
    (session,) = review.sessions
    assert (session.number, session.date) == (number, today)
    expected = {
        CLIENT_ID: (Respondent.client, CLIENT, CLIENT_MEAN, CLIENT_SUBSCALES),
        THERAPIST_ID: (Respondent.therapist, THERAPIST, THERAPIST_MEAN, THERAPIST_SUBSCALES),
    }
    assert sorted(r.instrument_id for r in session.responses) == sorted(expected)
    for response in session.responses:
        who, answers, mean, subscales = expected[response.instrument_id]
        assert response.respondent == who
        assert response.answers == answers
        result = score(ws.instruments[response.instrument_id], response.answers)
        assert result.complete
        assert result.total.mean == pytest.approx(mean)
        assert {k: s.mean for k, s in result.subscales.items()} == pytest.approx(subscales)
    (rupture,) = session.ruptures
    assert (rupture.type.value, rupture.salience, rupture.resolved.value) == (
        "withdrawal",
        3,
        "partly",
    )
    assert (rupture.markers, rupture.strategies) == (["w-minimal"], ["s-invite"])
    assert rupture.description == RUPTURE
    reflection = session.reflection
    assert reflection is not None
    instrument = ws.instruments["countertransference"]
    assert reflection.themes == {t.id: v for t, v in zip(instrument.themes, THEMES, strict=True)}
    assert reflection.prompts == PROMPTS and reflection.free_text == FREE_TEXT
    assert (session.bring_to_supervision, session.notes) == (BRING, NOTES)

    # No widget state, anywhere.
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert "widgets" not in notebook["metadata"]
    mimes = {m for c in notebook["cells"] for o in c.get("outputs", []) for m in o.get("data", {})}
    assert not mimes & set(WIDGET_MIMES), mimes

    # Strict nbval: re-executing the artifact reproduces every stored output.
    started = time.monotonic()
    proc = run_strict_nbval(path, tmp_path)
    timings["strict nbval on the artifact"] = time.monotonic() - started
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "failed" not in proc.stdout and "passed" in proc.stdout

    assert dialogs == []
    report = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
    print(f"\nsession workbook journey timings: {report}")


# --- 4. markup stays text --------------------------------------------------------------------
def test_markup_typed_into_every_free_text_field_is_shown_and_saved_as_typed(
    server: Server, page, dialogs
) -> None:
    from supervision_workbook.artifact import load

    ws, rows = _cases(server)
    row = rows[1]
    _without_drafts(ws, row)
    payload = " ".join(XSS_PARTS)
    typed = {
        "rupture": f"Rupture: {payload}",
        **{f"prompt-{pid}": f"Prompt {pid}: {payload}" for pid in PROMPTS},
        "free": f"Free text: {payload}",
        "bring": f"Bring: {payload}",
        "notes": f"Notes: {payload}",
    }
    fields = {
        "rupture": ".swb-rupture-description textarea",
        **{f"prompt-{pid}": f".swb-prompt-{pid} textarea" for pid in PROMPTS},
        "free": ".swb-reflection-free-text textarea",
        "bring": ".swb-bring textarea",
        "notes": ".swb-notes textarea",
    }

    _open(page, server, row)
    names = page.locator(".swb-declared-names input")
    names.fill(", ".join(XSS_PARTS))
    names.press("Enter")
    page.locator(".swb-basics-message", has_text="also looks for 3 names").wait_for()
    assert names.input_value() == ", ".join(XSS_PARTS)
    assert ws.declared_names(row.case_id) == list(XSS_PARTS)  # stored exactly as typed

    _next(page, 2)
    _rate(page, ".swb-client-form", CLIENT)
    _rate(page, ".swb-therapist-form", THERAPIST)
    _next(page, 3)
    page.locator(".swb-add-rupture").click()
    card = page.locator(".swb-rupture-card")
    card.locator(".swb-rupture-type").get_by_label("Confrontation", exact=True).check()
    card.locator(".swb-rupture-salience").get_by_label("2: Noticeable", exact=True).check()
    card.locator(".swb-rupture-resolved").get_by_label("Repaired", exact=True).check()
    page.locator(fields["rupture"]).fill(typed["rupture"])
    _next(page, 4)
    for key, selector in fields.items():
        if key != "rupture":
            page.locator(selector).fill(typed[key])
    for key, selector in fields.items():
        if key != "rupture":
            assert page.locator(selector).input_value() == typed[key]

    # The review step shows the text as text; the declared "names" are flagged in every field.
    _next(page, 5)
    step = page.locator(".swb-review-step")
    bring = step.locator(".swb-summary-bring")
    bring.get_by_text(typed["bring"]).wait_for()
    assert bring.inner_text().strip() == typed["bring"]
    flags = step.locator(".swb-identifier-summary").inner_text()
    assert "Rupture 1 description: Possible declared name" in flags
    assert "Other notes: Possible declared name" in flags
    message = _submit(page)
    page.locator(".swb-next-session").wait_for(state="visible")

    # Back through the steps: every field still holds exactly what was typed.
    page.locator(".swb-back").click()
    _heading(page, 4)
    for key, selector in fields.items():
        if key != "rupture":
            assert page.locator(selector).input_value() == typed[key]
    page.locator(".swb-back").click()
    _heading(page, 3)
    assert page.locator(fields["rupture"]).input_value() == typed["rupture"]

    # Nothing typed ever became an element, and nothing ran.
    planted = page.evaluate(
        """() => ({
            img: document.querySelectorAll('img[src="x"], img[onerror], [onerror]').length,
            script: Array.from(document.querySelectorAll('script'))
                .filter(s => s.textContent.includes('alert(1)')).length,
            you: document.querySelectorAll('you').length,
        })"""
    )
    assert planted == {"img": 0, "script": 0, "you": 0}

    # The saved record holds the text exactly; its markdown shows it as text, not markup.
    path = _saved_path(ws, row, message)
    session = load(path).review.sessions[0]
    assert session.ruptures[0].description == typed["rupture"]
    assert session.reflection is not None
    assert session.reflection.prompts == {pid: typed[f"prompt-{pid}"] for pid in PROMPTS}
    assert session.reflection.free_text == typed["free"]
    assert (session.bring_to_supervision, session.notes) == (typed["bring"], typed["notes"])
    notebook = json.loads(path.read_text(encoding="utf-8"))
    markdown = "".join(
        "".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"
    )
    for raw in ("<img", "<script", "<you>"):
        assert raw not in markdown
    shown = _markdown_as_shown(notebook)
    assert not shown.tags & {"img", "script", "you"}, shown.tags
    text = "".join(shown.parts)
    for value in typed.values():
        assert value in text, value
    assert dialogs == []


# --- 5. a reload half-way ---------------------------------------------------------------------
def test_a_reload_half_way_restores_the_draft_with_the_same_ratings(
    server: Server, page, dialogs
) -> None:
    ws, rows = _cases(server)
    row = rows[2]
    _without_drafts(ws, row)
    number = (row.latest_session_number or 0) + 1
    client, therapist = [2, 3, 4, 5, 1, 2], [3, 3, 4, 4, 2, 5]
    server_up_for(server.proc.pid)  # the blank-chart bug showed on a server up a while

    _open(page, server, row)
    _next(page, 2)
    _rate(page, ".swb-client-form", client)
    _rate(page, ".swb-therapist-form", therapist)
    _saved(page)
    assert_charts_drawn(page, ".swb-chart-panel")
    _wait_for_draft(
        ws,
        row,
        lambda r: _answers(r, CLIENT_ID) == client and _answers(r, THERAPIST_ID) == therapist,
    )

    started = time.monotonic()
    page.reload(wait_until="commit")
    wait_for_widgets(page, server, ".swb-session-basics")
    page.locator(".swb-app-message", has_text=f"Restored your draft of session {number}").wait_for()
    restored = time.monotonic() - started
    assert row.trainee_id in page.url and row.case_id in page.url
    assert page.locator(".swb-session-number input").input_value() == str(number)
    _next(page, 2)
    assert _checked(page, ".swb-client-form", 6) == client
    assert _checked(page, ".swb-therapist-form", 6) == therapist
    assert "Answered 6 of 6" in page.locator(".swb-client-form .swb-score").inner_text()
    assert_charts_drawn(page, ".swb-chart-panel")  # the second load draws the chart
    assert dialogs == []
    print(f"\nreload to restored draft: {restored:.1f} s")

    def reopen() -> None:
        page.reload(wait_until="commit")
        wait_for_widgets(page, server, ".swb-session-basics")
        _next(page, 2)

    reload_and_check_charts(page, reopen, ".swb-chart-panel", loads=1, first=3)  # and the third


# --- 6. the keyboard alone --------------------------------------------------------------------
FOCUS_JS = """
() => {
  const el = document.activeElement;
  if (!el) return null;
  const row = el.closest('fieldset[data-item]');
  const form = el.closest('.swb-client-form') ? 'client'
    : el.closest('.swb-therapist-form') ? 'therapist' : null;
  return {
    radio: el.tagName === 'INPUT' && el.type === 'radio',
    form, item: row ? Number(row.dataset.item) : null,
    next: el.classList.contains('swb-next'),
  };
}
"""


def _focus(page) -> dict:
    return page.evaluate(FOCUS_JS)


def _choose_with_arrows(page, form: str, item: int, value: int) -> None:
    """Space selects the focused radio, then the arrow keys move the choice to ``value``."""
    page.keyboard.press("Space")
    row = page.locator(f"{form} fieldset[data-item='{item}']")
    current = int(row.locator("input:checked").get_attribute("data-value"))
    key = "ArrowRight" if value > current else "ArrowLeft"
    for _ in range(abs(value - current)):
        page.keyboard.press(key)
    assert row.locator(f"input[data-value='{value}']").is_checked()


def test_the_rating_step_can_be_completed_with_the_keyboard_alone(
    server: Server, page, dialogs
) -> None:
    ws, rows = _cases(server)
    row = rows[3]
    _without_drafts(ws, row)
    client, therapist = [5, 4, 4, 5, 1, 4], [4, 4, 5, 4, 2, 4]

    _open(page, server, row)
    page.locator(".swb-next").focus()
    page.keyboard.press("Enter")
    _heading(page, 2)
    assert _focus(page)["next"]
    page.keyboard.press("Enter")  # Next again, with nothing answered: the step refuses
    page.locator(".swb-step-errors", has_text="please answer items 1, 2, 3, 4, 5, 6").wait_for()
    _heading(page, 2)

    # Shift+Tab back from Next (past the chart's toolbar) into the last radio group, then
    # answer the therapist's form from its last item up, and the client's after it.
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        if _focus(page)["radio"]:
            break
    order = [("therapist", i) for i in range(5, -1, -1)] + [("client", i) for i in range(5, -1, -1)]
    for n, (who, item) in enumerate(order):
        if n:
            page.keyboard.press("Shift+Tab")
        assert _focus(page) == {"radio": True, "form": who, "item": item, "next": False}
        values = client if who == "client" else therapist
        _choose_with_arrows(page, f".swb-{who}-form", item, values[item])

    # Tab forwards to item 2 and correct it with the arrow keys only.
    page.keyboard.press("Tab")
    assert _focus(page)["item"] == 1 and _focus(page)["form"] == "client"
    page.keyboard.press("ArrowLeft")  # 4 -> 3
    page.keyboard.press("ArrowRight")  # and back to 4
    page.locator(".swb-client-form .swb-score", has_text="Answered 6 of 6").wait_for()
    page.locator(".swb-therapist-form .swb-score", has_text="Answered 6 of 6").wait_for()
    page.locator(".swb-step-errors .swb-notice").wait_for(state="detached")
    # The kernel has the keyboard's answers: (5+4+4+5+5+4)/6 and (4+4+5+4+4+4)/6. Wait for
    # the text itself: "Answered 6 of 6" was already shown before the last arrow key, and
    # the score passes through 4.33 (item 2 at 3) on the way back to 4.
    client_score = page.locator(".swb-client-form .swb-score", has_text="Mean item score: 4.5.")
    client_score.wait_for()
    therapist_score = page.locator(
        ".swb-therapist-form .swb-score", has_text="Mean item score: 4.17"
    )
    therapist_score.wait_for()
    number = (row.latest_session_number or 0) + 1
    # The chart ends on the keyboard's answers (it passed through 4.33 on the way, so a
    # stale chart fails here). Whether each change makes a new drawing is journey 7's check.
    _latest(page, "Client: ", number, 4.5)

    # Tab on to Next and press Enter: the step validates and the flow moves on.
    for _ in range(60):
        page.keyboard.press("Tab")
        if _focus(page)["next"]:
            break
    assert _focus(page)["next"]
    page.keyboard.press("Enter")
    _heading(page, 3)
    draft = _wait_for_draft(
        ws,
        row,
        lambda r: _answers(r, CLIENT_ID) == client and _answers(r, THERAPIST_ID) == therapist,
    )
    assert draft.sessions[0].number == number
    assert dialogs == []


# --- 7. the trajectory follows the ratings ----------------------------------------------------
def test_changing_a_client_rating_redraws_the_trajectory_in_the_expected_direction(
    server: Server, page, dialogs
) -> None:
    ws, rows = _cases(server)
    row = rows[0]
    _without_drafts(ws, row)
    _open(page, server, row)
    number = int(page.locator(".swb-session-number input").input_value())
    _next(page, 2)
    _rate(page, ".swb-client-form", [3, 3, 3, 3, 3, 3])  # mean 3 (item 5: 6 - 3 = 3)
    _rate(page, ".swb-therapist-form", [4, 4, 4, 4, 2, 4])  # mean 4
    page.locator(".swb-chart-text", has_text="client 3, you 4.").wait_for()
    start = _latest(page, "Client: ", number, 3.0)
    start_line = page.evaluate(CLIENT_LINE_JS)

    # The client now says the goals matter more (item 1: 3 -> 5): the line goes up.
    _mark_chart(page)
    page.locator(".swb-client-form fieldset[data-item='0'] input[data-value='5']").check()
    raised = _latest(page, "Client: ", number, 20 / 6, redrawn=True)
    assert raised > start
    raised_line = page.evaluate(CLIENT_LINE_JS)
    assert raised_line and raised_line != start_line
    page.locator(".swb-chart-text", has_text="client 3.33").wait_for()

    # More doubt that the work will help (reverse-scored item 5: 3 -> 5): the line goes down.
    _mark_chart(page)
    page.locator(".swb-client-form fieldset[data-item='4'] input[data-value='5']").check()
    lowered = _latest(page, "Client: ", number, 18 / 6, redrawn=True)
    assert lowered < raised
    assert page.evaluate(CLIENT_LINE_JS) != raised_line
    # The therapist's line did not move.
    assert _latest(page, "Therapist: ", number, 4.0) == 4.0
    _saved(page)
    assert dialogs == []
