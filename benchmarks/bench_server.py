"""Server time to first response, with preheated kernels and without, over plain HTTP.

No browser: a raw ``http.client`` request for the page, timed to the first byte of the body
(what a user waits for before anything can appear) and to the end of the streamed page
(Voila streams cells as they execute; the last byte arrives when the notebook has run).
Each request claims a kernel, which is shut down afterwards; with preheated kernels the
harness then waits for Voila to refill its pool, so every sample starts from the same state.
"""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from _voila import VoilaServer

_KERNEL_ID = re.compile(rb'"kernelId":\s*"([0-9a-f-]{8,})"')


@dataclass(frozen=True)
class Response:
    first_byte_ms: float
    complete_ms: float
    status: int
    size: int
    kernel_id: str | None


def fetch(
    server: VoilaServer, notebook: str, query: dict[str, str] | None = None, timeout: float = 120.0
) -> Response:
    """GET one page; times from just before the request to the first body byte and to EOF."""
    parts = urlsplit(server.url(notebook, query))
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    path = f"{parts.path}?{parts.query}"
    try:
        start = time.perf_counter()
        conn.request("GET", path)
        resp = conn.getresponse()
        first = resp.read1(65536) if resp.status == 200 else b""
        first_at = time.perf_counter()
        body = first + resp.read()
        done_at = time.perf_counter()
    finally:
        conn.close()
    match = _KERNEL_ID.search(body)
    return Response(
        first_byte_ms=(first_at - start) * 1000,
        complete_ms=(done_at - start) * 1000,
        status=resp.status,
        size=len(body),
        kernel_id=match.group(1).decode() if match else None,
    )


def measure(
    server: VoilaServer, notebook: str, query: dict[str, str] | None, repeat: int
) -> list[Response]:
    """``repeat`` requests, each from a quiet server, each kernel shut down afterwards."""
    out: list[Response] = []
    for _ in range(repeat):
        server.wait_quiet()
        response = fetch(server, notebook, query)
        if response.status != 200:
            raise RuntimeError(f"{notebook}: HTTP {response.status}")
        if response.kernel_id:
            server.shutdown_kernel(response.kernel_id)
        out.append(response)
    server.wait_quiet()
    return out
