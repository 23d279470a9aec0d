"""The browser test harness: a real server on a demo workspace, and headless Chromium.

Reuse it from any journey test under ``tests/browser``::

    pytestmark = pytest.mark.browser

    def test_a_story(server, page):
        open_workbook(page, server, "caseload.ipynb", ".swb-caseload-table", trainee="tr-x")
        screenshot(page, "caseload")

Why it is built this way:

- The server is started exactly as a user starts it (``supervision-workbook serve DIR
  --port N`` from the venv's console script), and the URL and token are parsed from what it
  prints, so the printed instructions are tested too. It runs in its own process group and
  is stopped by this fixture: SIGTERM first (``serve`` then stops Voila, which shuts its
  kernels down), then SIGKILL to the whole group if anything is left.
- Chromium is Debian's (``/usr/bin/chromium``); Playwright's own download is not used.
  Every request that is not to 127.0.0.1 is aborted and fails the test: no request may
  leave the server (a clinical page must not tell a CDN who opened it), and no test may
  depend on the network. Pages are waited for by their
  widgets, never by ``networkidle`` (a kernel's websocket keeps the network busy).
- Missing Chromium or Playwright skips the browser tests on a laptop, but fails them when
  ``CI=true``, so a misconfigured CI job cannot pass by skipping everything.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots"
CLI = Path(sys.executable).parent / "supervision-workbook"
CHROMIUM = Path(os.environ.get("SUPERVISION_WORKBOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_ARGS = ["--trainees", "2", "--cases", "2", "--sessions", "4", "--seed", "1"]

#: Generous: the test machine has two cores shared with other work, and the first page of a
#: workbook may have to wait for a kernel.
START_TIMEOUT = 120.0
WIDGET_TIMEOUT_MS = 90_000

_URL_LINE = re.compile(r"^Open (http://127\.0\.0\.1:(\d+)/\S+)$", re.MULTILINE)


def unavailable(reason: str) -> None:
    """Skip locally; fail on CI, where a skipped browser suite would hide a broken setup."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run on CI: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the server -----------------------------------------------------------------------------
@dataclass
class Server:
    """A running ``supervision-workbook serve`` and what it printed."""

    url: str
    port: int
    token: str
    workspace: Path
    proc: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workbook_url(self, name: str, *, token: bool = True, **params: str) -> str:
        query = dict(params)
        if token:
            query["token"] = self.token
        suffix = f"?{urlencode(query)}" if query else ""
        return f"{self.base}/voila/render/{name}{suffix}"

    def log_tail(self, chars: int = 4000) -> str:
        out = self.stdout.read_text(errors="replace")[-chars // 4 :]
        err = self.stderr.read_text(errors="replace")[-chars:]
        return f"--- serve stdout ---\n{out}\n--- serve stderr ---\n{err}"


def _answers(base: str) -> bool:
    """Any HTTP answer counts; ``/`` without the token never claims a preheated kernel."""
    try:
        with urllib.request.urlopen(f"{base}/", timeout=2):  # noqa: S310 - http://127.0.0.1
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to ``serve`` (which stops Voila, which stops its kernels), then SIGKILL to
    whatever of the tree is left. Voila has a process group of its own (so that a terminal's
    Ctrl-C reaches only ``serve``), so the tree is found through psutil, not the group."""
    import psutil

    try:
        tree = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        tree = []
    if proc.poll() is None:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    _gone, alive = psutil.wait_procs(tree, timeout=5)
    for leftover in alive:
        with contextlib.suppress(psutil.Error):
            leftover.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def start_server(
    workspace: Path, logs: Path, *extra: str, env: dict[str, str] | None = None
) -> Server:
    """Start ``supervision-workbook serve`` and return once it printed its URL and answers;
    ``env`` adds variables (``SUPERVISION_WORKBOOK_KERNEL_IDLE_TIMEOUT``, say)."""
    if not CLI.exists():
        pytest.fail(f"{CLI} is missing: install the package into the venv (make test)")
    port = free_port()
    stdout, stderr = logs / f"serve-{port}.out", logs / f"serve-{port}.err"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("JUPYTER_TOKEN", "QUERY_STRING")},
        **(env or {}),
    }
    with stdout.open("wb") as out, stderr.open("wb") as err:
        proc = subprocess.Popen(
            [str(CLI), "serve", str(workspace), "--port", str(port), *extra],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    server: Server | None = None
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            match = _URL_LINE.search(stdout.read_text(errors="replace"))
            if match:
                url = match.group(1)
                token = parse_qs(urlsplit(url).query).get("token", [""])[0]
                server = Server(url, int(match.group(2)), token, workspace, proc, stdout, stderr)
                break
            time.sleep(0.2)
        if server is None:
            raise RuntimeError("serve did not print 'Open http://127.0.0.1:...'")
        while not _answers(server.base):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server stopped answering")
            time.sleep(0.2)
    except BaseException as exc:
        _stop(proc)
        log = f"{stdout.read_text(errors='replace')}\n{stderr.read_text(errors='replace')[-4000:]}"
        pytest.fail(f"{exc} (exit code {proc.returncode}):\n{log}")
    return server


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic workspace made by the real CLI: 2 trainees x 2 cases x 4 sessions."""
    ws = tmp_path_factory.mktemp("browser") / "demo-workspace"
    proc = subprocess.run(
        [str(CLI), "demo", str(ws), *DEMO_ARGS],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"supervision-workbook demo failed:\n{proc.stdout}\n{proc.stderr}")
    return ws


@pytest.fixture(scope="session")
def server(demo_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real ``supervision-workbook serve`` on the demo workspace, for the whole session."""
    running = start_server(demo_workspace, tmp_path_factory.mktemp("serve-logs"))
    try:
        yield running
    finally:
        _stop(running.proc)


# --- the browser ----------------------------------------------------------------------------
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium. Playwright launches it with a new, empty temporary profile
    (user data dir) and deletes it afterwards; each test then gets its own context.

    Package scope, not session: while Playwright's sync API is active, its asyncio loop is
    visible as the running loop of the main thread. Left open for the whole session, it
    would stop the Binder and hub tests from starting their own Playwright, and change how
    the widgets' timers behave in the kernel-free UI tests that run later.
    """
    with launch_chromium() as chromium:
        yield chromium


@contextlib.contextmanager
def launch_chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, through Playwright's sync API; closed on exit.

    Every browser test launches through here (this package's fixture, the Binder and the
    hub tests), so the flags and the skip-locally / fail-on-CI rule live in one place.
    """
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def local_only(blocked: list[str] | None = None) -> Callable[[Any], None]:
    """A Playwright route handler: requests to 127.0.0.1 (and data:/blob:) go through;
    anything else is aborted and, if asked, recorded (the ``browser_context`` fixture then
    fails the test: no request may leave the server).

    A factory, so the handler takes the route alone: Playwright passes (route, request) to
    a handler that accepts two arguments."""

    def handle(route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            if blocked is not None:
                blocked.append(url)
            route.abort()

    return handle


@pytest.fixture
def blocked() -> list[str]:
    """URLs this test's pages asked for outside 127.0.0.1 (aborted; any fails the test)."""
    return []


@pytest.fixture
def browser_context(
    browser: Browser, server: Server, blocked: list[str]
) -> Iterator[BrowserContext]:
    """A fresh context (no cookies) that reaches 127.0.0.1 only and accepts downloads."""
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.route("**/*", local_only(blocked))
    try:
        yield context
    finally:
        context.close()
    if blocked:
        pytest.fail(f"the page asked for something outside this server: {blocked}")


@pytest.fixture
def page(browser_context: BrowserContext) -> Iterator[Page]:
    page = browser_context.new_page()
    page.set_default_timeout(WIDGET_TIMEOUT_MS)
    yield page


# --- helpers for journeys -------------------------------------------------------------------
#: What Voila shows when a cell fails (with tracebacks hidden): fail fast with the log.
VOILA_ERROR = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"


def wait_for_widgets(page: Page, server: Server, selector: str) -> None:
    """Wait until ``selector`` is visible, or fail early with the server log on an error."""
    target = page.locator(selector).first
    either = target.or_(page.locator(VOILA_ERROR).first)
    try:
        either.wait_for(state="visible", timeout=WIDGET_TIMEOUT_MS)
    except Exception as exc:  # playwright's TimeoutError
        pytest.fail(f"{selector} never appeared on {page.url}: {exc}\n{server.log_tail()}")
    if not target.is_visible():
        text = page.locator(VOILA_ERROR).first.inner_text()
        pytest.fail(f"the workbook failed on {page.url}: {text}\n{server.log_tail()}")


def open_workbook(page: Page, server: Server, name: str, selector: str, **params: str) -> Page:
    """Open ``workbooks/<name>`` with query ``params`` (and the token); wait for ``selector``."""
    page.goto(server.workbook_url(name, **params), wait_until="commit")
    wait_for_widgets(page, server, selector)
    return page


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as docs/screenshots/<name>.png (the docs embed these)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Voila's lab template scrolls inside #rendered_cells, not the document, so a
    # "full page" screenshot would stop at the viewport: grow the viewport to the content.
    size = page.viewport_size or {"width": 1280, "height": 900}
    height = page.evaluate(
        "() => { const el = document.querySelector('#rendered_cells');"
        " return el ? el.scrollHeight : document.documentElement.scrollHeight; }"
    )
    tall = max(size["height"], min(int(height), 8000))
    page.set_viewport_size({"width": size["width"], "height": tall})
    try:
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    finally:
        page.set_viewport_size(size)
    return path
