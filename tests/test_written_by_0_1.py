"""Reviews written by version 0.1 keep loading, unchanged, in every later version.

A training program keeps years of reviews. The files under ``tests/data/written-by-0.1`` were
written by ``supervision-workbook demo`` at version 0.1 (one trainee, one case, three sessions
and a signed-off case review) and are never regenerated: when a change to the model would make
an old record fail, or change its hash, these tests fail first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from supervision_workbook.artifact import load
from supervision_workbook.cli import main

OLD = Path(__file__).parent / "data" / "written-by-0.1"
FILES = sorted(OLD.glob("*.ipynb"))


def test_the_old_files_are_there() -> None:
    assert len(FILES) == 4


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_review_written_by_0_1_loads_with_its_record_and_hash_verified(path: Path) -> None:
    loaded = load(path, strict=True)
    assert loaded.review.trainee.name
    # 0.2 changed the alert rules and our check-ins' wording, so 0.1's cells are not rebuilt
    # and compared; the record, the hash chain and the signatures are.
    assert not loaded.cells_verified
    assert loaded.notes == (
        "its cells were written by supervision-workbook 0.1.0, whose alert rules and "
        "instrument definitions differ from today's, and were not compared; its record, "
        "hash chain and signatures were checked",
    )


def test_the_signed_case_review_from_0_1_still_says_who_signed_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["validate", *map(str, FILES)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "4 artifacts valid" in err
    assert "signed off as 'Dr. Demo Supervisor', not signed with a key" in err


# --- a claim to be 0.1 is checked, not believed ------------------------------------------------


def _case_review_text() -> str:
    return next(p for p in FILES if "case_review" in p.name).read_text(encoding="utf-8")


def _with_edited_summary(text: str) -> str:
    import json

    nb = json.loads(text)
    for cell in nb["cells"]:
        if cell.get("id") == "summary":
            cell["source"] = ["## Summary\n", "\n", "No flags. Nothing to discuss.\n"]
    return json.dumps(nb, indent=1)


def test_an_old_file_with_an_edited_summary_still_loads_as_0_1_wrote_it_but_says_so() -> None:
    """The cells of a real 0.1 file are not compared (today's rules would write others);
    the note says so, so nobody takes its cells as checked."""
    from supervision_workbook.artifact import loads

    loaded = loads(_with_edited_summary(_case_review_text()), "old.ipynb")
    assert not loaded.cells_verified
    assert any("written by supervision-workbook 0.1.0" in n for n in loaded.notes)


def test_a_file_claiming_0_1_with_a_fingerprint_0_1_never_shipped_is_compared_and_fails() -> None:
    import json

    from supervision_workbook.artifact import TamperedArtifact, loads
    from supervision_workbook.artifact._build import METADATA_KEY

    nb = json.loads(_with_edited_summary(_case_review_text()))
    settings = nb["metadata"][METADATA_KEY]["settings"]
    settings["instruments"]["srs"] = {"sha256": "0" * 64}
    with pytest.raises(TamperedArtifact):
        loads(json.dumps(nb, indent=1), "forged.ipynb")


def test_a_file_claiming_0_1_cannot_carry_a_script() -> None:
    import json

    from supervision_workbook.artifact import ArtifactError, loads

    nb = json.loads(_case_review_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["outputs"] = [
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {"text/html": ["<script>alert(1)</script>"]},
        }
    ]
    with pytest.raises(ArtifactError):
        loads(json.dumps(nb, indent=1), "scripted.ipynb")
