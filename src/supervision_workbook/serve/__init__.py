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
  the relative links between workbooks keep working. The token is never written to the
  log, and Voila's own "running at" line is not printed: the one URL to open is ours.
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
- **Kernels end with their page.** Closing a page shuts its kernel down; a kernel whose page
  vanished without saying so (a crashed browser, a sleeping laptop) is culled after
  ``SUPERVISION_WORKBOOK_KERNEL_IDLE_TIMEOUT`` seconds without a connection (default 600).
  The preheated pool is never culled.
- **No request leaves the machine.** The page template is Voila's ``lab`` template without
  its CDN fonts (the icon font is already in Voila's own bundle), and only the JupyterLab
  extensions a workbook needs are loaded.

The server runs as a child process (``python -m supervision_workbook.serve.voila_app``, Voila
with the fixes above) so that this package owns start-up checks, the printed URL and a clean
stop on Ctrl-C, SIGTERM or SIGHUP.
"""

from __future__ import annotations

from ._command import (
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_PORT,
    ERROR_INSTRUCTION,
    EXTENSION_ALLOWLIST,
    HOST,
    IDLE_TIMEOUT_ENV,
    INDEX,
    JUPYTER_DATA,
    TEMPLATE,
    VOILA_MODULE,
    WORKBOOK_DIRS,
    WORKBOOKS,
    ServeError,
    build_voila_command,
    build_voila_env,
    check_workspace,
    choose_port,
    idle_timeout,
    kernel_transport_args,
    landing_url,
    port_is_free,
    workbooks_dir,
)
from ._run import STOP_SIGNALS, serve, stop_process, wait_until_answering

__all__ = [
    "DEFAULT_IDLE_TIMEOUT",
    "DEFAULT_PORT",
    "ERROR_INSTRUCTION",
    "EXTENSION_ALLOWLIST",
    "HOST",
    "IDLE_TIMEOUT_ENV",
    "INDEX",
    "JUPYTER_DATA",
    "STOP_SIGNALS",
    "TEMPLATE",
    "VOILA_MODULE",
    "WORKBOOKS",
    "WORKBOOK_DIRS",
    "ServeError",
    "build_voila_command",
    "build_voila_env",
    "check_workspace",
    "choose_port",
    "idle_timeout",
    "kernel_transport_args",
    "landing_url",
    "port_is_free",
    "serve",
    "stop_process",
    "wait_until_answering",
    "workbooks_dir",
]
