"""The building blocks on their own: steps, scales, user text, identifier warnings,
autosave, the save bar's wording, the chart panel, downloads and the address bar.

Each block is tested without a workbook around it, as a person would meet it on a page:
values set here are what a message from the browser would carry, and timers run on the
one fake clock (``fixtures.clock``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import ipywidgets as widgets
import pytest

from fixtures.clock import FakeClock
from supervision_workbook.store import ConflictError
from supervision_workbook.ui.components import _assets
from supervision_workbook.ui.components.chart_panel import ChartPanel
from supervision_workbook.ui.components.files import Download, FilePayload
from supervision_workbook.ui.components.page import UrlState
from supervision_workbook.ui.components.saving import Autosave, Debouncer, describe_save_error
from supervision_workbook.ui.components.scales import LikertScale, scale_points
from supervision_workbook.ui.components.steps import Step, StepFlow
from supervision_workbook.ui.components.text import IdentifierWarnings, Notice, TextBlock

XSS = '<img src=x onerror="alert(1)">I hate <you>'


# --- the step flow ----------------------------------------------------------------------------
def test_next_checks_the_step_and_back_never_does() -> None:

    answers = {"ok": False}
    flow = StepFlow(
        [
            Step("One", widgets.Label("1"), validate=lambda: [] if answers["ok"] else ["Say yes."]),
            Step("Two", widgets.Label("2"), validate=lambda: ["Never leaves."]),
            Step("Three", widgets.Label("3")),
        ]
    )
    assert "Step 1 of 3: One" in flow.title.value
    assert not flow.next() and flow.errors.messages == ("Say yes.",)
    answers["ok"] = True
    assert flow.next() and flow.index == 1
    assert "Step 2 of 3: Two" in flow.title.value
    assert 'aria-current="step"' in flow.progress.value
    assert not flow.go(2) and flow.errors.messages == ("Never leaves.",)
    assert flow.back() and flow.index == 0 and flow.errors.messages == ()
    assert flow.back_button.disabled


def test_likert_points_carry_their_anchors_and_vas_steps_do_not_drift() -> None:
    scale = LikertScale(
        label="Test", items=[("Item 1 (Bond)", "")], points=[(1, "Seldom"), (2, ""), (3, "Always")]
    )
    assert scale.points[0] == {"value": 1.0, "anchor": "Seldom"}
    assert scale_points(0, 1, 0.1)[3] == 0.3
    assert len(scale_points(0, 10, 0.1)) == 101


# --- safe text --------------------------------------------------------------------------------
def test_user_text_is_shown_exactly_as_typed_and_never_as_markup() -> None:
    block = TextBlock(XSS)
    assert "<img" not in block.value and "&lt;img src=x" in block.value
    assert "I hate &lt;you&gt;" in block.value
    notice = Notice()
    notice.show("error", [XSS, "second"])
    assert "<img" not in notice.value and 'role="alert"' in notice.value


# --- identifier warnings ----------------------------------------------------------------------
def test_identifiers_are_flagged_with_a_masked_snippet_of_the_place_as_the_person_types() -> None:

    names = ["Maria"]
    warnings = IdentifierWarnings(lambda: names)
    area = widgets.Textarea()
    notice = warnings.watch(area, "Notes")
    assert notice.value == ""
    area.value = "Wrote to maria@example.org about Maria."
    email, name = notice.messages
    assert email.startswith("Possible email address: “Wrote to mar") and "•" in email
    assert name.startswith("Possible declared name: “…about M••••.”")
    for message in notice.messages:  # the place is shown, the identifier never in full
        assert "maria@example.org" not in message and "Maria" not in message
        assert "character" not in message
    assert warnings.summary()[0].startswith("Notes: Possible email address")
    area.value = "Nothing to see here."
    assert notice.value == "" and warnings.summary() == []  # silence, never "de-identified"


def test_identifier_checks_wait_for_a_pause_in_typing_but_never_miss_a_submit() -> None:

    clock = FakeClock()
    warnings = IdentifierWarnings(delay=0.3, scheduler=clock.call_later)
    area = widgets.Textarea()
    notice = warnings.watch(area, "Notes")
    for text in ("jo", "jo@", "jo@example", "jo@example.org"):
        area.value = text
        clock.advance(0.1)
    assert notice.value == ""  # still typing
    clock.advance(0.3)
    (message,) = notice.messages
    assert message.startswith("Possible email address") and "jo@example.org" not in message
    area.value = "write to jo@example.org"
    (flagged,) = warnings.summary()
    assert flagged.startswith("Notes: Possible email address: “write to")


def test_phone_numbers_are_flagged_in_the_formats_of_the_workspace_s_regions() -> None:
    """A London number is a phone number in a British workspace; the warning follows
    ``[privacy] regions`` rather than one built-in country."""
    text = "Call her on 020 7946 0958 today."
    british = IdentifierWarnings(region=["GB"])
    area = widgets.Textarea(value=text)
    notice = british.watch(area, "Notes")
    assert any(m.startswith("Possible phone number") for m in notice.messages)
    american = IdentifierWarnings(region=["US"])
    other = widgets.Textarea(value=text)
    assert not any(
        m.startswith("Possible phone number") for m in american.watch(other, "N").messages
    )


# --- autosave ---------------------------------------------------------------------------------
def test_autosave_waits_for_a_pause_and_then_saves_once() -> None:
    clock = FakeClock()
    saved: list[str] = []
    autosave = Autosave(
        lambda: saved.append("draft") or "draft.ipynb",
        delay=1.5,
        scheduler=clock.call_later,
        clock=lambda: datetime(2026, 3, 20, 14, 2),
    )
    for _ in range(5):  # typing
        autosave.touch()
        clock.advance(1.0)
    assert saved == [] and autosave.text == "Unsaved changes\u2026"
    clock.advance(0.6)
    assert saved == ["draft"]
    assert autosave.text == "Draft saved 14:02"
    clock.advance(10)
    assert saved == ["draft"]


def test_a_debouncer_flush_runs_a_pending_call_at_once_and_only_once() -> None:
    clock = FakeClock()
    calls: list[int] = []
    debouncer = Debouncer(1.5, lambda: calls.append(1), scheduler=clock.call_later)
    debouncer.trigger()
    debouncer.flush()
    debouncer.flush()
    clock.advance(5)
    assert calls == [1]


def test_save_errors_are_explained_in_words() -> None:
    conflict = ConflictError(Path("/ws/drafts/x.ipynb"), "a" * 64, "b" * 64)
    text = describe_save_error(conflict, "Not submitted")
    assert text.startswith("Not submitted: this record was changed elsewhere")
    assert "x.ipynb" in text
    assert describe_save_error(OSError("disk full")).startswith(
        "Not saved: the workspace folder could not be written"
    )


def test_a_chart_that_fails_to_build_says_so_instead_of_breaking_the_page() -> None:
    def broken() -> None:
        raise ValueError("no data")

    panel = ChartPanel(broken, title="Broken")
    panel.refresh()
    assert panel.problem.messages == ("The chart could not be drawn: no data",)
    empty = ChartPanel(lambda: None, title="Empty", empty_text="Nothing yet.")
    empty.refresh()
    assert empty.output.outputs == () and "Nothing yet." in empty.summary.value


def test_a_download_provider_error_is_shown_beside_the_button() -> None:
    def failing() -> FilePayload:
        raise ValueError("choose the trainee and the case first")

    button = Download(failing)
    sent: list[dict[str, str]] = []
    button.send = sent.append  # type: ignore[method-assign]
    button._on_message(button, {"type": "request"}, [])
    assert sent[0]["type"] == "error"
    assert button.status == "Could not prepare the download: choose the trainee and the case first"
    button._on_message(button, {"type": "something else"}, [])
    assert len(sent) == 1


def test_widget_sources_come_from_the_wheel_folder_first_then_the_repository(
    tmp_path: Path,
) -> None:
    wheel, repo = tmp_path / "_widgets", tmp_path / "widgets"
    repo.mkdir()
    assert _assets.widgets_dir((wheel, repo)) == repo
    wheel.mkdir()
    assert _assets.widgets_dir((wheel, repo)) == wheel
    assert "export default" in _assets.widget_source("rating.js")
    with pytest.raises(ValueError, match="not a widget file name"):
        _assets.widget_source("../pyproject.toml")


def test_the_address_bar_only_ever_receives_ids() -> None:
    url = UrlState()
    url.set(trainee="tr-ada", case="<script>")
    assert url.params == {"trainee": "tr-ada", "case": ""}
