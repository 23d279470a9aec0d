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
def test_a_review_written_by_0_1_loads_with_its_cells_and_hash_verified(path: Path) -> None:
    loaded = load(path, strict=True)
    assert loaded.cells_verified, loaded.notes
    assert loaded.review.trainee.name


def test_the_signed_case_review_from_0_1_still_says_who_signed_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["validate", *map(str, FILES)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "4 artifacts valid" in err
    assert "signed off as 'Dr. Demo Supervisor', not signed with a key" in err
