"""Kernels and kernel memory over many page views (issue 13: "every page view leaves a kernel").

Each view opens a workbook in the same browser context (a person reloading the dashboard
all day), waits for its widgets, and closes the page the way a browser does, running
``beforeunload``: the page's own shutdown beacon is what ends its kernel, not the harness.
After every ``checkpoint`` views the harness lets the server settle (the pool refills, the
closed pages' kernels end) and records how many kernels are alive and their summed RSS.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench_browser import CHROMIUM, CHROMIUM_ARGS

#: What each workbook shows once ready; the views alternate between them.
READY = {
    "index.ipynb": ".swb-workbook-link",
    "caseload.ipynb": ".swb-caseload-table",
}
VIEW_TIMEOUT_MS = 90_000


@dataclass
class Checkpoint:
    views: int
    kernels: int
    rss: int
    seconds: float


def kernel_rss(server: Any) -> tuple[int, int]:
    """How many kernels the server runs now, and their summed resident memory."""
    count = total = 0
    for proc in server.kernel_processes():
        with contextlib.suppress(Exception):
            total += proc.memory_info().rss
            count += 1
    return count, total


def settle(server: Any, pool: int, timeout: float = 30.0) -> None:
    """Wait until at most ``pool`` kernels are left (or the timeout), then for quiet CPU."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and kernel_rss(server)[0] > pool:
        time.sleep(0.5)
    server.wait_quiet()


def run_views(
    server: Any,
    views: int,
    pool: int,
    checkpoints: Sequence[int],
    notebooks: Sequence[str] = tuple(READY),
) -> list[Checkpoint]:
    """Open and close ``views`` pages; return the kernel count and RSS at each checkpoint."""
    from playwright.sync_api import sync_playwright

    results: list[Checkpoint] = []
    started = time.monotonic()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            for view in range(1, views + 1):
                notebook = notebooks[(view - 1) % len(notebooks)]
                page = context.new_page()
                try:
                    page.goto(server.url(notebook), wait_until="commit", timeout=VIEW_TIMEOUT_MS)
                    page.locator(READY[notebook]).first.wait_for(
                        state="visible", timeout=VIEW_TIMEOUT_MS
                    )
                finally:
                    page.close(run_before_unload=True)
                if view in checkpoints:
                    settle(server, pool)
                    count, rss = kernel_rss(server)
                    results.append(Checkpoint(view, count, rss, time.monotonic() - started))
            context.close()
        finally:
            browser.close()
    return results
