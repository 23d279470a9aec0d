"""Sections ``weight`` and ``pageviews`` of ``run_all.py`` (issues 12 and 13).

``weight``: cold-cache bytes and time to interactive of a page without charts (the landing
page) and of a page with charts (the caseload dashboard), on three servers running at once
with loads alternated between them: the **control** is Voila as ``serve`` ran it before
issue 12 (``python -m voila``, the lab template with its CDN fonts, every installed
extension, no gzip); **plain** is today's ``serve`` (our template, allow-listed extensions,
no gzip: the standalone default); **gzip** is the same with compression, as Binder and the
hub run it.

``pageviews``: 100 page views opened and closed in one browser context; kernels alive and
their memory after 10, 50 and 100 views (issue 13).
"""

from __future__ import annotations

from typing import Any

from _harness import Figure, median, ratio

WEIGHT_PAGES = ("index", "caseload")
MODES = ("control", "plain", "gzip")
PAGEVIEWS = 100
PAGEVIEW_CHECKPOINTS = (10, 50, 100)


def section_weight(ctx: Any) -> list[Figure]:
    from _voila import VoilaServer, served_folder
    from bench_browser import Browser, PageSpec

    workspace = ctx.small_workspace()
    served = served_folder()
    servers = {
        "control": VoilaServer(served, workspace, preheat=True, log_dir=ctx.tmp, stock=True),
        "plain": VoilaServer(served, workspace, preheat=True, log_dir=ctx.tmp),
        "gzip": VoilaServer(served, workspace, preheat=True, log_dir=ctx.tmp, compress=True),
    }
    figures: list[Figure] = []
    started = []
    try:
        for server in servers.values():
            started.append(server.start())
        for server in servers.values():
            server.wait_pools_filled(f"{wb}.ipynb" for wb in WEIGHT_PAGES)
            server.wait_quiet()
        with Browser() as browser:
            for wb in WEIGHT_PAGES:
                spec = PageSpec(f"{wb}.ipynb")
                learned = browser.load(servers["plain"], spec, None)
                expect = {"widgets": learned.widgets, "charts": 1 if learned.charts else 0}
                loads: dict[str, list[Any]] = {mode: [] for mode in MODES}
                for i in range(ctx.settings.page_loads):
                    for mode in MODES:
                        loads[mode].append(browser.load(servers[mode], spec, expect))
                    ctx.log(
                        f"   weight {wb} #{i + 1}: "
                        + ", ".join(
                            f"{m} {loads[m][-1].total_bytes / 1e6:.2f} MB {loads[m][-1].tti_ms} ms"
                            for m in MODES
                        )
                    )
                figures += _weight_figures(ctx, wb, loads)
    finally:
        for server in started:
            server.stop()
    return figures


def _weight_figures(ctx: Any, wb: str, loads: dict[str, list[Any]]) -> list[Figure]:
    figures = []
    tti = {m: median([x.tti_ms for x in loads[m] if x.tti_ms is not None]) for m in MODES}
    for mode in MODES:
        samples = loads[mode]
        external = sorted({url for x in samples for url in x.external})
        if external:
            ctx.notes[f"weight.{mode}.{wb}.external"] = "requests to other hosts: " + ", ".join(
                external
            )
        figures.append(
            Figure(
                f"weight.{mode}.{wb}.bytes",
                f"cold-cache bytes, {mode} ({wb})",
                median([x.total_bytes for x in samples]),
                "B",
                f"median of {len(samples)}; {len(external)} request(s) to other hosts",
                [x.total_bytes for x in samples],
            )
        )
        figures.append(
            Figure(
                f"weight.{mode}.{wb}.tti_ms",
                f"time to interactive, {mode} ({wb})",
                tti[mode],
                "ms",
                f"median of {len(samples)}, loads alternated between the three servers",
                [x.tti_ms for x in samples],
            )
        )
    for mode in ("plain", "gzip"):
        figures.append(
            Figure(
                f"weight.{mode}.{wb}.tti_ratio",
                f"time to interactive / control, {mode} ({wb})",
                ratio(tti[mode], tti["control"]),
                "x",
                "control: Voila as serve ran it before issue 12",
            )
        )
    return figures


def section_pageviews(ctx: Any) -> list[Figure]:
    from _voila import VoilaServer, served_folder
    from bench_pageviews import READY, run_views

    workspace = ctx.small_workspace()
    served = served_folder()
    views = PAGEVIEWS if not ctx.settings.quick else 30
    checkpoints = (*(c for c in PAGEVIEW_CHECKPOINTS if c < views), views)
    with VoilaServer(served, workspace, preheat=True, log_dir=ctx.tmp) as server:
        notebooks = sorted(p.name for p in served.glob("*.ipynb"))
        pool = len(notebooks)  # one preheated kernel per served notebook
        server.wait_pools_filled(notebooks)
        server.wait_quiet()
        results = run_views(server, views, pool, checkpoints, tuple(READY))
    ctx.details["pageviews"] = [r.__dict__ for r in results]
    first, last = results[0], results[-1]
    for r in results:
        ctx.log(f"   after {r.views} views: {r.kernels} kernels, {r.rss / 1e6:.0f} MB")
    return [
        Figure(
            "pageviews.kernels",
            f"kernels alive after {last.views} page views",
            float(last.kernels),
            "",
            f"the preheated pool is {pool}; pages closed with beforeunload",
        ),
        Figure(
            "pageviews.kernels_above_pool",
            f"kernels above the pool after {last.views} page views",
            float(last.kernels - pool),
            "",
            "",
        ),
        Figure(
            "pageviews.rss_bytes",
            f"kernel RSS after {last.views} page views",
            float(last.rss),
            "B",
            f"all kernels; after {first.views} views: {first.rss / 1e6:.0f} MB",
            [r.rss for r in results],
        ),
        Figure(
            "pageviews.rss_ratio",
            f"kernel RSS after {last.views} / after {first.views} page views",
            ratio(last.rss, first.rss),
            "x",
            f"{last.seconds:.0f} s for {last.views} views",
        ),
    ]
