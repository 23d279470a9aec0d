"""The Voila app behind jupyter-server-proxy, at ``{base_url}supervision-workbook/``.

Registered through the ``jupyter_serverproxy_servers`` entry point (pyproject.toml), so
jupyter-server-proxy starts it on the first request under that prefix and stops it with the
Jupyter server. It is the very command ``supervision-workbook serve`` runs (built by
:func:`supervision_workbook.serve.build_voila_command`, with the same environment from
:func:`~supervision_workbook.serve.build_voila_env`): loopback only, preheated kernels, only
the workbooks folder served, no tracebacks in the page. What differs inside Lab:

- **Login.** The proxy admits only requests that passed Jupyter's own login (its handler
  is ``@web.authenticated``). Voila still requires its own token, because any local account
  could reach a port on 127.0.0.1; the token is made here, handed to Voila through
  ``JUPYTER_TOKEN`` in its environment (never its command line), and added by the proxy to
  every request it forwards (``Authorization: token ...``, websockets included). The
  browser never sees it.
- **URLs.** ``absolute_url=True`` forwards the full path, and Voila's ``base_url`` is
  ``{base_url}supervision-workbook/``, so the links and websocket URLs Voila writes into its
  pages are right behind the proxy, on a laptop and under a hub's ``/user/<name>/``.
- **No workspace.** The process is only ever started for a configured workspace: the Lab
  commands go through ``api/supervision-workbook/open`` (see :mod:`.handlers`), which shows
  how to set one instead. A direct visit without one gets a one-line error from the proxy.
"""

from __future__ import annotations

import os
import secrets
import sys
from typing import Any

from ..serve import build_voila_command, build_voila_env, workbooks_dir
from .workspace import lab_workspace

#: The URL prefix under ``base_url`` (the proxy's name for the process).
PREFIX = "supervision-workbook"

#: Shown in the page instead of a traceback when a cell fails (replaces serve's wording,
#: which points at a terminal the Lab user does not have; traitlets refuses a repeated flag).
LAB_ERROR_INSTRUCTION = (
    "The workbook could not start. Nothing was saved by this attempt. "
    "The technical details are in the Jupyter server's log; "
    "they are kept out of this page because they can quote clinical text."
)

#: Voila with preheated kernels needs longer than the proxy's default 5 s on a busy machine.
START_TIMEOUT = 120.0


def _literal(text: str) -> str:
    """jupyter-server-proxy runs ``str.format`` on every part of the command and the
    environment (for ``{port}``); a workspace path with braces must survive that."""
    return text.replace("{", "{{").replace("}", "}}")


def voila_command(port: int, base_url: str) -> list[str]:
    """The ``serve`` command line, with Voila's base URL set to where the proxy mounts it."""
    instruction = "--VoilaExecutor.cell_error_instruction="
    command = [
        f"{instruction}{LAB_ERROR_INSTRUCTION}" if part.startswith(instruction) else part
        for part in build_voila_command(workbooks_dir(), port, python=sys.executable)
    ]
    command.append(f"--Voila.base_url={base_url}{PREFIX}/")
    return [_literal(part) for part in command]


def voila_environment(token: str) -> dict[str, str]:
    """The variables ``serve`` sets (workspace and token); the proxy adds them to its own.

    The proxy *replaces* a variable of the server's with ours, so ``JUPYTER_PATH`` keeps the
    server's own folders after our template's: a hub points it at the environment's Jupyter
    data (Voila's templates, the widget labextensions) when the single-user Python is not
    the environment's own, and without them the page never renders its widgets.
    """
    inherited = {k: v for k, v in os.environ.items() if k == "JUPYTER_PATH"}
    env = build_voila_env(lab_workspace(), token, base=inherited)
    return {key: _literal(value) for key, value in env.items()}


def setup_voila() -> dict[str, Any]:
    """The ``jupyter_serverproxy_servers`` entry point: how to start and reach the app."""
    token = secrets.token_urlsafe(32)
    return {
        "command": voila_command,
        "environment": lambda: voila_environment(token),
        "request_headers_override": {"Authorization": f"token {token}"},
        "absolute_url": True,
        "timeout": START_TIMEOUT,
        # Our own Launcher cards (one per workbook) replace the proxy's generic one.
        "launcher_entry": {"enabled": False},
        "new_browser_tab": False,
    }
