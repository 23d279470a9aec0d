"""Crafted files: every one is refused with its own clear message, never a traceback.

Stories: a supervisor validates a folder into which someone dropped files made to crash
the reader (nesting 20,000 levels deep, a 5,000-digit number, ``"nbformat_minor": "5"``,
an amendment whose changes nest 900 levels); each file gets one line naming it and its
problem, from ``load``, from ``validate`` and from an upload. A file padded past 10 MB is
refused with the limit named. Hypothesis mutates a genuine artifact's JSON and finds no
exception that is not an ``ArtifactError``.
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixtures.reviews import case_review, signoff
from supervision_workbook.artifact import (
    MAX_ARTIFACT_BYTES,
    ArtifactError,
    OversizedArtifact,
    amend,
    dumps,
    load,
    loads,
    sign_off,
)
from supervision_workbook.cli import main

HOSTILE = Path(__file__).parent / "data" / "hostile"
CORPUS = sorted(HOSTILE.glob("*.json"))


def test_the_corpus_holds_the_shapes_of_the_report():
    names = {p.stem for p in CORPUS}
    for shape in (
        "deep_nesting_top_level",
        "huge_integer_schema_version",
        "nbformat_minor_string",
        "deep_amendment_changes",
        "generator_claimed_older_html_script",
        "instrument_hash_changed_cell_edited",
    ):
        assert shape in names
    assert len(CORPUS) >= 45


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
@pytest.mark.parametrize("strict", [False, True], ids=["load", "strict"])
def test_a_hostile_file_is_refused_with_a_message_naming_it(path: Path, strict: bool):
    with pytest.raises(ArtifactError) as caught:
        load(path, strict=strict)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message and len(message) < 600
    message.encode("utf-8")  # printable, even when the file holds lone surrogates


def test_validate_reports_every_hostile_file_in_one_line_each(tmp_path: Path, capsys):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for path in CORPUS:
        shutil.copyfile(path, folder / f"{path.stem}.ipynb")
    code = main(["validate", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == len(CORPUS)
    assert all(line.startswith(str(folder)) for line in lines)
    assert "Traceback" not in out + err
    assert f"{len(CORPUS)} of {len(CORPUS)} files failed validation" in err


def test_an_upload_of_a_hostile_file_is_refused_with_an_artifact_error():
    from supervision_workbook.exchange import DownloadExchange

    exchange = DownloadExchange()
    for path in CORPUS:
        with pytest.raises(ArtifactError):
            exchange.receive(path.name, path.read_bytes())
    assert exchange.staged == []


def test_a_file_over_the_size_limit_is_refused_naming_the_limit(tmp_path: Path):
    genuine = dumps(case_review(2))
    padded = genuine[:-2] + " " * (MAX_ARTIFACT_BYTES + 1 - len(genuine)) + genuine[-2:]
    path = tmp_path / "padded.ipynb"
    path.write_text(padded, encoding="utf-8")
    for call in (lambda: load(path), lambda: loads(padded, "padded.ipynb")):
        with pytest.raises(OversizedArtifact, match=r"at most 10 MB \(MAX_ARTIFACT_BYTES\)"):
            call()
    assert loads(genuine).review == case_review(2)  # the same file, unpadded, is fine


# --- fuzzing -------------------------------------------------------------------------------
def _genuine() -> dict:
    review = sign_off(case_review(2), signoff())
    review = amend(review, "Dr. Ruth Kay", "typo", {"goals": "Agree a focus."})
    return json.loads(dumps(review))


_BASE = _genuine()

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**6000), max_value=10**6000)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:3]):
            found += _paths(value, (*prefix, index))
    return found


_PATHS = _paths(_BASE)


def _nested(depth: int, leaf: object) -> object:
    for _ in range(depth):
        leaf = [leaf]
    return leaf


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    notebook = copy.deepcopy(_BASE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_PATHS[1:]))
        parent = notebook
        try:
            for part in path[:-1]:
                parent = parent[part]
        except (KeyError, IndexError, TypeError):
            continue
        action = draw(st.sampled_from(["replace", "delete", "nest"]))
        key = path[-1]
        try:
            if action == "delete" and isinstance(parent, dict):
                del parent[key]
            elif action == "nest":
                parent[key] = _nested(draw(st.integers(30, 800)), parent[key])
            else:
                parent[key] = draw(_json)
        except (KeyError, IndexError, TypeError):
            continue
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # write huge numbers; the reader must refuse them
    try:
        text = json.dumps(notebook, ensure_ascii=False)
    finally:
        sys.set_int_max_str_digits(old)
    if draw(st.booleans()):  # and damage the text itself
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(max_size=6)) + text[at + draw(st.integers(0, 6)) :]
    return text


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_mutated())
def test_fuzzed_artifacts_raise_only_artifact_errors(text: str):
    try:
        loads(text, "fuzzed.ipynb")
    except ArtifactError as exc:
        assert str(exc).startswith("fuzzed.ipynb: ")


def test_an_upload_over_the_limit_is_refused_with_a_message_naming_it():
    from supervision_workbook.exchange import DownloadExchange, ExchangeError
    from supervision_workbook.exchange._base import MAX_ARTIFACT_BYTES as EXCHANGE_LIMIT

    assert EXCHANGE_LIMIT == MAX_ARTIFACT_BYTES  # one limit, whichever layer says it
    exchange = DownloadExchange()
    with pytest.raises(ExchangeError, match=r"is 12\.0 MB; a review file may be at most 10 MB"):
        exchange.receive("huge.ipynb", b" " * (12 * 2**20))
    assert exchange.staged == []


def test_a_fifo_is_refused_instead_of_waiting_for_a_writer(tmp_path: Path):
    import os

    fifo = tmp_path / "pipe.ipynb"
    os.mkfifo(fifo)
    with pytest.raises(ArtifactError, match="not a regular file"):
        load(fifo)
