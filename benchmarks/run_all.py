"""Run every benchmark of issue 5, print the table with each target's pass or miss, write JSON.

    .venv/bin/python benchmarks/run_all.py            # the full set (make bench)
    .venv/bin/python benchmarks/run_all.py --quick    # fewer repeats, 1,000-review scale
    .venv/bin/python benchmarks/run_all.py --only browser,save

These are scripts that print figures, not timed tests: a miss is reported, never raised.
The exit code is 0 when every section ran (whatever the verdicts) and 1 when a section
could not run, so a broken harness is not mistaken for a slow app.

Order matters on a 2-core machine: nothing runs concurrently with a measurement. Each
section cleans up its own servers and kernels (context managers, process groups).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _harness import (  # noqa: E402 - the benchmark modules live beside this script
    Figure,
    evaluate,
    figures_table,
    issue_targets,
    machine_info,
    results_payload,
    targets_table,
    write_json,
)

SECTIONS = ("imports", "save", "server", "browser", "weight", "pageviews", "scale")
DEFAULT_OUT = HERE / "results" / "latest.json"


@dataclass(frozen=True)
class Settings:
    """How much to measure; ``--quick`` shrinks everything for development runs."""

    quick: bool
    page_loads: int  # per page, time to interactive (issue: median of at least 5)
    server_requests: int  # per page and mode
    clicks: int  # interaction latency samples (issue: 20)
    saves: int  # save latency samples (issue: 100)
    import_runs: int
    dashboard_loads: int  # at scale
    scale: str  # "full" (10,000 reviews) or "quick" (1,000)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Settings:
        if args.quick:
            base = cls(True, 3, 2, 8, 30, 2, 2, "quick")
        else:
            base = cls(False, 5, 3, 20, 100, 3, 3, "full")
        if args.page_loads:
            base = cls(**{**base.__dict__, "page_loads": args.page_loads})
        if args.scale:
            base = cls(**{**base.__dict__, "scale": args.scale})
        return base


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run_all.py",
        description="Measure the performance budgets of issue 5 against a bare-widgets control "
        "served by the same Voila in the same run; print the table and write it as JSON.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer repeats and a 1,000-review scale workspace (development)",
    )
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run (default: all of {', '.join(SECTIONS)})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="JSON file to write (default: benchmarks/results/latest.json)",
    )
    parser.add_argument(
        "--page-loads",
        type=int,
        default=0,
        help="page loads per page for time to interactive (default 5; 3 with --quick)",
    )
    parser.add_argument(
        "--scale",
        choices=["full", "quick"],
        default=None,
        help="scale workspace: full = 10,000 reviews, quick = 1,000",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary workspaces and Voila logs (path is printed)",
    )
    return parser


def parse_sections(text: str) -> list[str]:
    chosen = [s.strip() for s in text.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        raise SystemExit(
            f"unknown section(s): {', '.join(unknown)}; choose from {', '.join(SECTIONS)}"
        )
    return [s for s in SECTIONS if s in chosen]


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    sections = parse_sections(args.only)
    settings = Settings.from_args(args)
    tmp = Path(tempfile.mkdtemp(prefix="swb-bench-"))
    figures: list[Figure] = []
    errors: dict[str, str] = {}
    timings: dict[str, float] = {}
    started = time.time()

    from _sections import Context

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    ctx = Context(tmp=tmp, settings=settings, log=log)
    try:
        for name in sections:
            section: Callable[[Context], list[Figure]] = getattr(
                __import__("_sections"), f"section_{name}"
            )
            ctx.log(f"== {name} ==")
            t0 = time.perf_counter()
            try:
                figures.extend(section(ctx))
            except Exception as exc:  # report it and go on with the next section
                errors[name] = f"{type(exc).__name__}: {exc}"
                ctx.log(traceback.format_exc())
            timings[name] = round(time.perf_counter() - t0, 1)
            ctx.log(f"   {name}: {timings[name]:.0f} s")
    finally:
        ctx.close()
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    workbooks = ctx.measured_workbooks or None
    targets = issue_targets(workbooks) if workbooks else issue_targets()
    verdicts = evaluate(targets, figures)
    machine = machine_info()
    meta = {
        "command": "benchmarks/run_all.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "quick": settings.quick,
        "sections": sections,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "seconds": round(time.time() - started, 1),
        "section_seconds": timings,
        "errors": errors,
        "notes": ctx.notes,
        "details": ctx.details,
    }
    write_json(args.out, results_payload(figures, verdicts, machine, meta))

    print()
    print(figures_table(figures))
    print()
    print(targets_table(verdicts))
    print()
    for key, note in ctx.notes.items():
        print(f"{key}: {note}")
    for name, error in errors.items():
        print(f"section {name} failed: {error}")
    print(f"\n{len(figures)} figures in {meta['seconds']:.0f} s; written to {args.out}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(run())
