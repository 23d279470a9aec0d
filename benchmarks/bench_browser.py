"""Page loads in headless Chromium: time to interactive, bytes, kernel RSS, interaction latency.

One browser, a fresh context (cold cache, no cookies) per page load: a class of thirty opening
the same Binder each pay the full first load. Each load records, from the same navigation:

- **time to interactive**: navigation start until the page shows as many widget views as it
  shows once settled *and* its chart(s), if it has any (see ``_probes.js``);
- **bytes**: every HTTP response's ``encodedDataLength`` (wire bytes, headers included) from
  the Chrome DevTools Protocol, plus every websocket frame's payload, both directions, from
  Playwright's websocket events, until the page is interactive and the network has been quiet
  for ``SETTLE_S``;
- **kernel RSS**: the kernel that Voila gave this page (``kernelId`` in the page's config)
  found among the server's children with psutil, read once the page has settled.

Loads of a workbook and of its control alternate (A B A B ...), so drift on a shared machine
hits both alike. After each load the page's kernel is shut down (as the page itself does on
``beforeunload``) and the harness waits until the server is quiet again, because Voila starts
a replacement preheated kernel in the background.

Requests to any host but 127.0.0.1 are sent to a closed local port by Chromium's proxy setting
(loopback is never proxied), so they fail at once without a per-request round trip through the
harness; they are counted and reported (Voila's lab template asks a CDN for icons).
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _voila import VoilaServer
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Everything that is not loopback goes to a closed port: offline, and fast to fail.
    "--proxy-server=http://127.0.0.1:9",
]
PROBES = (Path(__file__).resolve().parent / "_probes.js").read_text(encoding="utf-8")
SETTLE_S = 1.5
LOAD_TIMEOUT_S = 90.0


@dataclass
class PageSpec:
    """How to open one page and what to click for the interaction benchmark."""

    notebook: str
    query: dict[str, str] = field(default_factory=dict)
    #: CSS selectors clicked in turn for the interaction benchmark (each must change a rating).
    clicks: tuple[str, ...] = ()


@dataclass
class Load:
    """What one page load measured."""

    tti_ms: float | None
    controls_ms: float | None
    chart_ms: float | None
    http_bytes: int
    ws_in: int
    ws_out: int
    requests: int
    external: list[str]
    widgets: int
    charts: int
    kernel_rss: int | None
    kernel_id: str | None
    largest: list[tuple[str, int]]

    @property
    def total_bytes(self) -> int:
        return self.http_bytes + self.ws_in + self.ws_out


def _payload_len(payload: str | bytes) -> int:
    return len(payload.encode("utf-8")) if isinstance(payload, str) else len(payload)


class Browser:
    """A Playwright Chromium, started once per benchmark run; a context manager."""

    def __enter__(self) -> Browser:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self.browser = self._pw.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
        except Exception:
            self._pw.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(Exception):
            self.browser.close()
        self._pw.stop()

    # --- one page load -------------------------------------------------------------------
    def load(
        self,
        server: VoilaServer,
        spec: PageSpec,
        expect: Mapping[str, float] | None,
        *,
        keep_open: Callable[[Any], None] | None = None,
        viewport_height: int = 900,
    ) -> Load:
        """Open ``spec`` in a fresh context and measure it.

        ``expect`` is ``{"widgets": N, "charts": C}``; ``None`` means "learn": wait until the
        page's counts stop changing and report them (the warm-up load). ``keep_open`` is
        called with the page while it is still open (the interaction benchmark, which uses a
        tall viewport so that the ratings and the chart are on screen together: plotly's
        renderer draws only what is in view).
        """
        context = self.browser.new_context(viewport={"width": 1280, "height": viewport_height})
        init = (
            "window.__BENCH_EXPECT__ = "
            + json.dumps(
                dict(expect) if expect is not None else {"widgets": 10**9, "charts": 10**9}
            )
            + ";\n"
            + PROBES
        )
        context.add_init_script(init)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        net: dict[str, Any] = {
            "http": 0,
            "requests": 0,
            "last": time.monotonic(),
            "ws_in": 0,
            "ws_out": 0,
            "urls": {},
            "sizes": {},
        }
        external: list[str] = []

        def on_finished(event: dict[str, Any]) -> None:
            size = int(event.get("encodedDataLength", 0))
            net["http"] += size
            net["sizes"][event["requestId"]] = size
            net["last"] = time.monotonic()

        def on_response(event: dict[str, Any]) -> None:
            net["urls"][event["requestId"]] = event["response"]["url"]

        def on_request(request: Any) -> None:
            net["requests"] += 1
            net["last"] = time.monotonic()
            url = request.url
            if not url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
                external.append(url)

        def on_ws(ws: Any) -> None:
            def received(payload: str | bytes) -> None:
                net["ws_in"] += _payload_len(payload)
                net["last"] = time.monotonic()

            def sent(payload: str | bytes) -> None:
                net["ws_out"] += _payload_len(payload)
                net["last"] = time.monotonic()

            ws.on("framereceived", received)
            ws.on("framesent", sent)

        cdp.on("Network.loadingFinished", on_finished)
        cdp.on("Network.responseReceived", on_response)
        cdp.send("Network.enable")
        page.on("request", on_request)
        page.on("websocket", on_ws)
        kernel_id = None
        try:
            page.goto(
                server.url(spec.notebook, spec.query),
                wait_until="commit",
                timeout=LOAD_TIMEOUT_S * 1000,
            )
            deadline = time.monotonic() + LOAD_TIMEOUT_S
            if expect is None:
                counts = _wait_settled(page, net, deadline)
                state = {"tti": None, "controlsAt": None, "chartAt": None, **counts}
            else:
                # A page that never becomes interactive is a missing sample, never a time.
                with contextlib.suppress(PlaywrightTimeout):
                    page.wait_for_function(
                        "() => window.__bench && window.__bench.tti !== null",
                        timeout=LOAD_TIMEOUT_S * 1000,
                        polling=50,
                    )
                _wait_network_quiet(net, deadline)
                state = page.evaluate("() => window.__bench")
            kernel_id = page.evaluate(
                "() => { const el = document.getElementById('jupyter-config-data');"
                " return el ? JSON.parse(el.textContent).kernelId || null : null; }"
            )
            rss = None
            if kernel_id:
                proc = server.kernel_process(kernel_id)
                if proc is not None:
                    with contextlib.suppress(Exception):
                        rss = proc.memory_info().rss
            if keep_open is not None:
                keep_open(page)
            largest = sorted(
                ((net["urls"].get(rid, rid), size) for rid, size in net["sizes"].items()),
                key=lambda item: -item[1],
            )[:5]
            return Load(
                tti_ms=state.get("tti"),
                controls_ms=state.get("controlsAt"),
                chart_ms=state.get("chartAt"),
                http_bytes=net["http"],
                ws_in=net["ws_in"],
                ws_out=net["ws_out"],
                requests=net["requests"],
                external=external,
                widgets=int(state.get("widgets", 0)),
                charts=int(state.get("charts", 0)),
                kernel_rss=rss,
                kernel_id=kernel_id,
                largest=largest,
            )
        finally:
            with contextlib.suppress(Exception):
                context.close()
            if kernel_id:
                server.shutdown_kernel(kernel_id)
            server.wait_quiet()


def _wait_network_quiet(net: Mapping[str, Any], deadline: float) -> None:
    while time.monotonic() < deadline and time.monotonic() - net["last"] < SETTLE_S:
        time.sleep(0.1)


def _wait_settled(
    page: Any, net: Mapping[str, Any], deadline: float, stable_s: float = 2.5
) -> dict[str, int]:
    """Poll the page's widget and chart counts until they (and the network) stop changing."""
    last: dict[str, int] | None = None
    since = time.monotonic()
    while time.monotonic() < deadline:
        counts = page.evaluate("() => window.__benchCount ? window.__benchCount() : null")
        now = time.monotonic()
        if counts != last:
            last, since = counts, now
        elif (
            last
            and last["widgets"] > 0
            and now - since >= stable_s
            and now - net["last"] >= SETTLE_S
        ):
            return last
        time.sleep(0.1)
    raise TimeoutError(f"page did not settle; last counts {last}")


# --- interaction ----------------------------------------------------------------------------
def click_latencies(page: Any, clicks: Sequence[str], n: int, pause_s: float = 0.3) -> list[float]:
    """Click ``clicks`` in turn ``n`` times; each sample is mousedown -> chart redrawn, in ms."""
    samples: list[float] = []
    for i in range(n):
        selector = clicks[i % len(clicks)]
        page.evaluate("() => window.__benchArm()")
        page.locator(selector).first.click(timeout=10_000)
        page.wait_for_function(
            "() => window.__benchInt && window.__benchInt.done !== null",
            timeout=15_000,
            polling="raf",
        )
        run = page.evaluate("() => window.__benchInt")
        samples.append(float(run["done"]) - float(run["t0"]))
        time.sleep(pause_s)
    return samples
