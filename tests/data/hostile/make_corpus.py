"""Regenerate the hostile artifact corpus in this folder (run from the repository root).

``python tests/data/hostile/make_corpus.py``. Each ``.ipynb`` here is one shape of crafted
file that once made the loader raise something other than an ``ArtifactError`` (a
traceback), or that carries content the loader must refuse. They are built from a genuine
signed case review so that every check before the hostile part passes. The files are
committed; this script documents how they were made and rebuilds them if the base changes.

They are named ``.json``, not ``.ipynb``, so that no notebook tool (ruff's notebook mode,
nbval, an editor) picks them up as notebooks; the tests copy them to ``.ipynb`` names where
the name matters (``supervision-workbook validate`` on a folder).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # tests/, for fixtures

from fixtures.reviews import case_review, signoff  # noqa: E402
from supervision_workbook.artifact import METADATA_KEY, amend, dumps, sign_off  # noqa: E402

DEEP = 20_000  # deeper than any recursion limit
NESTED = 900  # under json's limit, over what a record needs


def _base() -> dict:
    review = sign_off(case_review(2), signoff())
    return json.loads(dumps(review))


def _amended() -> dict:
    review = sign_off(case_review(2), signoff())
    review = amend(review, "Dr. Ruth Kay", "typo", {"goals": "Agree a focus."})
    return json.loads(dumps(review))


def _nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


def _text(nb: dict) -> str:
    return json.dumps(nb, ensure_ascii=False)


def _block(nb: dict) -> dict:
    return nb["metadata"][METADATA_KEY]


def build() -> dict[str, str]:
    out: dict[str, str] = {}
    out["deep_nesting_top_level.ipynb"] = "[" * DEEP + "]" * DEEP
    base = _text(_base())
    out["deep_nesting_in_metadata.ipynb"] = base.replace(
        '"metadata": {', '"metadata": {"x": ' + "[" * DEEP + "]" * DEEP + ",", 1
    )
    out["deep_nesting_in_cell_output.ipynb"] = base.replace(
        '"outputs": [', '"outputs": [' + '{"a":' * 10_000 + "1" + "}" * 10_000 + ",", 1
    )
    out["huge_integer_schema_version.ipynb"] = base.replace(
        '"schema_version": 1', '"schema_version": 1' + "0" * 5000, 1
    )
    out["huge_integer_in_answers.ipynb"] = base.replace(
        '"answers": [', '"answers": [' + "9" * 4400 + ", ", 1
    )
    out["huge_integer_top_level.ipynb"] = "1" * 10_000

    for name, value in (
        ("string", "5"),
        ("float", 5.5),
        ("null", None),
        ("huge", 10**20),
        ("negative", -1),
        ("list", [5]),
    ):
        nb = _base()
        nb["nbformat_minor"] = value
        out[f"nbformat_minor_{name}.ipynb"] = _text(nb)

    nb = _amended()
    _block(nb)["record"]["amendments"][0]["changes"]["goals"] = _nested(NESTED)
    out["deep_amendment_changes.ipynb"] = _text(nb)
    nb = _amended()
    deep: dict = {}
    node = deep
    for _ in range(NESTED // 2):
        node["k"] = {}
        node = node["k"]
    _block(nb)["record"]["amendments"][0]["changes"] = deep
    out["deep_amendment_changes_mapping.ipynb"] = _text(nb)

    nb = _base()
    _block(nb)["record"]["goals"] = _nested(NESTED)
    out["deep_nesting_in_record_field.ipynb"] = _text(nb)
    nb = _base()
    _block(nb)["settings"]["alerts"] = _nested(NESTED)
    out["deep_nesting_in_settings.ipynb"] = _text(nb)

    out["lone_surrogate_in_record.ipynb"] = base.replace('"goals": "', '"goals": "\\ud800', 1)
    out["lone_surrogate_in_key.ipynb"] = base.replace('"goals": "', '"\\udfff": 1, "goals": "', 1)
    out["byte_order_mark.ipynb"] = "\ufeff" + base
    out["nul_bytes.ipynb"] = base.replace('"goals": "', '"goals": "\\u0000', 1)
    out["float_overflow_in_answers.ipynb"] = base.replace('"answers": [', '"answers": [1e999, ', 1)
    out["float_overflow_in_settings.ipynb"] = base.replace(
        '"divergence": 1.0', '"divergence": 1e999', 1
    )

    for name, change in (
        ("cells_not_list", lambda nb: nb.__setitem__("cells", {"a": 1})),
        ("cell_is_string", lambda nb: nb["cells"].__setitem__(0, "cell")),
        ("output_is_number", lambda nb: _code(nb)["outputs"].append(7)),
        ("output_data_is_list", lambda nb: _chart(nb)["outputs"][0].__setitem__("data", [1])),
        ("source_is_number", lambda nb: nb["cells"][0].__setitem__("source", 12)),
        ("source_list_of_numbers", lambda nb: nb["cells"][0].__setitem__("source", [1, 2])),
        ("metadata_block_is_list", lambda nb: nb["metadata"].__setitem__(METADATA_KEY, [])),
        ("record_is_list", lambda nb: _block(nb).__setitem__("record", [1])),
        ("settings_is_string", lambda nb: _block(nb).__setitem__("settings", "x")),
        (
            "instruments_entry_list",
            lambda nb: _block(nb)["settings"]["instruments"].__setitem__("x", [1]),
        ),
        (
            "definition_is_nested_json",
            lambda nb: _block(nb)["settings"]["instruments"].__setitem__(
                "x", {"sha256": "0", "definition": "[" * DEEP + "]" * DEEP}
            ),
        ),
        (
            "definition_huge_integer",
            lambda nb: _block(nb)["settings"]["instruments"].__setitem__(
                "x", {"sha256": "0", "definition": "1" * 5000}
            ),
        ),
        ("schema_version_bool", lambda nb: _block(nb).__setitem__("schema_version", True)),
        ("content_hash_number", lambda nb: _block(nb).__setitem__("content_hash", 1)),
        ("amendments_not_list", lambda nb: _block(nb)["record"].__setitem__("amendments", 5)),
        ("metadata_not_object", lambda nb: nb.__setitem__("metadata", [])),
        ("nbformat_string", lambda nb: nb.__setitem__("nbformat", "4")),
        ("html_script_output", _html_script),
        ("javascript_output", _javascript),
        ("widget_view_output", _widget),
        ("svg_script_output", _svg),
        ("generator_claimed_older_html_script", lambda nb: (_older(nb), _html_script(nb))),
        ("generator_claimed_older_javascript", lambda nb: (_older(nb), _javascript(nb))),
        ("generator_claimed_older_cell_edited", lambda nb: (_older(nb), _edit_cell(nb))),
        ("instrument_hash_changed_cell_edited", lambda nb: (_stale(nb), _edit_cell(nb))),
        ("instrument_hash_changed_html_script", lambda nb: (_stale(nb), _html_script(nb))),
        ("outputs_not_list_in_replay_cell", lambda nb: _code(nb).__setitem__("outputs", "x")),
        (
            "markdown_script_cell",
            lambda nb: nb["cells"][0].__setitem__("source", "<script>alert(1)</script>"),
        ),
    ):
        nb = _base()
        change(nb)
        out[f"{name}.ipynb"] = _text(nb)
    return out


def _code(nb: dict) -> dict:
    return next(c for c in nb["cells"] if c["cell_type"] == "code")


def _chart(nb: dict) -> dict:
    return next(c for c in nb["cells"] if c["cell_type"] == "code" and c["outputs"])


def _older(nb: dict) -> None:
    _block(nb)["settings"]["generator"] = "supervision-workbook 0.0.1"


def _stale(nb: dict) -> None:
    for entry in _block(nb)["settings"]["instruments"].values():
        entry["sha256"] = "0" * 64


def _edit_cell(nb: dict) -> None:
    nb["cells"][1]["source"] = "## Summary\n\nNo alerts. Everything went well."


def _html_script(nb: dict) -> None:
    _chart(nb)["outputs"][0]["data"]["text/html"] = ["<b>x</b><script>alert(1)</script>"]


def _javascript(nb: dict) -> None:
    _chart(nb)["outputs"][0]["data"]["application/javascript"] = ["alert(1)"]


def _widget(nb: dict) -> None:
    _chart(nb)["outputs"][0]["data"]["application/vnd.jupyter.widget-view+json"] = {
        "model_id": "abc",
        "version_major": 2,
        "version_minor": 0,
    }


def _svg(nb: dict) -> None:
    _chart(nb)["outputs"][0]["data"]["image/svg+xml"] = ["<svg onload='alert(1)'></svg>"]


def main() -> None:
    for old in HERE.glob("*.json"):
        old.unlink()
    for name, text in build().items():
        target = HERE / name.replace(".ipynb", ".json")
        target.write_text(text, encoding="utf-8", errors="surrogatepass")
    print(f"wrote {len(list(HERE.glob('*.json')))} files to {HERE}")


if __name__ == "__main__":
    main()
