"""What ``serve`` runs: the served folder, the port, and Voila's command line and environment.

Nothing here starts a process; :mod:`._run` does. Kept apart so that the benchmarks and the
tests build exactly the command a user gets.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

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

#: The Voila this package runs (``python -m ...``): Voila 0.5.13 with the fixes of
#: :mod:`.voila_app` (page-close shutdown, idle culling, quiet and redacted logs, gzip).
VOILA_MODULE = "supervision_workbook.serve.voila_app"
#: Our Voila template: Voila's ``lab`` template without its public-CDN Font Awesome links.
TEMPLATE = "supervision-workbook"
#: Where that template lives; prepended to ``JUPYTER_PATH`` so that Voila finds it.
JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter"

#: The JupyterLab extensions a workbook page needs, and nothing else: Voila's widget manager,
#: the ipywidgets and anywidget front ends and plotly's renderer. Anything else installed in
#: the environment (a Lab extension of our own, jupyter-server-proxy's, ...) would load on
#: every page, weigh it down and fail there, since a Voila page is not JupyterLab.
EXTENSION_ALLOWLIST = (
    "@voila-dashboards/widgets-manager8",
    "@jupyter-widgets/jupyterlab-manager",
    "anywidget",
    "jupyterlab-plotly",
)

#: A kernel whose page is gone (no websocket) is shut down after this many seconds without
#: activity; the page normally ends it itself when it closes. Override with this variable.
IDLE_TIMEOUT_ENV = "SUPERVISION_WORKBOOK_KERNEL_IDLE_TIMEOUT"
DEFAULT_IDLE_TIMEOUT = 600
#: How often the idle kernels are looked for; never longer than the timeout itself.
CULL_INTERVAL = 60

# A Unix socket path holds at most 104 bytes on macOS (108 on Linux). An IPC kernel's
# sockets are named <root>/voila_XXXXXXXX/kernel-<uuid>-ipc-<n>: 70 bytes after the root.
_SOCKET_PATH_MAX = 100
_IPC_NAME_LENGTH = 70


class ServeError(Exception):
    """A problem the user can fix before the server starts; printed without a traceback."""


# --- where things are ---------------------------------------------------------------------
_PACKAGE_DIR = Path(__file__).resolve().parent.parent
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
def idle_timeout(env: Mapping[str, str] | None = None) -> int:
    """Seconds before a kernel without a page is culled (0 turns culling off)."""
    raw = (os.environ if env is None else env).get(IDLE_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_IDLE_TIMEOUT
    try:
        value = int(raw)
    except ValueError:
        raise ServeError(
            f"{IDLE_TIMEOUT_ENV} must be a whole number of seconds, not {raw!r}"
        ) from None
    if value < 0:
        raise ServeError(f"{IDLE_TIMEOUT_ENV} must be 0 (never cull) or more, not {value}")
    return value


def kernel_transport_args(temp_root: str | None = None, platform: str = os.name) -> list[str]:
    """Kernels talk to Voila over Unix sockets (IPC) where the platform has them.

    Why: over TCP any local user can connect to a kernel's ports (the messages are signed,
    but their content travels in plain text); an IPC socket lives in Voila's private 0700
    connection folder. Windows has no IPC transport for ZeroMQ, so kernels use TCP on
    127.0.0.1 there. A temporary folder whose path is too long for a socket name (macOS)
    gives way to ``/tmp``.
    """
    if platform != "posix":
        return []
    root = temp_root if temp_root is not None else tempfile.gettempdir()
    if len(root) + _IPC_NAME_LENGTH > _SOCKET_PATH_MAX:
        if not os.access("/tmp", os.W_OK):  # noqa: S108 - a short, standard socket root
            return []
        root = "/tmp"  # noqa: S108
    return ["--KernelManager.transport=ipc", f"--Voila.connection_dir_root={root}"]


def build_voila_command(
    served: Path,
    port: int,
    *,
    preheat: bool = True,
    pool_size: int = 1,
    python: str = sys.executable,
    idle_seconds: int = DEFAULT_IDLE_TIMEOUT,
    compress: bool = False,
) -> list[str]:
    """The Voila command line. The token is *not* in it: see :func:`build_voila_env`."""
    command = [
        python,
        "-m",
        VOILA_MODULE,
        str(served),
        "--no-browser",
        f"--Voila.ip={HOST}",
        f"--port={port}",
        "--Voila.port_retries=0",  # a busy port is an error, not a silent move elsewhere
        "--Voila.auto_token=True",  # token required; its value comes from JUPYTER_TOKEN
        f"--template={TEMPLATE}",
        "--theme=light",
        "--show_tracebacks=False",
        "--strip_sources=True",
        f"--VoilaExecutor.cell_error_instruction={ERROR_INSTRUCTION}",
        f"--SupervisionVoila.compress_response={compress}",
        f"--MappingKernelManager.cull_idle_timeout={idle_seconds}",
        f"--MappingKernelManager.cull_interval={max(1, min(CULL_INTERVAL, idle_seconds))}",
        *(f"--VoilaConfiguration.extension_allowlist={name}" for name in EXTENSION_ALLOWLIST),
        *kernel_transport_args(),
    ]
    if preheat and pool_size > 0:
        command += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
    else:
        command += ["--preheat_kernel=False"]
    return command


def build_voila_env(
    workspace: Path, token: str, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The server's environment (inherited by its kernels): workspace path and token.

    Voila reads the token from ``JUPYTER_TOKEN`` and then removes it from its own
    environment, so kernels never see it (:mod:`.voila_app`). ``JUPYTER_PATH`` leads Voila
    to the package's template.
    """
    env = dict(os.environ if base is None else base)
    # A stale request variable would make a kernel believe it was opened with it.
    env.pop("QUERY_STRING", None)
    env.pop("JUPYTER_TOKEN_FILE", None)
    env["SUPERVISION_WORKBOOK_WORKSPACE"] = str(Path(workspace).resolve())
    env["JUPYTER_TOKEN"] = token
    paths = [str(JUPYTER_DATA), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


def landing_url(port: int, token: str, host: str = HOST) -> str:
    return f"http://{host}:{port}/voila/render/{INDEX}?token={token}"
