"""The pure part of the benchmarks: figures, targets, statistics, the table and the JSON.

Why a separate module: the measuring scripts (browser, server, scale) are slow and need a
real Voila, a real Chromium and a real workspace; the logic that turns their samples into a
verdict is small and must be right, so it lives here, without side effects, and
``tests/test_benchmarks_smoke.py`` checks it in milliseconds.

Vocabulary:

- a :class:`Figure` is one measured number (a median, a ratio, a size) with its unit and a
  short note on how it was obtained; its ``key`` is stable so that runs can be compared;
- a :class:`Target` is a budget from issue 5 applied to one figure key: ``at most`` a limit;
- :func:`evaluate` pairs targets with figures and says ``pass``, ``miss`` or ``n/a`` (the
  figure could not be measured in this run, which is never reported as a pass).
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

PASS, MISS, NA = "pass", "miss", "n/a"

WORKBOOKS = ("index", "supervisee", "case_review", "caseload")
"""The Voila apps that are measured against the control, by notebook stem."""

MB = 1_000_000
KB = 1_000


@dataclass
class Figure:
    """One measured number. ``value`` is ``None`` when the measurement failed."""

    key: str
    label: str
    value: float | None
    unit: str
    note: str = ""
    samples: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """A budget: the figure named ``key`` must be at most ``limit`` (in the figure's unit)."""

    key: str
    label: str
    limit: float
    unit: str


@dataclass(frozen=True)
class Verdict:
    target: Target
    value: float | None
    status: str


def median(samples: Sequence[float]) -> float | None:
    """The median, or ``None`` for no samples (a failed measurement is not a zero)."""
    return statistics.median(samples) if samples else None


def percentile(samples: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..100): always one of the observed samples.

    Nearest-rank rather than interpolation because with 20 samples an interpolated p90 would
    report a latency that no click ever had.
    """
    if not samples:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, not {q}")
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def ratio(value: float | None, control: float | None) -> float | None:
    """``value / control``, or ``None`` when either is missing or the control is not positive."""
    if value is None or control is None or control <= 0:
        return None
    return value / control


def difference(value: float | None, control: float | None) -> float | None:
    if value is None or control is None:
        return None
    return value - control


def evaluate(targets: Iterable[Target], figures: Iterable[Figure]) -> list[Verdict]:
    """Each target with its figure's value: ``pass`` when at most the limit, else ``miss``."""
    by_key = {f.key: f for f in figures}
    verdicts: list[Verdict] = []
    for target in targets:
        figure = by_key.get(target.key)
        value = None if figure is None else figure.value
        if value is None or (isinstance(value, float) and math.isnan(value)):
            status = NA
        else:
            status = PASS if value <= target.limit else MISS
        verdicts.append(Verdict(target, value, status))
    return verdicts


def issue_targets(workbooks: Sequence[str] = WORKBOOKS) -> list[Target]:
    """The budgets of issue 5, one row per workbook where the budget is per page."""
    rows: list[Target] = []
    for wb in workbooks:
        rows.append(Target(f"tti.{wb}.ratio", f"time to interactive / control ({wb})", 1.3, "x"))
    for wb in workbooks:
        rows.append(Target(f"rss.{wb}.ratio", f"kernel RSS / control ({wb})", 1.3, "x"))
    for wb in workbooks:
        rows.append(
            Target(
                f"bytes.{wb}.above_control",
                f"bytes per page load above control ({wb})",
                1 * MB,
                "B",
            )
        )
    rows += [
        Target("latency.rating_to_chart.median", "interaction latency, median", 150, "ms"),
        Target("save.median", "save latency, median", 25, "ms"),
        Target(
            "artifact.case_review_20.bytes", "case-review artifact (20 sessions)", 150 * KB, "B"
        ),
        Target("scale.dashboard_first_view.s", "dashboard first view at scale", 2, "s"),
        Target("scale.index_rebuild.s", "index rebuild at scale (2 cores)", 60, "s"),
        # Issue 12: page weight where compression is on, and no slower than before.
        Target(
            "weight.gzip.index.bytes", "cold-cache bytes, page without charts (gzip)", 1.5 * MB, "B"
        ),
        Target(
            "weight.gzip.caseload.bytes", "cold-cache bytes, page with charts (gzip)", 3 * MB, "B"
        ),
        Target(
            "weight.gzip.index.tti_ratio", "time to interactive / control, gzip (index)", 1.0, "x"
        ),
        Target(
            "weight.gzip.caseload.tti_ratio",
            "time to interactive / control, gzip (caseload)",
            1.0,
            "x",
        ),
        Target(
            "weight.plain.index.tti_ratio", "time to interactive / control, plain (index)", 1.0, "x"
        ),
        Target(
            "weight.plain.caseload.tti_ratio",
            "time to interactive / control, plain (caseload)",
            1.0,
            "x",
        ),
        # Issue 13: closed pages end their kernels; memory stays flat.
        Target("pageviews.kernels_above_pool", "kernels above the pool after page views", 0, ""),
        Target("pageviews.rss_ratio", "kernel RSS after 100 / after 10 page views", 1.25, "x"),
    ]
    return rows


# --- formatting ---------------------------------------------------------------------------
def human(value: float | None, unit: str) -> str:
    """A number for a person: bytes as kB/MB, seconds and ms with sensible precision."""
    if value is None:
        return "-"
    if unit == "B":
        if abs(value) >= MB:
            return f"{value / MB:.2f} MB"
        if abs(value) >= KB:
            return f"{value / KB:.1f} kB"
        return f"{value:.0f} B"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "ms":
        return f"{value:.0f} ms" if abs(value) >= 10 else f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "":
        return f"{value:g}"
    return f"{value:.3g} {unit}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows]
    return "\n".join(out)


def figures_table(figures: Sequence[Figure]) -> str:
    """All figures as a Markdown table (the same text goes into docs/PERFORMANCE.md)."""
    rows = [[f.key, f.label, human(f.value, f.unit), f.note] for f in figures]
    return _table(["key", "figure", "value", "how"], rows)


def targets_table(verdicts: Sequence[Verdict]) -> str:
    """The issue's budgets with this run's values and pass / miss / n/a."""
    rows = [
        [
            v.target.label,
            f"at most {human(v.target.limit, v.target.unit)}",
            human(v.value, v.target.unit),
            v.status.upper() if v.status == MISS else v.status,
        ]
        for v in verdicts
    ]
    return _table(["target", "budget", "measured", "result"], rows)


# --- the machine and the JSON -------------------------------------------------------------
def machine_info() -> dict[str, object]:
    """What the figures were measured on: cores, memory, CPU model, key package versions."""
    info: dict[str, object] = {
        "nproc": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    from importlib import metadata

    versions: dict[str, str] = {}
    for dist in (
        "voila",
        "ipywidgets",
        "plotly",
        "anywidget",
        "ipykernel",
        "jupyter_server",
        "nbformat",
        "pydantic",
        "playwright",
    ):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    info["versions"] = versions
    return info


def results_payload(
    figures: Sequence[Figure],
    verdicts: Sequence[Verdict],
    machine: Mapping[str, object],
    meta: Mapping[str, object],
) -> dict[str, object]:
    """The JSON document written to benchmarks/results/latest.json."""
    return {
        "meta": dict(meta),
        "machine": dict(machine),
        "figures": [asdict(f) for f in figures],
        "targets": [
            {
                "key": v.target.key,
                "label": v.target.label,
                "limit": v.target.limit,
                "unit": v.target.unit,
                "value": v.value,
                "status": v.status,
            }
            for v in verdicts
        ],
    }


def write_json(path: Path, payload: Mapping[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)
