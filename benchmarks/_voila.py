"""Start and stop the project's own Voila for a benchmark, and find its kernels.

Why through ``supervision_workbook.serve``: the figures must describe the app as users get
it, so the command line and environment are the ones ``supervision-workbook serve`` builds
(``build_voila_command`` / ``build_voila_env``): loopback only, a token, the lab template,
preheated kernels when asked. The only difference is the served folder: a temporary copy of
the workbooks *plus the control notebooks*, so that the control is served by the same Voila,
with the same flags, in the same run.

Cleanup: the server runs in its own process group (``start_new_session``); :meth:`stop`
sends SIGTERM to that group (Voila shuts its kernels down), then SIGKILL to whatever is left
of the group. Callers use it as a context manager, so an exception in a measurement never
leaves a server or a kernel behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType

import psutil

HERE = Path(__file__).resolve().parent
CONTROL_DIR = HERE / "control"
HOST = "127.0.0.1"


def free_port() -> int:
    """A port that is free on 127.0.0.1 now (the kernel picks it; we never guess)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def available_workbooks() -> dict[str, Path]:
    """The workbook notebooks that exist now, by stem (others may still be being written)."""
    try:
        from supervision_workbook.serve import workbooks_dir

        folder = workbooks_dir()
    except Exception:  # no index.ipynb yet: fall back to the repository folder
        folder = HERE.parent / "workbooks"
    return {p.stem: p for p in sorted(folder.glob("*.ipynb"))}


def served_folder(extra: Mapping[str, Path] | None = None) -> Path:
    """A temporary folder holding the workbooks and the control notebooks, side by side."""
    root = Path(tempfile.mkdtemp(prefix="swb-bench-served-"))
    for stem, path in available_workbooks().items():
        shutil.copy2(path, root / f"{stem}.ipynb")
    for path in sorted(CONTROL_DIR.glob("*.ipynb")):
        shutil.copy2(path, root / path.name)
    for name, path in (extra or {}).items():
        shutil.copy2(path, root / name)
    return root


#: What ``serve`` adds to a stock Voila (issues 12 and 13); a stock server leaves them out.
_OWN_PREFIXES = (
    "--SupervisionVoila.",
    "--VoilaConfiguration.extension_allowlist=",
    "--KernelManager.transport=",
    "--Voila.connection_dir_root=",
    "--MappingKernelManager.",
)


def stock_command(command: list[str]) -> list[str]:
    """The command as it was before issue 12: ``python -m voila``, the lab template (which
    asks a CDN for Font Awesome), every installed extension, no gzip, TCP kernels. The
    control for page weight and time to interactive."""
    from supervision_workbook.serve import TEMPLATE, VOILA_MODULE

    stock = []
    for part in command:
        if part == VOILA_MODULE:
            stock.append("voila")
        elif part == f"--template={TEMPLATE}":
            stock.append("--template=lab")
        elif not part.startswith(_OWN_PREFIXES):
            stock.append(part)
    return stock


class VoilaServer:
    """One Voila process serving ``served`` for ``workspace``; a context manager."""

    def __init__(
        self,
        served: Path,
        workspace: Path,
        *,
        preheat: bool,
        pool_size: int = 1,
        log_dir: Path | None = None,
        compress: bool = False,
        stock: bool = False,
    ) -> None:
        self.served = served
        self.workspace = workspace
        self.preheat = preheat
        self.pool_size = pool_size
        self.compress = compress
        self.stock = stock
        self.port = free_port()
        self.token = secrets.token_urlsafe(24)
        self.log_path = (log_dir or Path(tempfile.gettempdir())) / f"voila-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    # --- life cycle ----------------------------------------------------------------------
    def start(self, timeout: float = 120.0) -> VoilaServer:
        from supervision_workbook.serve import (
            build_voila_command,
            build_voila_env,
            wait_until_answering,
        )

        command = build_voila_command(
            self.served,
            self.port,
            preheat=self.preheat,
            pool_size=self.pool_size,
            compress=self.compress,
        )
        if self.stock:
            command = stock_command(command)
        # The served folder is a temporary copy; the workspace lives elsewhere, as in serve().
        env = build_voila_env(self.workspace, self.token)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        try:
            self.proc = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        finally:
            log.close()
        wait_until_answering(self.port, self.proc, timeout=timeout)
        return self

    def stop(self) -> None:
        """SIGTERM the server's process group, then SIGKILL what is left of it."""
        proc = self.proc
        if proc is None:
            return
        self.proc = None
        pgid = proc.pid  # start_new_session: the group id is the server's pid
        members = _group_members(pgid)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)
            proc.wait(timeout=10)
        _gone, alive = psutil.wait_procs(members, timeout=5)
        for p in alive:  # kernels re-parented after the server died, still in our group
            with contextlib.suppress(psutil.Error):
                p.kill()

    def __enter__(self) -> VoilaServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- addresses -----------------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def url(self, notebook: str, query: Mapping[str, str] | None = None) -> str:
        params = {"token": self.token, **(query or {})}
        return f"{self.base}/voila/render/{notebook}?{urllib.parse.urlencode(params)}"

    # --- kernels -------------------------------------------------------------------------
    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def wait_pools_filled(self, notebooks: Iterable[str], timeout: float = 180.0) -> None:
        """Wait until Voila says each notebook's preheated pool is full (no-op without preheat)."""
        if not self.preheat:
            return
        wanted = set(notebooks)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            filled = set(re.findall(r"Kernel pool of (\S+) is filled", self.log_text()))
            if wanted <= filled:
                return
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"Voila exited; see {self.log_path}")
            time.sleep(0.25)
        raise TimeoutError(f"preheated pools not filled within {timeout:.0f} s: {wanted}")

    def kernel_processes(self) -> list[psutil.Process]:
        """Every kernel started by this server (children whose command names a kernel file)."""
        if self.proc is None:
            return []
        try:
            children = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.Error:
            return []
        found = []
        for child in children:
            with contextlib.suppress(psutil.Error):
                if any("kernel-" in part and part.endswith(".json") for part in child.cmdline()):
                    found.append(child)
        return found

    def kernel_process(self, kernel_id: str) -> psutil.Process | None:
        """The kernel process whose connection file names ``kernel_id``."""
        for proc in self.kernel_processes():
            with contextlib.suppress(psutil.Error):
                if any(kernel_id in part for part in proc.cmdline()):
                    return proc
        return None

    def shutdown_kernel(self, kernel_id: str) -> None:
        """Ask Voila to shut a page's kernel down, as the page does on ``beforeunload``."""
        request = urllib.request.Request(  # noqa: S310 - loopback URL built here
            f"{self.base}/voila/api/shutdown/{kernel_id}",
            data=b"",
            method="POST",
            headers={"Authorization": f"token {self.token}"},
        )
        # S310: the URL is built here from 127.0.0.1 and our own port, never from input.
        with contextlib.suppress(OSError), urllib.request.urlopen(request, timeout=10):  # noqa: S310
            pass

    def wait_quiet(self, cpu_below: float = 15.0, timeout: float = 60.0) -> float:
        """Wait until the server and its kernels use less than ``cpu_below`` % of one core.

        Why: after a page claims a preheated kernel, Voila starts and runs a replacement in
        the background. Measuring the next page while that runs would charge it to the
        page; waiting for quiet keeps samples independent. Returns the seconds waited.
        """
        start = time.monotonic()
        quiet_windows = 0
        while time.monotonic() - start < timeout:
            procs = []
            if self.proc is not None:
                with contextlib.suppress(psutil.Error):
                    root = psutil.Process(self.proc.pid)
                    procs = [root, *root.children(recursive=True)]
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    p.cpu_percent(None)
            time.sleep(0.5)
            total = 0.0
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    total += p.cpu_percent(None)
            quiet_windows = quiet_windows + 1 if total < cpu_below else 0
            if quiet_windows >= 2:
                break
        return time.monotonic() - start


def _group_members(pgid: int) -> list[psutil.Process]:
    members = []
    for proc in psutil.process_iter(["pid"]):
        with contextlib.suppress(psutil.Error, ProcessLookupError):
            if os.getpgid(proc.pid) == pgid:
                members.append(proc)
    return members
