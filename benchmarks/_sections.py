"""The sections of ``run_all.py``: each measures one group of figures and returns them.

Keys are stable (``tti.supervisee.ratio``) so that ``_harness.issue_targets`` can name them
and runs can be compared. Every page figure comes with its control from the same run.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _harness import MB, WORKBOOKS, Figure, difference, median, percentile, ratio
from _sections_weight import section_pageviews, section_weight

__all__ = ["section_pageviews", "section_weight"]  # run_all.py finds sections here by name

HERE = Path(__file__).resolve().parent
CONTROL = "control.ipynb"

# What to click for the interaction benchmark, per page: each selector picks a different
# scale point of the first rating item, so every click is a change. The control's first
# widget is a ToggleButtons with the points 1..5.
CLICKS: dict[str, tuple[str, ...]] = {
    "control": (".widget-toggle-button >> nth=1", ".widget-toggle-button >> nth=3"),
    "supervisee": (
        ".swb-likert fieldset >> nth=0 >> label.swb-likert-option >> nth=1",
        ".swb-likert fieldset >> nth=0 >> label.swb-likert-option >> nth=3",
    ),
}
# Clicks that bring the chart on screen first: the supervisee's chart is on its second step
# ("Alliance"), beside the client's and the therapist's ratings.
PREPARE: dict[str, tuple[str, ...]] = {"supervisee": (".swb-next",)}
LATENCY_PAGE = "supervisee"  # the "rating change until the chart has redrawn"


@dataclass
class Context:
    tmp: Path
    settings: Any
    log: Callable[[str], None]
    notes: dict[str, str] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    measured_workbooks: list[str] = field(default_factory=list)
    _small: Path | None = None

    def small_workspace(self) -> Path:
        """The demo workspace (3 trainees x 2 cases x 8 sessions) the pages are opened on."""
        if self._small is None:
            path = self.tmp / "workspace"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "supervision_workbook.cli",
                    "demo",
                    str(path),
                    "--seed",
                    "7",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                stdin=subprocess.DEVNULL,
            )
            self._small = path
        return self._small

    def close(self) -> None:
        """Nothing long-lived is kept here: servers and browsers close in their sections."""


# --- pages --------------------------------------------------------------------------------
def workbook_queries(workspace: Path) -> dict[str, dict[str, str]]:
    """The query string each workbook is opened with: the case with the most sessions."""
    from supervision_workbook.store import Workspace

    rows = Workspace(workspace).index.caseload()
    if not rows:
        return {wb: {} for wb in WORKBOOKS}
    row = max(rows, key=lambda r: (r.sessions, r.case_id))
    case = {"trainee": row.trainee_id, "case": row.case_id}
    return {"index": {}, "caseload": {}, "supervisee": case, "case_review": case}


def present_workbooks() -> list[str]:
    from _voila import available_workbooks

    found = available_workbooks()
    return [wb for wb in WORKBOOKS if wb in found]


# --- imports ------------------------------------------------------------------------------
def section_imports(ctx: Context) -> list[Figure]:
    from _voila import available_workbooks
    from bench_imports import code_cells, profile_cell

    workspace = ctx.small_workspace()
    notebooks = {
        stem: (path, True) for stem, path in available_workbooks().items() if stem in WORKBOOKS
    }
    notebooks["control"] = (HERE / "control" / CONTROL, False)
    figures: list[Figure] = []
    totals: dict[str, float] = {}
    for stem, (path, first_only) in notebooks.items():
        source = code_cells(path, first_only)
        profile_cell(source, workspace)  # warm the page cache: the first run reads from disk
        runs = [profile_cell(source, workspace) for _ in range(ctx.settings.import_runs)]
        runs.sort(key=lambda p: p.total_ms)
        mid = runs[len(runs) // 2]
        totals[stem] = mid.total_ms
        top3 = ", ".join(f"{m} {ms:.0f}" for m, ms in mid.top[:3])
        figures.append(
            Figure(
                f"imports.{stem}.ms",
                f"first-cell imports ({stem})",
                mid.total_ms,
                "ms",
                f"median of {len(runs)}; {mid.modules} modules; top: {top3}",
                [p.total_ms for p in runs],
            )
        )
        figures.append(
            Figure(
                f"imports.{stem}.cell_ms",
                f"first cell, imports + build ({stem})",
                median([p.wall_ms for p in runs]),
                "ms",
                "outside Voila, no page wait",
            )
        )
        ctx.details[f"importtime.{stem}"] = {"cumulative_ms": mid.top, "self_ms": mid.top_self}
    for stem, total in totals.items():
        if stem != "control":
            figures.append(
                Figure(
                    f"imports.{stem}.ratio",
                    f"first-cell imports / control ({stem})",
                    ratio(total, totals.get("control")),
                    "x",
                    "informational",
                )
            )
    return figures


# --- save ---------------------------------------------------------------------------------
def section_save(ctx: Context) -> list[Figure]:
    from bench_save import case_review_sizes, save_latencies

    samples, size = save_latencies(ctx.settings.saves)
    sizes = case_review_sizes(20)
    worst = max(sizes, key=sizes.get) if sizes else None
    detail = ", ".join(f"{k} {v / 1000:.0f} kB" for k, v in sizes.items())
    return [
        Figure(
            "save.median",
            "save latency of a session review, median",
            median(samples),
            "ms",
            f"median of {len(samples)} re-saves through Workspace.save",
            samples,
        ),
        Figure("save.p90", "save latency, p90", percentile(samples, 90), "ms", "nearest rank"),
        Figure("artifact.session.bytes", "session-review artifact", size, "B", "one session"),
        Figure(
            "artifact.case_review_20.bytes",
            "case-review artifact, 20 sessions",
            sizes.get(worst) if worst else None,
            "B",
            f"largest of: {detail}",
        ),
    ]


# --- server -------------------------------------------------------------------------------
def section_server(ctx: Context) -> list[Figure]:
    from _voila import VoilaServer, served_folder
    from bench_server import measure

    workspace = ctx.small_workspace()
    queries = workbook_queries(workspace)
    pages = [*present_workbooks(), "control"]
    served = served_folder()
    figures: list[Figure] = []
    for mode, preheat in (("preheated", True), ("cold", False)):
        with VoilaServer(served, workspace, preheat=preheat, log_dir=ctx.tmp) as server:
            server.wait_pools_filled(CONTROL if p == "control" else f"{p}.ipynb" for p in pages)
            server.wait_quiet()
            firsts: dict[str, float | None] = {}
            for page in pages:
                nb = CONTROL if page == "control" else f"{page}.ipynb"
                query = {} if page == "control" else queries.get(page, {})
                responses = measure(server, nb, query, ctx.settings.server_requests)
                first = median([r.first_byte_ms for r in responses])
                firsts[page] = first
                figures.append(
                    Figure(
                        f"server.{mode}.{page}.first_byte_ms",
                        f"server first byte, {mode} ({page})",
                        first,
                        "ms",
                        f"median of {len(responses)}",
                        [r.first_byte_ms for r in responses],
                    )
                )
                figures.append(
                    Figure(
                        f"server.{mode}.{page}.complete_ms",
                        f"server whole page, {mode} ({page})",
                        median([r.complete_ms for r in responses]),
                        "ms",
                        f"median of {len(responses)}; {responses[-1].size / 1000:.0f} kB of HTML",
                    )
                )
            for page in pages:
                if page != "control":
                    figures.append(
                        Figure(
                            f"server.{mode}.{page}.ratio",
                            f"server first byte / control, {mode} ({page})",
                            ratio(firsts[page], firsts["control"]),
                            "x",
                            "informational",
                        )
                    )
    return figures


# --- browser ------------------------------------------------------------------------------
def _page_figures(wb: str, loads: list, controls: list) -> list[Figure]:
    tti = median([x.tti_ms for x in loads if x.tti_ms is not None])
    ctl_tti = median([x.tti_ms for x in controls if x.tti_ms is not None])
    rss = median([x.kernel_rss for x in loads if x.kernel_rss])
    ctl_rss = median([x.kernel_rss for x in controls if x.kernel_rss])
    total = median([x.total_bytes for x in loads])
    ctl_total = median([x.total_bytes for x in controls])
    ws_in = median([x.ws_in + x.ws_out for x in loads])
    ctl_ws = median([x.ws_in + x.ws_out for x in controls])
    n = len(loads)
    return [
        Figure(
            f"tti.{wb}.ms",
            f"time to interactive ({wb})",
            tti,
            "ms",
            f"median of {n}; {loads[0].widgets} widget views, {loads[0].charts} chart(s)",
            [x.tti_ms for x in loads],
        ),
        Figure(
            f"tti.{wb}.control_ms",
            f"time to interactive, control for {wb}",
            ctl_tti,
            "ms",
            f"median of {len(controls)}; {controls[0].widgets} widget views, "
            f"{controls[0].charts} chart(s)",
            [x.tti_ms for x in controls],
        ),
        Figure(
            f"tti.{wb}.ratio",
            f"time to interactive / control ({wb})",
            ratio(tti, ctl_tti),
            "x",
            "same run, loads alternated",
        ),
        Figure(
            f"rss.{wb}.bytes",
            f"kernel RSS after render ({wb})",
            rss,
            "B",
            f"median of {n}",
            [x.kernel_rss for x in loads if x.kernel_rss],
        ),
        Figure(f"rss.{wb}.control_bytes", f"kernel RSS, control for {wb}", ctl_rss, "B", ""),
        Figure(f"rss.{wb}.ratio", f"kernel RSS / control ({wb})", ratio(rss, ctl_rss), "x", ""),
        Figure(
            f"bytes.{wb}.total",
            f"bytes per page load ({wb})",
            total,
            "B",
            f"HTTP {median([x.http_bytes for x in loads]) / MB:.2f} MB + websocket "
            f"{ws_in / 1000:.0f} kB",
        ),
        Figure(
            f"bytes.{wb}.control",
            f"bytes per page load, control for {wb}",
            ctl_total,
            "B",
            f"websocket {ctl_ws / 1000:.0f} kB",
        ),
        Figure(
            f"bytes.{wb}.above_control",
            f"bytes per page load above control ({wb})",
            difference(total, ctl_total),
            "B",
            "",
        ),
    ]


def _expect(learned: Any) -> dict[str, int]:
    """Interactive = the settled page's widget views *and the first chart* (issue 5)."""
    return {"widgets": learned.widgets, "charts": 1 if learned.charts else 0}


def section_browser(ctx: Context) -> list[Figure]:
    from _voila import VoilaServer, served_folder
    from bench_browser import Browser

    workspace = ctx.small_workspace()
    queries = workbook_queries(workspace)
    workbooks = present_workbooks()
    served = served_folder()
    figures: list[Figure] = []
    server = VoilaServer(served, workspace, preheat=True, log_dir=ctx.tmp)
    with server, Browser() as browser:
        server.wait_pools_filled([*(f"{wb}.ipynb" for wb in workbooks), CONTROL])
        server.wait_quiet()
        for wb in workbooks:
            try:
                figures += _browse(ctx, browser, server, wb, queries.get(wb, {}))
            except Exception as exc:  # one failed page must not lose the others' figures
                ctx.notes[f"browser.{wb}"] = f"not measured: {type(exc).__name__}: {exc}"
    return figures


def _browse(
    ctx: Context, browser: Any, server: Any, wb: str, query: dict[str, str]
) -> list[Figure]:
    """Warm-up, then alternating loads of ``wb`` and its control; latency where it applies."""
    from bench_browser import PageSpec

    figures: list[Figure] = []
    n = ctx.settings.page_loads
    spec = PageSpec(f"{wb}.ipynb", query, CLICKS.get(wb, ()))
    learned = browser.load(server, spec, None)  # warm-up: what the settled page shows
    expect = _expect(learned)
    chart = "1" if learned.charts else "0"
    control = PageSpec(
        CONTROL, {"widgets": str(learned.widgets), "chart": chart}, CLICKS["control"]
    )
    ctl_expect = _expect(browser.load(server, control, None))
    ctx.log(f"   {wb}: {expect} (control {ctl_expect})")
    loads, controls = [], []
    for i in range(n):
        loads.append(browser.load(server, spec, expect))
        controls.append(browser.load(server, control, ctl_expect))
        ctx.log(f"   {wb} #{i + 1}: {loads[-1].tti_ms} ms; control {controls[-1].tti_ms} ms")
    figures += _page_figures(wb, loads, controls)
    ctx.details[f"largest_responses.{wb}"] = loads[0].largest
    if learned.external:
        ctx.notes["blocked"] = "requests blocked (not 127.0.0.1): " + ", ".join(
            sorted(set(learned.external))
        )
    ctx.measured_workbooks.append(wb)
    if wb == LATENCY_PAGE and spec.clicks:
        for page_spec, page_expect, name in (
            (spec, expect, "rating_to_chart"),
            (control, ctl_expect, "control"),
        ):
            try:
                figures += _latency(ctx, browser, server, page_spec, page_expect, name)
            except Exception as exc:  # one failed page must not lose the others
                ctx.notes[f"latency.{name}"] = f"not measured: {type(exc).__name__}: {exc}"
    return figures


def _latency(
    ctx: Context, browser: Any, server: Any, spec: Any, expect: dict, name: str
) -> list[Figure]:
    from bench_browser import click_latencies

    samples: list[float] = []

    def clicks(page: Any) -> None:
        for selector in PREPARE.get(name if name != "rating_to_chart" else LATENCY_PAGE, ()):
            page.locator(selector).first.click(timeout=10_000)
        # The supervisee's trajectory appears once the new session has a rating: one click
        # first, unmeasured, so that every sample is a redraw of a chart already on screen.
        page.locator(spec.clicks[-1]).first.click(timeout=10_000)
        page.wait_for_function("() => window.__benchCount().charts >= 1", timeout=90_000)
        time.sleep(1.0)
        samples.extend(click_latencies(page, spec.clicks, ctx.settings.clicks))

    browser.load(server, spec, expect, keep_open=clicks, viewport_height=3000)
    return [
        Figure(
            f"latency.{name}.median",
            f"interaction latency, median ({name})",
            median(samples),
            "ms",
            f"mousedown to chart redrawn, {len(samples)} clicks",
            samples,
        ),
        Figure(
            f"latency.{name}.p90",
            f"interaction latency, p90 ({name})",
            percentile(samples, 90),
            "ms",
            "nearest rank",
        ),
    ]


# --- scale --------------------------------------------------------------------------------
def section_scale(ctx: Context) -> list[Figure]:
    import bench_scale
    from _voila import VoilaServer, served_folder
    from bench_browser import Browser, PageSpec

    shape = bench_scale.FULL if ctx.settings.scale == "full" else bench_scale.QUICK
    workspace = ctx.tmp / "scale-workspace"
    figures: list[Figure] = []
    label = f"{shape.reviews:,} reviews"

    def add(key: str, what: str, run: bench_scale.Run, extra: str = "") -> None:
        ok = "" if run.returncode == 0 else f"; exit code {run.returncode}"
        if run.returncode != 0:
            lines = run.tail.strip().splitlines()
            ctx.notes[f"scale.{key}"] = lines[-1] if lines else ""
        figures.append(
            Figure(f"scale.{key}.s", f"{what} at {label}", run.seconds, "s", f"one run{extra}{ok}")
        )
        figures.append(
            Figure(
                f"scale.{key}.peak_bytes",
                f"{what}, peak memory",
                run.peak_rss,
                "B",
                "ru_maxrss of the process",
            )
        )

    ctx.log(f"   building {label} ({shape})")
    add("build", "demo generation", bench_scale.build(workspace, shape))
    count = bench_scale.count_artifacts(workspace)
    ctx.notes["scale.count"] = f"{count} artifacts in the scale workspace"
    add("index_rebuild", "index --rebuild", bench_scale.rebuild_index(workspace))
    add("validate", "validate", bench_scale.validate(workspace))

    served = served_folder()
    server = VoilaServer(served, workspace, preheat=True, log_dir=ctx.tmp)
    with server, Browser() as browser:
        with contextlib.suppress(TimeoutError):
            server.wait_pools_filled(["caseload.ipynb"])
        server.wait_quiet()
        spec = PageSpec("caseload.ipynb")
        learned = browser.load(server, spec, None)
        expect = _expect(learned)
        loads = [browser.load(server, spec, expect) for _ in range(ctx.settings.dashboard_loads)]
    tti = median([x.tti_ms for x in loads if x.tti_ms is not None])
    figures += [
        Figure(
            "scale.dashboard_first_view.s",
            f"caseload dashboard first view at {label}",
            None if tti is None else tti / 1000,
            "s",
            f"browser, median of {len(loads)}; {learned.widgets} widget views, "
            f"{learned.charts} charts",
            [x.tti_ms for x in loads],
        ),
        Figure(
            "scale.dashboard.kernel_rss_bytes",
            "caseload dashboard kernel RSS at scale",
            median([x.kernel_rss for x in loads if x.kernel_rss]),
            "B",
            "after the first view",
        ),
        Figure(
            "scale.dashboard.bytes",
            "caseload dashboard bytes per page load at scale",
            median([x.total_bytes for x in loads]),
            "B",
            f"websocket {median([x.ws_in for x in loads]) / 1000:.0f} kB in",
        ),
    ]
    return figures
