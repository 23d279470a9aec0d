"""Start-up import cost of each workbook's first cell, with the top modules by -X importtime.

What is timed: a fresh ``python -X importtime`` that first imports what every kernel already
holds before a cell runs (``ipykernel.ipkernel`` and with it IPython), prints a marker, then
runs the notebook's first code cell with ``display`` bound to IPython's. Only the lines after
the marker count, so the figure is what the *cell* adds to a kernel, including the imports
its functions make lazily on the way to the first view (the workspace named by
``SUPERVISION_WORKBOOK_WORKSPACE`` is a small demo workspace).

Outside Voila no page ever claims the kernel, so ``ui.context.query_params`` returns ``{}``
at once instead of waiting: the cell runs to completion, as it does once a page arrives.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

MARKER = "--- swb-bench: cell starts ---"
_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)\s*$")

_PRELUDE = f"""
import sys, time
import ipykernel.ipkernel  # what a kernel holds before any cell runs
from IPython.display import display
sys.stderr.write({MARKER!r} + "\\n"); sys.stderr.flush()
_t0 = time.perf_counter()
"""
_EPILOGUE = """
sys.stderr.write("swb-bench-wall-ms %.3f\\n" % ((time.perf_counter() - _t0) * 1000))
"""


@dataclass
class ImportProfile:
    """What one run of a cell imported, after the kernel's own start-up."""

    total_ms: float  # sum of the top-level imports' cumulative times
    wall_ms: float  # wall time of the whole cell (imports and building the view)
    modules: int
    top: list[tuple[str, float]] = field(default_factory=list)  # (module, cumulative ms)
    top_self: list[tuple[str, float]] = field(default_factory=list)


def parse_importtime(stderr: str, marker: str = MARKER, top: int = 15) -> ImportProfile:
    """Parse ``-X importtime`` lines after ``marker``.

    Top-level entries (no indentation) are what the cell imported directly or through a
    function call; their cumulative times add up to the import cost. Nested entries are
    shown in the top list too, because "pydantic inside instruments" is what one acts on.
    """
    lines = stderr.splitlines()
    if marker in lines:
        lines = lines[lines.index(marker) + 1 :]
    entries: list[tuple[str, int, int, int]] = []  # module, self us, cumulative us, depth
    wall = 0.0
    for line in lines:
        if line.startswith("swb-bench-wall-ms "):
            wall = float(line.split()[1])
            continue
        match = _LINE.match(line)
        if match:
            self_us, cum_us, indent, name = match.groups()
            entries.append((name, int(self_us), int(cum_us), (len(indent) - 1) // 2))
    total_us = sum(cum for _n, _s, cum, depth in entries if depth == 0)
    by_cum = sorted(entries, key=lambda e: -e[2])[:top]
    by_self = sorted(entries, key=lambda e: -e[1])[:top]
    return ImportProfile(
        total_ms=total_us / 1000,
        wall_ms=wall,
        modules=len(entries),
        top=[(n, c / 1000) for n, _s, c, _d in by_cum],
        top_self=[(n, s / 1000) for n, s, _c, _d in by_self],
    )


def code_cells(notebook: Path, first_only: bool = True) -> str:
    """The source of a notebook's first code cell, or of all its code cells joined.

    Read as JSON: nothing is executed. A workbook has one code cell; the control keeps its
    imports and its build in two cells, so it is profiled with ``first_only=False``.
    """
    data = json.loads(notebook.read_text(encoding="utf-8"))
    sources: list[str] = []
    for cell in data.get("cells", []):
        if cell.get("cell_type") == "code":
            src = cell.get("source", "")
            sources.append("".join(src) if isinstance(src, list) else str(src))
            if first_only:
                break
    return "\n".join(sources)


def profile_cell(
    source: str, workspace: Path, env: dict[str, str] | None = None, timeout: float = 120.0
) -> ImportProfile:
    """Run ``source`` once in a fresh interpreter under ``-X importtime``."""
    run_env = dict(os.environ if env is None else env)
    run_env["SUPERVISION_WORKBOOK_WORKSPACE"] = str(workspace.resolve())
    for key in ("VOILA_PREHEAT", "QUERY_STRING", "PYTHONPROFILEIMPORTTIME"):
        run_env.pop(key, None)
    code = _PRELUDE + source + "\n" + _EPILOGUE
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=run_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-3:]
        raise RuntimeError(f"first cell failed ({time.perf_counter() - start:.1f} s): {tail}")
    return parse_importtime(proc.stderr)
