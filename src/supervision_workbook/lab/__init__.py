"""The JupyterLab face: a server extension, and the labextension it ships with.

What a Lab user gets (the front end is ``labextension/`` in the repository, built into
``labextension/`` beside this file and installed to ``share/jupyter/labextensions``):

- Launcher cards and palette commands that open the session workbook, the case review and
  the caseload in a Lab tab, or in a browser tab. The app is the same standalone Voila that
  ``supervision-workbook serve`` runs (:mod:`.proxy`), started on first use behind
  jupyter-server-proxy at ``{base_url}supervision-workbook/``, so it keeps its preheated
  kernels, serves only the workbooks folder and sits behind Jupyter's own login.
- On a notebook in the file browser, "Verify review" and "Open as case review". Both only
  *parse* the file on the server (:mod:`.verdict`); nothing in it is ever executed.

The endpoints live under ``{base_url}api/supervision-workbook/`` (:mod:`.handlers`), because
jupyter-server-proxy claims everything under ``{base_url}supervision-workbook/``.

The workspace comes from the ``SupervisionWorkbook.workspace`` setting of the Jupyter
server, or else from ``SUPERVISION_WORKBOOK_WORKSPACE``, as for ``serve``.

This module stays light: Jupyter imports it at start-up, so the handlers, the artifact
reader and everything behind them are imported when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jupyter_server.serverapp import ServerApp

#: The npm package name of the labextension (``labextension/package.json``).
LABEXTENSION = "@supervision-workbook/labextension"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where ``jupyter labextension develop`` finds the built front end."""
    return [{"src": "labextension", "dest": LABEXTENSION}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    return [{"module": "supervision_workbook.lab"}]


def _load_jupyter_server_extension(server_app: ServerApp) -> None:
    """Register the API handlers and remember the configured workspace for the proxy."""
    from .handlers import setup_handlers

    setup_handlers(server_app)
    server_app.log.info("supervision-workbook: Lab extension loaded")


# The name jupyter_server looked for before ``_load_jupyter_server_extension``.
load_jupyter_server_extension = _load_jupyter_server_extension
