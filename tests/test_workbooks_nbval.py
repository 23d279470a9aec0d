"""The workbook notebooks: thin, output-free, and executable headless.

A workbook notebook is what Voila serves; if it holds logic or stale outputs, the app drifts
from the tested package. So each is one code cell of one import and one display call, and
`pytest --nbval-lax workbooks/` must execute every one against a demo workspace.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKBOOKS = sorted((ROOT / "workbooks").glob("*.ipynb"))
EXPECTED = {"index.ipynb", "supervisee.ipynb", "case_review.ipynb", "caseload.ipynb"}


def test_the_four_workbooks_exist() -> None:
    assert {p.name for p in WORKBOOKS} >= EXPECTED


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_a_workbook_is_one_import_and_one_display_call_without_outputs(path: Path) -> None:
    nb = json.loads(path.read_text())
    code_cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code_cells) == 1, f"{path.name} should hold one code cell"
    cell = code_cells[0]
    assert cell["outputs"] == [] and cell["execution_count"] is None
    assert "widgets" not in nb["metadata"], "widget state must not be committed"
    tree = ast.parse("".join(cell["source"]))
    kinds = [type(node).__name__ for node in tree.body]
    assert kinds == ["ImportFrom", "Expr"], f"{path.name}: {kinds}"
    assert isinstance(tree.body[1].value, ast.Call)
    assert "FigureWidget" not in path.read_text()


@pytest.mark.slow
def test_every_workbook_executes_headless_with_nbval_lax(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [
            bin_dir / "supervision-workbook",
            "demo",
            str(ws),
            "--trainees",
            "1",
            "--cases",
            "2",
            "--sessions",
            "3",
            "--seed",
            "2",
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "SUPERVISION_WORKBOOK_WORKSPACE": str(ws)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "-p",
            "no:cacheprovider",
            "-q",
            "--rootdir",
            str(tmp_path),
            *map(str, WORKBOOKS),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert f"{len(WORKBOOKS)} passed" in proc.stdout
