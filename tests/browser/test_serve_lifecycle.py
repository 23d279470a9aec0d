"""`supervision-workbook serve` over a working day: pages opened and closed, a browser that
vanishes, a closed terminal, and what the server prints meanwhile.

Each test starts its own server (it stops it, or reads what it printed at the end); the
kernels are found as the server's descendant processes that run a kernel connection file.
"""

from __future__ import annotations

import http.client
import json
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import psutil
import pytest

from .conftest import Server, _stop, open_workbook, start_server

pytestmark = pytest.mark.browser

#: Short, so that the test sees a vanished page's kernel culled; serve's default is 600 s.
IDLE_SECONDS = 12
#: One preheated kernel per workbook.
POOL = 4


def kernels(server: Server) -> list[psutil.Process]:
    try:
        tree = psutil.Process(server.proc.pid).children(recursive=True)
    except psutil.Error:
        return []
    found = []
    for proc in tree:
        try:
            if any(re.search(r"kernel-[0-9a-f-]+\.json$", part) for part in proc.cmdline()):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def kernel_rss(server: Server) -> int:
    total = 0
    for proc in kernels(server):
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            continue
    return total


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def wait_for(predicate, timeout: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


@pytest.fixture
def own_server(demo_workspace: Path, tmp_path: Path) -> Iterator[Server]:
    idle = {"SUPERVISION_WORKBOOK_KERNEL_IDLE_TIMEOUT": str(IDLE_SECONDS)}
    running = start_server(demo_workspace, tmp_path, env=idle)
    try:
        assert wait_for(lambda: len(kernels(running)) >= POOL, 120), running.log_tail()
        yield running
    finally:
        _stop(running.proc)


def _request(
    server: Server, method: str, path: str, body: str = "", cookies: str = ""
) -> tuple[int, http.client.HTTPMessage, str]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    headers = {"Cookie": cookies} if cookies else {}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body or None, headers=headers)
    response = conn.getresponse()
    text = response.read().decode(errors="replace")
    conn.close()
    return response.status, response.headers, text


def test_a_closed_page_ends_its_kernel_with_what_the_page_itself_sends(
    own_server: Server,
) -> None:
    """The page's beacon carries the login cookie and the ``_xsrf`` value from the page's
    cookies, never the token: Voila refused it (403, '_xsrf' argument missing)."""
    status, headers, page = _request(
        own_server, "GET", f"/voila/render/index.ipynb?token={own_server.token}"
    )
    assert status == 200
    jar = dict(c.split(";", 1)[0].split("=", 1) for c in headers.get_all("Set-Cookie") or [])
    assert "_xsrf" in jar, "the page must set the cookie its shutdown beacon reads"
    found = re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S)
    assert found, page[:2000]
    config = json.loads(found.group(1))
    kernel_id = config["kernelId"]
    assert any(kernel_id in " ".join(p.cmdline()) for p in kernels(own_server))

    cookies = "; ".join(f"{k}={v}" for k, v in jar.items())
    status, _, _ = _request(
        own_server,
        "POST",
        f"/voila/api/shutdown/{kernel_id}",
        body=urlencode({"_xsrf": jar["_xsrf"]}),
        cookies=cookies,
    )
    assert status == 204
    assert wait_for(
        lambda: not any(kernel_id in " ".join(p.cmdline()) for p in kernels(own_server)), 30
    )
    # Without the cookie's value the same request is still refused: XSRF stays checked.
    status, _, _ = _request(own_server, "POST", f"/voila/api/shutdown/{kernel_id}", cookies=cookies)
    assert status == 403


def test_thirty_page_views_leave_only_the_pool_and_memory_stays_flat(
    own_server: Server, browser, demo_workspace: Path
) -> None:
    """A director reloading the dashboard all day: 31 kernels and 3.9 GB after 30 views."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        rss_after: dict[int, int] = {}
        for view in range(1, 31):
            page = context.new_page()
            page.set_default_timeout(90_000)
            if view % 3 == 0:
                open_workbook(page, own_server, "caseload.ipynb", ".swb-caseload-table")
            else:
                open_workbook(page, own_server, "index.ipynb", ".swb-workbook-link")
            page.close(run_before_unload=True)
            if view in (5, 30):
                # the pool refills and the closed pages' kernels end
                wait_for(lambda: len(kernels(own_server)) <= POOL, 30)
                rss_after[view] = kernel_rss(own_server)
        alive = len(kernels(own_server))
        assert alive <= POOL, f"{alive} kernels after 30 closed pages\n{own_server.log_tail()}"
        assert rss_after[30] <= 1.25 * rss_after[5], rss_after

        # A page whose browser vanishes (no beacon) is culled once idle without a connection.
        page = context.new_page()
        open_workbook(page, own_server, "index.ipynb", ".swb-workbook-link")
        assert len(kernels(own_server)) >= POOL + 1 or wait_for(
            lambda: len(kernels(own_server)) >= POOL + 1, 30
        )
        context.close()  # no beforeunload: the kernel is left without a page
        context = None
        assert wait_for(lambda: len(kernels(own_server)) <= POOL, 3 * IDLE_SECONDS + 30), (
            own_server.log_tail()
        )
        err = own_server.stderr.read_text()
        assert "Culling" in err
        # Thirty pages' worth of websockets and shutdowns, and nothing alarming in the log.
        assert "Traceback" not in err and "cannot be longer" not in err, err[-3000:]
    finally:
        if context is not None:
            context.close()


def test_the_server_prints_one_url_no_token_no_alarms_and_stops_quietly(
    own_server: Server,
) -> None:
    token = own_server.token
    # A mistyped workbook URL and a wrong token: the log names the request, not the token.
    assert _request(own_server, "GET", f"/voila/render/nope.ipynb?token={token}")[0] == 404
    _request(own_server, "POST", f"/voila/api/shutdown/x?token={token}x")
    page_status = _request(own_server, "GET", f"/voila/render/index.ipynb?token={token}")[0]
    assert page_status == 200
    time.sleep(1)
    tree = [p.pid for p in psutil.Process(own_server.proc.pid).children(recursive=True)]
    own_server.proc.send_signal(signal.SIGTERM)
    own_server.proc.wait(timeout=30)
    out = own_server.stdout.read_text()
    err = own_server.stderr.read_text()
    assert out.count(token) == 1 and f"Open {own_server.url}" in out
    assert token not in err
    assert "404 GET /voila/render/nope.ipynb?token=[secret]" in err
    for alarm in ("running at", "?token=...", "not trusted", "without encryption"):
        assert alarm not in err, alarm
    assert "Traceback" not in err and "ZMQError" not in err, err[-3000:]
    assert "Stopping the server" in err
    assert wait_for(lambda: not [pid for pid in tree if _alive(pid)], 10)


def test_a_closed_terminal_stops_voila_and_every_kernel(own_server: Server) -> None:
    """SIGHUP (a closed terminal) used to end serve alone, leaving Voila serving."""
    voila = [p for p in psutil.Process(own_server.proc.pid).children() if p.is_running()]
    pids = [p.pid for p in [*voila, *kernels(own_server)]]
    assert len(pids) >= 1 + POOL
    own_server.proc.send_signal(signal.SIGHUP)
    assert own_server.proc.wait(timeout=30) == 0
    assert wait_for(lambda: not [pid for pid in pids if _alive(pid)], 10), own_server.log_tail()
