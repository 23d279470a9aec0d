"""A faithful re-serialisation of a signed record is not tampering; any real edit still is.

Stories: a supervisor opens a signed case review in JupyterLab and does nothing; autosave
writes it back with ``3.0`` as ``3``, ``language_info`` filled in, its keys in another
order and another indentation. ``validate`` still calls it valid, with the same content
hash. The same holds for ``nbformat.writes(nbformat.reads(...))``. A change to what a
person reads (a cell's text, a chart's number) or to the record still fails.
"""

from __future__ import annotations

import json
from typing import Any

import nbformat
import pytest

from fixtures.reviews import CLIENT, case_review, signoff
from supervision_workbook.artifact import (
    METADATA_KEY,
    TamperedArtifact,
    amend,
    content_hash,
    dumps,
    integrity,
    loads,
    sign_off,
)
from supervision_workbook.model import Review

LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": "3.12.1",
}


def _signed_and_amended() -> Review:
    review = sign_off(case_review(), signoff())
    answers = [3.0, 4.0, 4.0, 4.0, 2.0, 4.0]
    return amend(
        review,
        "Dr. Ruth Kay",
        "The client's answers were entered one row off.",
        {"sessions.0.responses.0.answers": answers, "goals": "Agree a focus."},
    )


def _integral(value: Any) -> Any:
    """What JavaScript's JSON.stringify does to a float that is a whole number."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral(v) for v in value]
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in reversed(value.items())}  # and another key order
    return value


def jupyterlab_save(text: str, *, drop_ids: bool = False) -> str:
    """JupyterLab's autosave of an untouched notebook, as it changes the file."""
    notebook = _integral(json.loads(text))
    notebook["metadata"]["language_info"] = LANGUAGE_INFO
    if drop_ids:  # a front end that writes format 4.4 drops the cell ids
        notebook["nbformat_minor"] = 4
        for cell in notebook["cells"]:
            cell.pop("id", None)
    for cell in notebook["cells"]:
        cell["metadata"]["trusted"] = True
        if cell["cell_type"] == "code":
            cell["execution_count"] = None
    return json.dumps(notebook, indent=2, ensure_ascii=False) + "\n"


def nbformat_save(text: str) -> str:
    return nbformat.writes(nbformat.reads(text, as_version=4))


@pytest.fixture(scope="module")
def signed_text() -> str:
    return dumps(_signed_and_amended())


def test_the_simulated_save_really_rewrites_numbers_and_metadata(signed_text: str):
    resaved = jupyterlab_save(signed_text)
    assert '"answers": [\n' in resaved and "3.0" in signed_text
    amended = json.loads(resaved)["metadata"][METADATA_KEY]["record"]["amendments"][0]
    assert amended["changes"]["sessions.0.responses.0.answers"][0] == 3
    assert type(amended["changes"]["sessions.0.responses.0.answers"][0]) is int
    assert json.loads(resaved)["metadata"]["language_info"]["version"] == "3.12.1"


@pytest.mark.parametrize(
    "resave",
    [jupyterlab_save, lambda t: jupyterlab_save(t, drop_ids=True), nbformat_save],
    ids=["jupyterlab", "jupyterlab-4.4", "nbformat"],
)
def test_a_signed_record_saved_unchanged_by_an_editor_is_still_valid(signed_text, resave):
    original = loads(signed_text, "signed.ipynb")
    resaved = resave(signed_text)
    # nbformat writes the very bytes supervision-workbook writes; JupyterLab does not.
    assert (resaved == signed_text) == (resave is nbformat_save)
    loaded = loads(resaved, "signed.ipynb", strict=True)
    assert loaded.review == original.review
    assert loaded.content_hash == original.content_hash == content_hash(original.review)
    assert loaded.cells_verified


def test_an_editor_save_of_a_resaved_file_is_still_valid(signed_text: str):
    twice = nbformat_save(jupyterlab_save(nbformat_save(jupyterlab_save(signed_text))))
    assert loads(twice, "signed.ipynb", strict=True).review == loads(signed_text).review


@pytest.mark.parametrize(
    "edit",
    [
        lambda nb: nb["cells"][1].__setitem__("source", "## Summary\n\nNo alerts."),
        lambda nb: next(c for c in nb["cells"] if c["cell_type"] == "code" and c["outputs"])[
            "outputs"
        ][0]["data"]["application/vnd.plotly.v1+json"]["data"][0].__setitem__("y", [5] * 6),
        lambda nb: nb["metadata"][METADATA_KEY]["settings"]["alerts"].__setitem__("divergence", 3),
    ],
    ids=["summary-text", "chart-number", "alert-threshold"],
)
def test_a_change_to_what_a_person_reads_still_fails_after_an_editor_save(signed_text, edit):
    notebook = json.loads(jupyterlab_save(signed_text))
    edit(notebook)
    with pytest.raises(TamperedArtifact, match="differs from what the record produces"):
        loads(json.dumps(notebook), "signed.ipynb")


def test_a_change_to_the_record_still_fails_after_an_editor_save(signed_text: str):
    notebook = json.loads(jupyterlab_save(signed_text))
    record = notebook["metadata"][METADATA_KEY]["record"]
    record["amendments"][0]["changes"]["sessions.0.responses.0.answers"][0] = 2
    with pytest.raises(TamperedArtifact, match="content_hash does not match"):
        loads(json.dumps(notebook), "signed.ipynb")
    record["signoff"]["minutes"] = 1440
    notebook["metadata"][METADATA_KEY]["content_hash"] = "0" * 64
    with pytest.raises(TamperedArtifact):
        loads(json.dumps(notebook), "signed.ipynb")


def test_a_record_sealed_before_numbers_were_hashed_by_meaning_still_verifies():
    """Files amended by version 0.1 hashed ``3.0`` as written; they must not go bad."""
    review = _signed_and_amended()
    (amendment,) = review.amendments
    amendment.chain_hash = integrity._link(review.signoff.data_hash, amendment, legacy=True)
    assert amendment.chain_hash != integrity._link(review.signoff.data_hash, amendment)
    text = json.loads(dumps(review))
    block = text["metadata"][METADATA_KEY]
    block["record"] = review.model_dump(mode="json")  # as 0.1 wrote it: 3.0, not 3
    legacy_hash = integrity._sha256(integrity._canonical(block["record"]))
    assert legacy_hash != block["content_hash"]
    block["content_hash"] = legacy_hash
    loaded = loads(json.dumps(text), "old.ipynb")
    assert loaded.review == review
    assert loaded.review.sessions[0].responses[0].instrument_id == CLIENT
