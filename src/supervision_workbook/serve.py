"""``supervision-workbook serve``: the workbooks as a local Voila app, safe by default.

What "safe by default" means here, and how each part is enforced:

- **Loopback only.** Voila listens on ``127.0.0.1`` (``--Voila.ip``), never on all interfaces.
- **A token on every request.** A fresh ``secrets.token_urlsafe`` per run. It reaches Voila
  through the ``JUPYTER_TOKEN`` environment variable together with ``--Voila.auto_token``,
  not through the command line: a process's arguments are visible to every local user in
  ``ps``, its environment only to its owner. (Voila 0.5 disables authentication unless
  ``token`` or ``auto_token`` is set; with ``auto_token`` jupyter_server's identity provider
  reads ``JUPYTER_TOKEN``.) A request without the token is redirected to a login page and
  API calls are refused with 403; the first page opened with ``?token=`` sets a cookie, so
  the relative links between workbooks keep working.
- **Artifacts are not served.** Voila serves only the package's ``workbooks`` folder. The
  workspace (the clinical records) stays outside it and reaches the kernels through
  ``SUPERVISION_WORKBOOK_WORKSPACE``; a workspace inside the served folder is refused.
- **No tracebacks in the page.** ``show_tracebacks=False``: a traceback can quote clinical
  text (a value that failed validation). The page says what to do instead; the details stay
  in the terminal that runs the server.
- **Preheated kernels.** Voila keeps one kernel per workbook already started with the
  workbook's imports done, so a page opens without waiting for Python to start. Views read
  the query string through :func:`ui.context.query_params`, which waits for the request
  that claims the kernel, and read the workspace only after that, so the data is current.

The server runs as a child process (``python -m voila``) so that this module owns start-up
checks, the printed URL and a clean stop on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import FrameType

HOST = "127.0.0.1"
DEFAULT_PORT = 8866
INDEX = "index.ipynb"
WORKBOOKS = ("index.ipynb", "supervisee.ipynb", "case_review.ipynb", "caseload.ipynb")

#: Shown in the page instead of a traceback when a cell fails.
ERROR_INSTRUCTION = (
    "The workbook could not start. Nothing was saved by this attempt. "
    "The technical details are in the terminal that runs 'supervision-workbook serve'; "
    "they are kept out of this page because they can quote clinical text."
)

_READY_TIMEOUT = 90.0
_STOP_TIMEOUT = 10.0


class ServeError(Exception):
    """A problem the user can fix before the server starts; printed without a traceback."""


class _Terminated(Exception):
    """Raised in the main thread when this process receives SIGTERM."""


# --- where things are ---------------------------------------------------------------------
_PACKAGE_DIR = Path(__file__).resolve().parent
#: Where a wheel puts the notebooks (hatch force-include), then where an editable install
#: finds them (the repository's ``workbooks/`` beside ``src/``).
WORKBOOK_DIRS: tuple[Path, ...] = (
    _PACKAGE_DIR / "_workbooks",
    _PACKAGE_DIR.parent.parent / "workbooks",
)


def workbooks_dir(candidates: Sequence[Path] = WORKBOOK_DIRS) -> Path:
    """The folder of workbook notebooks that Voila serves: the first candidate that holds
    ``index.ipynb`` (the installed copy wins over a repository checkout)."""
    for candidate in candidates:
        if (candidate / INDEX).is_file():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise ServeError(
        f"the workbook notebooks were not found (looked for {INDEX} in {tried}); "
        "reinstall the package"
    )


def check_workspace(workspace: Path, served: Path) -> Path:
    """The workspace as an absolute path, refused if it is missing or inside ``served``."""
    path = Path(workspace).expanduser().resolve()
    if not path.is_dir():
        raise ServeError(
            f"{workspace}: no such workspace folder "
            f"(create one with 'supervision-workbook init {workspace}')"
        )
    root = served.resolve()
    if path == root or path.is_relative_to(root):
        raise ServeError(
            f"{workspace} is inside the served folder {root}; keep the workspace elsewhere "
            "so that Voila can never hand out a review as a file"
        )
    return path


# --- ports --------------------------------------------------------------------------------
def port_is_free(port: int, host: str = HOST) -> bool:
    """Whether ``host:port`` can be bound, probed the way tornado binds (SO_REUSEADDR)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def choose_port(requested: int | None, host: str = HOST) -> int:
    """The requested port if free (else a clear error), or 8866, or any free port."""
    if requested is not None:
        if not 1 <= requested <= 65535:
            raise ServeError(f"--port must be between 1 and 65535, not {requested}")
        if not port_is_free(requested, host):
            raise ServeError(
                f"port {requested} on {host} is already in use; choose another with --port, "
                "or leave --port out to use a free one"
            )
        return requested
    if port_is_free(DEFAULT_PORT, host):
        return DEFAULT_PORT
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


# --- the command --------------------------------------------------------------------------
def build_voila_command(
    served: Path,
    port: int,
    *,
    preheat: bool = True,
    pool_size: int = 1,
    python: str = sys.executable,
) -> list[str]:
    """The Voila command line. The token is *not* in it: see :func:`build_voila_env`."""
    command = [
        python,
        "-m",
        "voila",
        str(served),
        "--no-browser",
        f"--Voila.ip={HOST}",
        f"--port={port}",
        "--Voila.port_retries=0",  # a busy port is an error, not a silent move elsewhere
        "--Voila.auto_token=True",  # token required; its value comes from JUPYTER_TOKEN
        "--template=lab",
        "--theme=light",
        "--show_tracebacks=False",
        "--strip_sources=True",
        f"--VoilaExecutor.cell_error_instruction={ERROR_INSTRUCTION}",
        # No gzip here: Voila 0.5.13 applies tornado_settings after the tornado Application
        # is built, and tornado installs its gzip transform only at construction, so
        # compress_response has no effect (checked: same bytes with and without). Put a
        # compressing proxy (the hub's, or nginx) in front when bandwidth matters.
    ]
    if preheat and pool_size > 0:
        command += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
    else:
        command += ["--preheat_kernel=False"]
    return command


def build_voila_env(
    workspace: Path, token: str, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The server's environment (inherited by its kernels): workspace path and token."""
    env = dict(os.environ if base is None else base)
    # A stale request variable would make a kernel believe it was opened with it.
    env.pop("QUERY_STRING", None)
    env.pop("JUPYTER_TOKEN_FILE", None)
    env["SUPERVISION_WORKBOOK_WORKSPACE"] = str(Path(workspace).resolve())
    env["JUPYTER_TOKEN"] = token
    return env


def landing_url(port: int, token: str, host: str = HOST) -> str:
    return f"http://{host}:{port}/voila/render/{INDEX}?token={token}"


# --- running ------------------------------------------------------------------------------
def wait_until_answering(
    port: int, proc: subprocess.Popen[bytes], timeout: float = _READY_TIMEOUT
) -> None:
    """Wait until the server answers HTTP (any status), or fail if it exits or stalls.

    The probe asks for ``/`` *without* the token, which is answered with a redirect to the
    login page: it never claims one of the preheated kernels.
    """
    deadline = time.monotonic() + timeout
    url = f"http://{HOST}:{port}/"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServeError(
                f"Voila stopped during start-up (exit code {proc.returncode}); "
                "see its messages above"
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # a 302/403 is an answer
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.2)
    raise ServeError(f"Voila did not answer on port {port} within {timeout:.0f} s")


def stop_process(proc: subprocess.Popen[bytes], *, already_signalled: bool = False) -> None:
    """Stop Voila cleanly (it shuts its kernels down on SIGTERM), killing it as a last resort."""
    if proc.poll() is not None:
        return
    if already_signalled:  # Ctrl-C in a terminal reaches Voila too; let it finish
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=_STOP_TIMEOUT / 2)
            return
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


def serve(
    workspace: Path,
    port: int | None,
    open_browser: bool = False,
    *,
    preheat: bool = True,
    pool_size: int = 1,
    extra_args: Sequence[str] = (),
) -> int:
    """Serve the workbooks for ``workspace`` until Ctrl-C; returns the process exit code."""
    try:
        served = workbooks_dir()
        ws = check_workspace(workspace, served)
        chosen = choose_port(port)
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    token = secrets.token_urlsafe(32)
    command = [
        *build_voila_command(served, chosen, preheat=preheat, pool_size=pool_size),
        *extra_args,
    ]
    env = build_voila_env(ws, token)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_terminated) if main_thread else None
    proc = subprocess.Popen(command, env=env)
    interrupted = False
    try:
        wait_until_answering(chosen, proc)
        url = landing_url(chosen, token)
        print(
            f"Serving the workbooks from {served}\n"
            f"Workspace (not served): {ws}\n"
            f"Listening on {HOST} only. Press Ctrl-C to stop.\n\n"
            f"Open {url}\n",
            flush=True,
        )
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        code = proc.wait()
        if code not in (0, -signal.SIGINT, -signal.SIGTERM):
            print(f"error: Voila stopped with exit code {code}", file=sys.stderr)
            return 1
        return 0
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        interrupted = True
        print("Stopping the server...", file=sys.stderr, flush=True)
        return 0
    except _Terminated:
        return 0
    finally:
        if main_thread:  # a second SIGTERM while stopping ends this process at once
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
        stop_process(proc, already_signalled=interrupted)
