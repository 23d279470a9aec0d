"""Which workspace the Lab face serves: the Jupyter setting, else the environment variable.

The setting (``c.SupervisionWorkbook.workspace = "/path"`` in ``jupyter_server_config.py``,
or ``--SupervisionWorkbook.workspace=/path`` on the command line) is read when the server
extension loads and kept here, because the Voila process behind the proxy is started later,
by jupyter-server-proxy, which knows nothing of our configuration.
"""

from __future__ import annotations

import os
from pathlib import Path

from traitlets import Unicode
from traitlets.config import Configurable

from ..serve import ServeError, check_workspace, workbooks_dir

ENV = "SUPERVISION_WORKBOOK_WORKSPACE"

#: What the page says when neither the setting nor the variable is there.
HOW_TO_SET = (
    "No workspace is set for the supervision workbooks in this JupyterLab. "
    f"Set the environment variable {ENV} to the workspace folder before starting Jupyter "
    "(for example: SUPERVISION_WORKBOOK_WORKSPACE=~/supervision-workspace jupyter lab), "
    "or set c.SupervisionWorkbook.workspace in jupyter_server_config.py. "
    "Create a workspace with 'supervision-workbook init FOLDER', or a synthetic one with "
    "'supervision-workbook demo FOLDER'. Then restart the Jupyter server."
)


class SupervisionWorkbook(Configurable):
    """Jupyter server settings of the supervision-workbook Lab extension."""

    workspace = Unicode(
        "",
        help=f"The workspace folder the workbooks open in JupyterLab. Empty: use ${ENV}.",
    ).tag(config=True)


class NoWorkspace(Exception):
    """Neither the setting nor the environment variable names a workspace."""


_configured: str = ""


def configure(value: str) -> None:
    """Remember the server's ``SupervisionWorkbook.workspace`` setting (may be empty)."""
    global _configured
    _configured = value.strip()


def lab_workspace() -> Path:
    """The workspace as an absolute folder outside the served workbooks folder.

    Raises :class:`NoWorkspace` when none is set, and ``serve.ServeError`` (one line naming
    the folder and the problem) when the one set cannot be used.
    """
    raw = _configured or os.environ.get(ENV, "").strip()
    if not raw:
        raise NoWorkspace(HOW_TO_SET)
    return check_workspace(Path(raw), workbooks_dir())


__all__ = [
    "ENV",
    "HOW_TO_SET",
    "NoWorkspace",
    "ServeError",
    "SupervisionWorkbook",
    "configure",
    "lab_workspace",
]
