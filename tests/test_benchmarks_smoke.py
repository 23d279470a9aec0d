"""The benchmark harness's pure parts: verdicts, statistics, parsing, and the command line.

No timing is asserted here: performance budgets live in ``benchmarks/`` as printed figures,
because a timed assertion on a shared 2-core machine fails for reasons that are not bugs.
What is checked is that a measured figure turns into the right verdict, so that a slow app
can never be reported as passing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

from _harness import (  # noqa: E402 - the benchmarks are scripts, not a package
    MB,
    MISS,
    NA,
    PASS,
    Figure,
    Target,
    evaluate,
    human,
    issue_targets,
    median,
    percentile,
    ratio,
    results_payload,
    targets_table,
)
from bench_imports import MARKER, code_cells, parse_importtime  # noqa: E402


def test_a_workbook_slower_than_the_control_by_more_than_the_budget_misses() -> None:
    target = Target("tti.supervisee.ratio", "time to interactive / control", 1.3, "x")
    slow = Figure("tti.supervisee.ratio", "", ratio(3100.0, 2200.0), "x")
    [verdict] = evaluate([target], [slow])
    assert verdict.status == MISS
    assert verdict.value == pytest.approx(1.409, abs=1e-3)


def test_a_figure_exactly_at_the_budget_passes() -> None:
    target = Target("save.median", "save", 25, "ms")
    [verdict] = evaluate([target], [Figure("save.median", "", 25.0, "ms")])
    assert verdict.status == PASS


def test_a_measurement_that_failed_is_not_a_pass() -> None:
    target = Target("scale.index_rebuild.s", "index rebuild", 60, "s")
    [missing] = evaluate([target], [])
    [failed] = evaluate([target], [Figure("scale.index_rebuild.s", "", None, "s")])
    assert missing.status == NA
    assert failed.status == NA


def test_a_ratio_to_a_missing_or_zero_control_is_unknown_not_infinite() -> None:
    assert ratio(1.0, None) is None
    assert ratio(None, 1.0) is None
    assert ratio(1.0, 0.0) is None
    assert ratio(2.6, 2.0) == pytest.approx(1.3)


def test_p90_of_twenty_clicks_is_a_latency_that_one_click_really_had() -> None:
    samples = [float(x) for x in range(1, 21)]  # 1..20 ms
    assert percentile(samples, 90) == 18.0
    assert percentile(samples, 100) == 20.0
    assert percentile([], 90) is None
    assert median(samples) == 10.5
    with pytest.raises(ValueError, match=r"0\.\.100"):
        percentile(samples, 101)


def test_the_issue_budgets_are_all_there_once_per_workbook() -> None:
    targets = issue_targets(["supervisee", "caseload"])
    keys = [t.key for t in targets]
    assert len(keys) == len(set(keys))
    assert "tti.supervisee.ratio" in keys and "rss.caseload.ratio" in keys
    assert "bytes.supervisee.above_control" in keys
    limits = {t.key: t.limit for t in targets}
    assert limits["bytes.caseload.above_control"] == 1 * MB
    assert limits["latency.rating_to_chart.median"] == 150
    assert limits["scale.index_rebuild.s"] == 60


def test_the_table_shows_a_miss_loudly_and_the_json_keeps_every_value() -> None:
    targets = [
        Target("save.median", "save latency, median", 25, "ms"),
        Target("artifact.case_review_20.bytes", "artifact", 150_000, "B"),
    ]
    figures = [
        Figure("save.median", "save", 32.4, "ms", samples=[30.0, 32.4, 40.0]),
        Figure("artifact.case_review_20.bytes", "artifact", 120_500, "B"),
    ]
    verdicts = evaluate(targets, figures)
    table = targets_table(verdicts)
    assert "| save latency, median" in table and "MISS" in table
    assert "120.5 kB" in table and "pass" in table
    payload = json.loads(json.dumps(results_payload(figures, verdicts, {"nproc": 2}, {})))
    assert [t["status"] for t in payload["targets"]] == [MISS, PASS]
    assert payload["figures"][0]["samples"] == [30.0, 32.4, 40.0]


def test_sizes_and_times_read_like_a_person_would_write_them() -> None:
    assert human(5_200_000, "B") == "5.20 MB"
    assert human(-777, "B") == "-777 B"
    assert human(1.234, "x") == "1.23x"
    assert human(None, "ms") == "-"


def test_importtime_output_is_read_after_the_kernel_start_up_marker() -> None:
    stderr = "\n".join(
        [
            "import time:       100 |        100 | ipykernel",  # before the marker: not counted
            MARKER,
            "import time:       300 |        300 |     pydantic_core",
            "import time:       200 |        500 |   pydantic",
            "import time:      1000 |       1500 | supervision_workbook.config",
            "import time:        50 |         50 | json",
            "swb-bench-wall-ms 42.5",
        ]
    )
    profile = parse_importtime(stderr)
    assert profile.total_ms == pytest.approx(1.55)  # top-level entries only
    assert profile.wall_ms == 42.5
    assert profile.modules == 4
    assert profile.top[0] == ("supervision_workbook.config", 1.5)
    assert profile.top_self[0] == ("supervision_workbook.config", 1.0)


def test_the_control_notebook_is_bare_ipywidgets_and_a_plain_figure() -> None:
    control = BENCH / "control" / "control.ipynb"
    first = code_cells(control)
    everything = code_cells(control, first_only=False)
    assert "import ipywidgets" in first
    assert "supervision_workbook" not in everything  # no project code in the control
    assert "FigureWidget" not in everything
    assert "go.Figure()" in everything


def test_run_all_explains_itself() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "run_all.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--quick" in result.stdout and "--only" in result.stdout


def test_run_all_refuses_an_unknown_section() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "run_all.py"), "--only", "nonsense"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "unknown section" in result.stderr
