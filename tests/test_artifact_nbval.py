"""A saved artifact re-executes to its own outputs: strict ``pytest --nbval`` passes on it.

The subprocess runs nbval with this interpreter. The artifact names the ``python3`` kernel;
the environment below hides the user's own Jupyter and IPython folders (a personal
``python3`` kernelspec pointing at another interpreter, or an IPython start-up script that
prints, would break the run), so the kernelspec comes from this environment
(``.venv/share/jupyter/kernels/python3``, whose ``python`` command jupyter_client replaces
with the running interpreter). The first test checks exactly that.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest

from fixtures.nbval import isolated_env
from fixtures.reviews import case_review, signoff
from supervision_workbook.artifact import amend, dumps, sign_off
from supervision_workbook.artifact.replay import PLOTLY_MIME


def saved_case_review(folder: Path) -> Path:
    """A signed, amended case review: six sessions, two ruptures, a check-in, many alerts."""
    review = sign_off(case_review(), signoff())
    review = amend(
        review,
        "Dr. Ruth Kay",
        "Minutes were 90.",
        {"signoff.minutes": 90},
        at=datetime(2026, 3, 9, tzinfo=timezone.utc),
    )
    path = folder / "2026-03-02_case_review_rv-case-0001.ipynb"
    path.write_text(dumps(review), encoding="utf-8")
    return path


def test_the_artifacts_python3_kernel_is_this_interpreter(tmp_path: Path):
    code = (
        "from jupyter_client.manager import KernelManager; "
        "print(KernelManager(kernel_name='python3').format_kernel_cmd()[0])"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=isolated_env(tmp_path),
        check=True,
        timeout=120,
    )
    assert proc.stdout.strip() == sys.executable
    saved = json.loads(saved_case_review(tmp_path).read_text(encoding="utf-8"))
    assert saved["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.slow
def test_a_saved_case_review_passes_strict_nbval_and_a_doctored_copy_fails(tmp_path: Path):
    path = saved_case_review(tmp_path)
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert len(code_cells) == 5 and all(c.execution_count for c in code_cells)

    # The control: nbval must notice a changed number in a stored chart.
    doctored = json.loads(path.read_text(encoding="utf-8"))
    chart = next(c for c in doctored["cells"] if c["id"] == "chart-trajectory")
    chart["outputs"][0]["data"][PLOTLY_MIME]["data"][0]["y"][2] = 4.5
    (tmp_path / "doctored.ipynb").write_text(json.dumps(doctored), encoding="utf-8")

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "-p",
            "no:cacheprovider",
            "-q",
            "--rootdir",
            str(tmp_path),
            str(path),
            str(tmp_path / "doctored.ipynb"),
        ],
        capture_output=True,
        text=True,
        env=isolated_env(tmp_path),
        cwd=tmp_path,
        timeout=600,
    )
    report = proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "1 failed, 9 passed" in proc.stdout, report
    assert (
        "doctored.ipynb::Cell 1 FAILED" in proc.stdout
        or "FAILED doctored.ipynb::Cell 1" in proc.stdout
    ), report
    assert "mismatch 'application/vnd.plotly.v1+json'" in proc.stdout, report
