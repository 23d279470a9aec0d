"""Instrument definitions: the shipped files, a program's own files, and text packs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from supervision_workbook.instruments import (
    INSTRUMENT_SCHEMA_PATH,
    InstrumentError,
    RatingInstrument,
    ReflectionInstrument,
    RuptureLogInstrument,
    instrument_schema,
    load_instrument,
    load_instruments,
    parse_instrument,
    write_schema,
)
from supervision_workbook.instruments._loader import DATA_DIR
from supervision_workbook.model import Resolved, Respondent, RuptureType

SHIPPED = {
    "alliance-checkin-client": "rating",
    "alliance-checkin-therapist": "rating",
    "supervision-checkin": "rating",
    "wai-sr-client": "rating",
    "wai-sr-therapist": "rating",
    "srs": "rating",
    "ors": "rating",
    "rupture-log": "rupture-log",
    "countertransference": "reflection",
}
LICENSED = ("wai-sr-client", "wai-sr-therapist", "srs", "ors")


def shipped_json(instrument_id: str) -> dict:
    return json.loads((DATA_DIR / f"{instrument_id}.json").read_text(encoding="utf-8"))


def write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def rating(instrument_id: str, **instruments: object) -> RatingInstrument:
    inst = load_instruments(**instruments)[instrument_id]  # type: ignore[arg-type]
    assert isinstance(inst, RatingInstrument)
    return inst


def error_from(path: Path) -> InstrumentError:
    with pytest.raises(InstrumentError) as info:
        load_instrument(path)
    return info.value


# --- what ships ---------------------------------------------------------------------------


def test_every_shipped_instrument_loads_under_its_file_name():
    instruments = load_instruments()
    assert {i: inst.kind for i, inst in instruments.items()} == SHIPPED
    for path in DATA_DIR.glob("*.json"):
        assert load_instrument(path).id == path.stem


def test_the_wai_sr_ships_its_published_structure_and_no_wording():
    for who in ("client", "therapist"):
        wai = rating(f"wai-sr-{who}")
        assert wai.respondent == Respondent(who)
        assert wai.licence.type == "licensed"
        year = "2006" if who == "client" else "2020"
        assert "Hatcher" in wai.licence.citation and year in wai.licence.citation
        assert "text pack" in wai.licence.note
        assert len(wai.items) == 12
        assert all(item.text is None for item in wai.items)
        assert wai.scale.min == 1 and wai.scale.max == 5 and wai.scale.step == 1
        assert [wai.scale.anchors[str(v)] for v in range(1, 6)] == [
            "Seldom", "Sometimes", "Fairly often", "Very often", "Always",
        ]  # fmt: skip
        # Published subscales, as 1-based item numbers: Task 1 2 10 12, Bond 3 5 7 9, Goal 4 6 8 11.
        numbers = {sub: [i + 1 for i in idx] for sub, idx in wai.subscales.items()}
        assert numbers == {"task": [1, 2, 10, 12], "bond": [3, 5, 7, 9], "goal": [4, 6, 8, 11]}
        assert wai.primary == "mean" and wai.cutoff is None
        assert wai.dimensions == {"goal": "goal", "task": "task", "bond": "bond"}


def test_licensed_files_hold_structure_only():
    """No licensed wording anywhere: every item text is null in the file itself."""
    for instrument_id in LICENSED:
        data = shipped_json(instrument_id)
        assert data["licence"]["type"] == "licensed"
        assert [item["text"] for item in data["items"]] == [None] * len(data["items"])
        assert "licence covers" in data["licence"]["note"]


def test_srs_and_ors_are_four_line_visual_analogue_scales_scored_as_totals():
    srs, ors = rating("srs"), rating("ors")
    for inst in (srs, ors):
        assert inst.scale.type == "vas"
        assert (inst.scale.min, inst.scale.max, inst.scale.step) == (0, 10, 0.1)
        assert len(inst.items) == 4 and inst.primary == "sum"
        assert inst.primary_range == (0, 40)
    assert "Duncan" in srs.licence.citation and "2003" in srs.licence.citation
    assert "Miller" in ors.licence.citation and "2003" in ors.licence.citation
    assert srs.cutoff is not None and srs.cutoff.value == 36
    assert srs.drop_threshold == 1
    # Labels of the project's own, not the instruments' headings (those come with a text pack).
    assert list(srs.subscale_labels.values()) == ["Bond", "Goals", "Task", "Whole session"]
    assert list(ors.subscale_labels.values()) == [
        "Self",
        "Close others",
        "Wider world",
        "All areas",
    ]
    assert "project's own" in srs.note and "project's own" in ors.note
    assert ors.cutoff is not None and ors.cutoff.value == 25
    assert "reliable change is 5 points" in ors.note


def test_the_alliance_checkins_are_parallel_forms_with_one_reverse_item_each():
    client, therapist = rating("alliance-checkin-client"), rating("alliance-checkin-therapist")
    assert client.respondent == Respondent.client
    assert therapist.respondent == Respondent.therapist
    assert client.subscales == therapist.subscales
    assert client.dimensions == therapist.dimensions == {
        "goal": "goal", "task": "task", "bond": "bond",
    }  # fmt: skip
    assert client.scale == therapist.scale
    for inst in (client, therapist):
        assert [len(idx) for idx in inst.subscales.values()] == [2, 2, 2]
        assert sum(item.reverse for item in inst.items) == 1
        assert all(item.text for item in inst.items)
        assert inst.primary == "mean" and inst.drop_threshold == 0.5
    assert client.cutoff is not None and client.cutoff.value == 3.5
    assert "not a normed cut-off" in client.cutoff.note + client.note


def test_the_supervision_checkin_is_rated_by_both_people_in_the_meeting():
    checkin = rating("supervision-checkin")
    assert checkin.respondents == (Respondent.supervisor, Respondent.supervisee)
    assert set(checkin.dimensions.values()) == {"goal", "task", "bond"}
    assert all(item.text for item in checkin.items)


def test_the_rupture_log_matches_the_records_it_describes():
    log = load_instruments()["rupture-log"]
    assert isinstance(log, RuptureLogInstrument)
    assert [t.id for t in log.rupture_types] == [t.value for t in RuptureType]
    assert [r.id for r in log.resolved_options] == [r.value for r in Resolved]
    assert (log.salience.min, log.salience.max) == (1, 5)
    assert sorted(log.salience.anchors) == ["1", "2", "3", "4", "5"]
    assert log.withdrawal_markers and log.confrontation_markers and log.strategies
    assert "Eubanks" in log.licence.citation


def test_the_countertransference_reflection_has_the_eight_trq_themes():
    reflection = load_instruments()["countertransference"]
    assert isinstance(reflection, ReflectionInstrument)
    assert [t.id for t in reflection.themes] == [
        "overwhelmed-disorganized", "helpless-inadequate", "positive", "special-overinvolved",
        "sexualized", "disengaged", "parental-protective", "criticized-mistreated",
    ]  # fmt: skip
    assert all(t.label and t.description for t in reflection.themes)
    assert (reflection.intensity.min, reflection.intensity.max) == (0, 4)
    assert sorted(reflection.intensity.anchors) == ["0", "1", "2", "3", "4"]
    assert {"felt", "when", "relationships", "supervision"} <= {p.id for p in reflection.prompts}
    assert "Betan" in reflection.licence.citation and "2005" in reflection.licence.citation


def test_without_a_text_pack_items_get_neutral_labels():
    wai = rating("wai-sr-client")
    assert wai.item_label(2) == "Item 3 (Bond)"
    assert wai.item_label(0) == "Item 1 (Task)"
    assert wai.text_pack is None
    checkin = rating("alliance-checkin-client")
    assert checkin.item_label(0) == checkin.items[0].text


# --- the schema ---------------------------------------------------------------------------


def test_the_committed_schema_is_what_the_models_generate():
    committed = json.loads(INSTRUMENT_SCHEMA_PATH.read_text(encoding="utf-8"))
    assert committed == instrument_schema(), "run: python -m supervision_workbook.instruments"


def test_write_schema_regenerates_the_file(tmp_path):
    target = write_schema(tmp_path / "schema.json")
    assert json.loads(target.read_text(encoding="utf-8")) == instrument_schema()


def test_the_json_schema_accepts_every_shipped_file_and_refuses_a_stray_field():
    import jsonschema

    validator = jsonschema.Draft202012Validator(instrument_schema())
    for path in DATA_DIR.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert not list(validator.iter_errors(data)), path.name
    bad = shipped_json("srs")
    bad["items"][0]["colour"] = "red"
    assert list(validator.iter_errors(bad))


# --- bad files: file, field path, problem ---------------------------------------------------


def test_an_item_with_an_undeclared_subscale_names_the_file_and_field(tmp_path):
    data = shipped_json("alliance-checkin-client")
    data["id"] = "my-checkin"
    data["items"][3]["subscale"] = "bnd"
    err = error_from(write(tmp_path / "my-checkin.json", data))
    assert str(tmp_path / "my-checkin.json") in str(err)
    assert (
        "items.3.subscale",
        "'bnd' is not a declared subscale (declared: goal, task, bond)",
    ) in (err.problems)


def test_cross_field_rules_are_checked_together(tmp_path):
    data = shipped_json("alliance-checkin-client")
    data["items"][1]["id"] = "1"  # the same id as item 0
    data["cutoff"]["value"] = 7  # a mean on a 1-5 scale cannot reach 7
    data["subscale_labels"]["extra"] = "Extra"  # a subscale that no item uses
    data["dimensions"]["nowhere"] = "goal"
    data["drop_threshold"] = 9
    err = error_from(write(tmp_path / "x.json", data))
    assert [path for path, _ in err.problems] == [
        "items.1.id", "subscale_labels.extra", "dimensions.nowhere", "cutoff.value",
        "drop_threshold",
    ]  # fmt: skip
    assert "cutoff.value: 7 is outside the possible mean 1 to 5" in str(err)


def test_an_anchor_off_the_scale_is_refused(tmp_path):
    data = shipped_json("alliance-checkin-client")
    data["scale"]["anchors"]["6"] = "Beyond"
    err = error_from(write(tmp_path / "x.json", data))
    assert err.problems == [("scale.anchors.6", "is not a point on the scale 1 to 5 in steps of 1")]


def test_a_licensed_file_may_not_carry_wording(tmp_path):
    data = shipped_json("srs")
    data["items"][0]["text"] = "Some wording"
    err = error_from(write(tmp_path / "srs.json", data))
    assert err.problems[0][0] == "items.0.text"
    assert "text pack" in err.problems[0][1]


def test_reverse_scoring_is_only_for_rating_items(tmp_path):
    data = shipped_json("countertransference")
    data["themes"][0]["reverse"] = True
    err = error_from(write(tmp_path / "ct.json", data))
    assert err.problems == [
        ("themes.0.reverse", "unknown field (not part of this kind of instrument)")
    ]


def test_a_scale_step_that_does_not_fit_is_refused(tmp_path):
    data = shipped_json("ors")
    data["scale"]["step"] = 0.3
    err = error_from(write(tmp_path / "ors.json", data))
    assert err.problems[0][0] == "scale.step"


def test_a_missing_or_unknown_kind_is_explained(tmp_path):
    data = shipped_json("srs")
    del data["kind"]
    assert error_from(write(tmp_path / "a.json", data)).problems[0][0] == "kind"
    data["kind"] = "survey"
    err = error_from(write(tmp_path / "b.json", data))
    assert "'survey' is not a kind of instrument" in str(err)


def test_broken_json_and_duplicate_keys_are_reported_with_the_file(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "x",', encoding="utf-8")
    assert "not valid JSON (line 1" in str(error_from(broken))
    twice = tmp_path / "twice.json"
    twice.write_text('{"id": "a-one", "id": "a-two"}', encoding="utf-8")
    assert "the key 'id' appears twice" in str(error_from(twice))


# --- a program's own instruments ----------------------------------------------------------


def test_a_program_adds_its_own_instrument_to_the_workspace(tmp_path):
    data = shipped_json("alliance-checkin-client")
    data["id"] = "program-checkin"
    data["name"] = "Program check-in"
    write(tmp_path / "instruments" / "program-checkin.json", data)
    instruments = load_instruments(tmp_path)
    assert set(SHIPPED) < set(instruments)
    assert instruments["program-checkin"].name == "Program check-in"


def test_a_workspace_file_may_not_silently_replace_a_shipped_instrument(tmp_path):
    data = shipped_json("srs")
    data["cutoff"]["value"] = 30
    write(tmp_path / "instruments" / "my-srs.json", data)
    with pytest.raises(InstrumentError, match="'srs' is a shipped instrument") as info:
        load_instruments(tmp_path)
    assert "my-srs.json" in str(info.value)
    assert rating("srs").cutoff.value == 36  # type: ignore[union-attr]


def test_two_workspace_files_with_one_id_are_refused(tmp_path):
    data = shipped_json("alliance-checkin-client")
    data["id"] = "program-checkin"
    write(tmp_path / "instruments" / "a.json", data)
    write(tmp_path / "instruments" / "b.json", data)
    with pytest.raises(InstrumentError, match=r"already defined in .*a\.json"):
        load_instruments(tmp_path)


# --- text packs -----------------------------------------------------------------------------


def test_a_text_pack_gives_a_licensed_instrument_its_wording(tmp_path):
    write(
        tmp_path / "textpacks" / "wai.json",
        {
            "instrument": "wai-sr-client",
            "items": {str(n): f"Licensed wording for item {n}" for n in range(1, 12)},
            "anchors": {"1": "Fake anchor one"},
        },
    )
    wai = rating("wai-sr-client", workspace=tmp_path)
    assert wai.item_label(0) == "Licensed wording for item 1"
    assert wai.item_label(11) == "Item 12 (Task)"  # the pack left item 12 out
    assert wai.anchor_label(1) == "Fake anchor one"
    assert wai.anchor_label(5) == "Always"
    assert wai.text_pack == str(tmp_path / "textpacks" / "wai.json")
    # The wording stays beside the definition: it never serialises, and the shared
    # shipped definition is untouched.
    assert "Licensed wording" not in wai.model_dump_json()
    assert rating("wai-sr-client").item_label(0) == "Item 1 (Task)"


@pytest.mark.parametrize(
    ("pack", "expected"),
    [
        ({"instrument": "wai-sr-kids", "items": {"1": "x"}}, "'wai-sr-kids' is not a known"),
        ({"instrument": "wai-sr-client", "items": {"13": "x"}}, "items.13: wai-sr-client has no"),
        ({"instrument": "wai-sr-client", "items": {"2": "  "}}, "items.2: the text is empty"),
        ({"instrument": "srs", "items": {}, "anchors": {"11": "x"}}, "anchors.11: is not a point"),
        ({"instrument": "rupture-log", "items": {}}, "text packs are for rating instruments"),
        ({"instrument": "srs", "item": {}}, "items: missing"),
    ],
)
def test_a_bad_text_pack_is_refused_naming_the_file(tmp_path, pack, expected):
    write(tmp_path / "textpacks" / "pack.json", pack)
    with pytest.raises(InstrumentError) as info:
        load_instruments(tmp_path)
    assert str(info.value).startswith(str(tmp_path / "textpacks" / "pack.json"))
    assert expected in str(info.value)


def test_importing_instruments_stays_cheap():
    """The kernel imports this at start-up: no jsonschema, no widgets, no plotly."""
    code = (
        "import sys, supervision_workbook.instruments as m; m.load_instruments(); "
        "bad = [n for n in ('jsonschema', 'ipywidgets', 'IPython', 'plotly', 'nbformat') "
        "if n in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_parallel_forms_name_each_other_so_that_only_they_are_compared():
    pairs = [
        ("alliance-checkin-client", "alliance-checkin-therapist"),
        ("wai-sr-client", "wai-sr-therapist"),
    ]
    for client_id, therapist_id in pairs:
        assert rating(client_id).counterpart == therapist_id
        assert rating(therapist_id).counterpart == client_id
    assert rating("srs").counterpart is None and rating("ors").counterpart is None


def test_a_form_cannot_be_its_own_counterpart():
    data = shipped_json("alliance-checkin-client")
    data["counterpart"] = data["id"]
    with pytest.raises(InstrumentError, match="counterpart: must name the other"):
        parse_instrument(data, "mine.json")


def test_each_cut_off_declares_its_comparison_and_whether_it_is_published():
    assert rating("srs").cutoff.comparison == "<" and rating("srs").cutoff.source
    assert rating("ors").cutoff.source
    checkin = rating("alliance-checkin-client").cutoff
    assert checkin.source == "" and "project default, not normed" in checkin.note


def test_the_therapist_wai_sr_names_its_form_and_says_its_item_map_is_unconfirmed():
    wai_t = rating("wai-sr-therapist")
    assert "WAI-SR-T" in wai_t.name
    assert "Lindqvist" in wai_t.licence.citation and "30(6)" in wai_t.licence.citation
    assert wai_t.structure_note.startswith("Item map not confirmed")
    assert rating("wai-sr-client").structure_note == ""
