"""Scale: a workspace of many reviews, built by ``supervision-workbook demo``.

Each command runs as its own process, as a user would run it, timed by wall clock; its peak
memory is the child's own ``ru_maxrss`` from ``os.wait4`` (so the harness's memory never
counts). The dashboard's first view is measured in the browser like every other page
(see ``bench_browser``), against a Voila serving this workspace; its peak memory is the
kernel's RSS once the view has settled.

10,000 reviews = 50 trainees x 20 cases x (9 session workbooks + 1 case review): the demo
writes one review per session plus one case review per case. ``--quick`` uses 1,000.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

CLI = [sys.executable, "-m", "supervision_workbook.cli"]


@dataclass(frozen=True)
class Shape:
    trainees: int
    cases: int
    sessions: int

    @property
    def reviews(self) -> int:
        return self.trainees * self.cases * (self.sessions + 1)


FULL = Shape(trainees=50, cases=20, sessions=9)  # 10,000 reviews
QUICK = Shape(trainees=10, cases=10, sessions=9)  # 1,000 reviews


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss: int  # bytes
    returncode: int
    tail: str


def timed(command: list[str], cwd: Path | None = None) -> Run:
    """Run ``command``; wall time and the child's peak RSS (``ru_maxrss`` is in KiB on Linux)."""
    log = Path(tempfile.gettempdir()) / f"swb-bench-{os.getpid()}-{time.time_ns()}.log"
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, stdin=subprocess.DEVNULL
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    tail = log.read_text(errors="replace")[-2000:]
    log.unlink(missing_ok=True)
    return Run(seconds, usage.ru_maxrss * 1024, proc.returncode, tail)


def build(workspace: Path, shape: Shape, seed: int = 1) -> Run:
    return timed(
        [
            *CLI,
            "demo",
            str(workspace),
            "--trainees",
            str(shape.trainees),
            "--cases",
            str(shape.cases),
            "--sessions",
            str(shape.sessions),
            "--seed",
            str(seed),
        ]
    )


def rebuild_index(workspace: Path) -> Run:
    return timed([*CLI, "index", str(workspace), "--rebuild"])


def validate(workspace: Path) -> Run:
    return timed([*CLI, "validate", str(workspace / "reviews")])


def count_artifacts(workspace: Path) -> int:
    return sum(1 for _ in (workspace / "reviews").rglob("*.ipynb"))
