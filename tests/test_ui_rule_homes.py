"""Each rule has one home, and every page that shows its result asks that home.

These stories follow a rule from where it lives to every place a person meets it: a
program with two reflection instruments, a number shown on a page and written to a CSV,
a pydantic error, the store's folders, and the two list editors.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from fixtures.clock import FakeClock
from fixtures.reviews import session_review
from supervision_workbook import formatting
from supervision_workbook.artifact import dumps
from supervision_workbook.artifact._settings import used_instruments
from supervision_workbook.artifact.replay import Replay
from supervision_workbook.instruments import reflection_instrument, shipped_instruments
from supervision_workbook.model import ActionItem, SignOff
from supervision_workbook.store import Workspace, init_workspace
from supervision_workbook.ui.case_review.views import CaseViews
from supervision_workbook.ui.casework import session_instruments
from supervision_workbook.ui.forms.action_items import ActionItemsEditor
from supervision_workbook.ui.forms.ruptures import RuptureEditor


def _second_reflection(ws: Path, instrument_id: str) -> None:
    """A program's own reflection instrument, installed beside the shipped one."""
    shipped = shipped_instruments()["countertransference"].model_dump(mode="json")
    shipped.update(id=instrument_id, name="Our reflection")
    (ws / "instruments" / f"{instrument_id}.json").write_text(json.dumps(shipped))


@pytest.mark.parametrize("extra", ["a-reflection", "zz-reflection"])
def test_a_program_with_two_reflections_gets_the_same_one_everywhere(
    tmp_path: Path, extra: str
) -> None:
    root = init_workspace(tmp_path / "ws")
    _second_reflection(root, extra)
    ws = Workspace(root)
    chosen = reflection_instrument(ws.instruments)
    assert chosen is not None and chosen.id == "countertransference"  # the project's id wins
    assert session_instruments(ws.instruments, ws.config).reflection.id == chosen.id
    assert CaseViews(ws, scheduler=FakeClock()).reflection_instrument.id == chosen.id
    review = session_review(2)
    used = used_instruments(review, ws.instruments)
    assert [i for i in used if used[i].kind == "reflection"] == [chosen.id]
    assert Replay(review, used, ws.config.alerts).reflection_instrument.id == chosen.id
    # Without the project's own, the first by id: never the order the files were read in.
    others = {k: v for k, v in ws.instruments.items() if k != "countertransference"}
    assert reflection_instrument(others).id == extra
    assert reflection_instrument(dict(reversed(list(others.items())))).id == extra


def test_one_mean_reads_the_same_on_every_page_and_carries_two_more_digits_in_a_csv() -> None:
    mean = 22 / 6
    assert formatting.number(mean) == "3.67"  # the form, the case review, the artifact
    assert formatting.score(mean) == "3.67"  # the dashboard
    assert formatting.data_number(mean) == "3.6667"  # the CSV
    assert round(float(formatting.data_number(mean)), 2) == float(formatting.number(mean))
    assert formatting.score(None) == "–" and formatting.data_number(None) == ""
    assert [formatting.number(x) for x in (36.0, 31.5, -0.001)] == ["36", "31.5", "0"]
    assert formatting.minutes(95) == "1 h 35 min"
    assert formatting.status_words("reviewed") == "reviewed, not signed off"


def test_the_dashboard_csv_uses_the_one_writer_and_its_rules() -> None:
    from datetime import datetime, timezone

    from supervision_workbook.export import LINE_END
    from supervision_workbook.store import CaseloadRow
    from supervision_workbook.ui.render.caseload_table import rows_to_csv

    row = CaseloadRow(
        trainee_id="tr-ada", trainee_name="=cmd()", case_id="cs-one", case_code="C-001",
        sessions=6, latest_session_number=6, latest_session_date=None,
        latest_client=22 / 6, latest_therapist=None, flag_count=0, flag_rules=(),
        unrepaired_ruptures=0, individual_minutes=60, group_minutes=0, last_status="signed_off",
        last_updated=datetime(2026, 3, 1, tzinfo=timezone.utc), reviewed_through=6,
    )  # fmt: skip
    text = rows_to_csv([row])
    assert text.endswith(LINE_END) and "\r" not in text
    record = next(csv.DictReader(io.StringIO(text)))
    assert record["latest_client_alliance"] == "3.6667"
    assert record["latest_therapist_alliance"] == ""
    assert record["trainee_name"] == "'=cmd()"  # the formula guard


def test_a_pydantic_error_becomes_one_line_per_field_naming_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        SignOff.model_validate({"id": "so-1", "supervisor": "", "minutes": -1})
    lines = formatting.field_problems(info.value)
    assert any(line.startswith("minutes: ") for line in lines)
    assert any(line.startswith("supervisor: ") for line in lines)
    assert formatting.field_problems(info.value, "review.signoff")[0].startswith("review.signoff.")


def test_the_store_answers_folder_questions_without_walking_the_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace(init_workspace(tmp_path / "ws"))
    review = session_review(2)
    ref = ws.save(review, draft=True)
    assert ws.case_of(ref.path) == (review.trainee.id, review.case.id)
    assert ws.case_of(tmp_path / "elsewhere.ipynb") is None
    assert ws.artifact_name(review) == ref.path.name

    def no_walk(*_a: object, **_k: object) -> None:
        raise AssertionError("walked the whole workspace")

    monkeypatch.setattr(Workspace, "iter_artifacts", no_walk)
    assert list(ws.draft_files(review.trainee.id, review.case.id)) == [ref.path]
    assert ws.current_hash(review) == ref.content_hash
    assert ws.current_hash(review.model_copy(update={"id": "rv-never-saved"})) is None


def test_both_list_editors_number_lock_and_close_their_rows_the_same_way() -> None:
    ruptures = RuptureEditor(shipped_instruments()["rupture-log"])  # type: ignore[arg-type]
    actions = ActionItemsEditor()
    for editor, word in ((ruptures, "rupture"), (actions, "action item")):
        changes: list[int] = []
        editor.on_change(lambda changes=changes: changes.append(1))
        first, second = editor.add(), editor.add()
        assert editor.add_button.description == f"Add another {word}"
        editor.remove(first)
        assert editor.rows == [second] and f"{word} 1" in second.remove_button.description
        assert first.remove_button.comm is None  # the removed row's widgets are closed
        editor.disabled = True
        assert second.remove_button.disabled and editor.add_button.disabled
        assert len(changes) == 3
    actions.items = [ActionItem(id="ai-one", text="Bring a recording.")]
    assert [i.text for i in actions.items] == ["Bring a recording."]


def test_a_download_is_named_by_the_store(tmp_path: Path) -> None:
    ws = Workspace(init_workspace(tmp_path / "ws"))
    review = session_review(1)
    assert ws.artifact_name(review).endswith(f"_session_{review.id}.ipynb")
    assert dumps(review, ws.instruments, ws.config)  # the payload the name goes with
