"""JupyterHub for one machine: one OS account per person, Voila as the front door.

Start it as root (it must switch to each person's account):

    jupyterhub -f /etc/supervision-workbook/jupyterhub_config.py

Everything site-specific comes from environment variables, so this file can be used as it
is and tested as it is (tests/test_jupyterhub.py loads it and overrides only what a test
machine needs):

    SWB_BIND_URL        where the hub listens (default http://127.0.0.1:8000; put a TLS
                        reverse proxy in front, see README.md)
    SWB_EXCHANGE        the shared exchange folder (default /srv/exchange)
    SWB_ROSTER          the roster (default $SWB_EXCHANGE/roster.json)
    SWB_WORKSPACE_NAME  each person's workspace folder in their home (default
                        supervision-workspace)
    SWB_ADMINS          comma-separated hub administrators (default: none)

Who may log in: exactly the people in the roster (trainees and supervisors) and the
administrators. Authentication is PAM (the machine's own accounts and passwords); swap in
your institution's OAuthenticator if you have one, with the same user names.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from supervision_workbook.serve import EXTENSION_ALLOWLIST, JUPYTER_DATA, TEMPLATE, workbooks_dir

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

EXCHANGE = Path(os.environ.get("SWB_EXCHANGE", "/srv/exchange"))
ROSTER = Path(os.environ.get("SWB_ROSTER", str(EXCHANGE / "roster.json")))
WORKSPACE_NAME = os.environ.get("SWB_WORKSPACE_NAME", "supervision-workspace")
BIN = Path(sys.executable).parent  # the environment the hub and the package live in


def _roster_users(path: Path) -> set[str]:
    """Everyone the roster names. Read as plain JSON: the hub only needs the names."""
    try:
        roster = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set()
    users: set[str] = set()
    for trainee, entry in roster.get("trainees", {}).items():
        users.add(trainee)
        users.update(entry.get("supervisors", []))
    return users


# --- the hub ---------------------------------------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("SWB_BIND_URL", "http://127.0.0.1:8000")
c.JupyterHub.cookie_secret_file = "/srv/jupyterhub/jupyterhub_cookie_secret"  # noqa: S105 - a path
c.JupyterHub.db_url = "sqlite:////srv/jupyterhub/jupyterhub.sqlite"
# JupyterHub does not stop idle servers by itself: add the jupyterhub-idle-culler service
# (README.md) so that a forgotten session does not hold memory for days.

# --- who may log in ----------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.admin_users = {u for u in os.environ.get("SWB_ADMINS", "").split(",") if u}
c.Authenticator.allowed_users = _roster_users(ROSTER) | c.Authenticator.admin_users
# PAM: the hub must not create accounts; an administrator does (README.md, "Accounts").
c.LocalAuthenticator.create_system_users = False

# --- each person's server ------------------------------------------------------------------------
# LocalProcessSpawner ships with JupyterHub: each server runs as its owner's OS account, so
# the operating system enforces the exchange folder's permissions. SystemdSpawner (package
# jupyterhub-systemdspawner) adds memory and CPU limits; see README.md.
c.JupyterHub.spawner_class = "localprocess"

# Serve only the workbooks; the workspace (the clinical records) stays outside the served
# folder and reaches the kernels through the environment.
c.Spawner.notebook_dir = str(workbooks_dir())
c.Spawner.default_url = "/voila/render/index.ipynb"


def _workspace(spawner) -> str:  # spawner: a jupyterhub Spawner
    import pwd

    return str(Path(pwd.getpwnam(spawner.user.name).pw_dir) / WORKSPACE_NAME)


c.Spawner.environment = {
    "SUPERVISION_WORKBOOK_WORKSPACE": _workspace,
    "SUPERVISION_WORKBOOK_EXCHANGE": str(EXCHANGE),
    "SUPERVISION_WORKBOOK_ROSTER": str(ROSTER),
    # Where Voila finds the page template (Voila's lab template without its CDN fonts).
    "JUPYTER_PATH": str(JUPYTER_DATA),
}
# Create the workspace on first start (as the person, so it is theirs; `init --exist-ok`
# keeps an existing workspace and its configuration), then start the single-user server.
c.Spawner.cmd = [
    "/bin/sh",
    "-c",
    f'"{BIN}/supervision-workbook" init --exist-ok "$SUPERVISION_WORKBOOK_WORKSPACE" >/dev/null '
    f'&& exec "{BIN}/jupyterhub-singleuser" "$@"',
    "jupyterhub-singleuser",
]
# The same Voila settings as `supervision-workbook serve`: no tracebacks in the page (they
# can quote clinical text), no code shown, no request to a CDN, only the JupyterLab
# extensions a workbook needs (a Lab extension or jupyter-server-proxy's would load on every
# Voila page and fail there). Also: gzip (tornado_settings reach the server's constructor in
# server-extension mode; a page weighs about a third), and kernels without a connection are
# culled after 10 minutes of inactivity. (The landing page's plotly-free page config needs a
# Python config file, as binder/jupyter/jupyter_server_config.py does; not set up here.)
# Kernels stay on TCP here: an IPC socket is named after the person's runtime folder
# (~/.local/share/jupyter/runtime/kernel-<id>-ipc-N), which overflows the 107 bytes a Unix
# socket name may hold when home folders are deep; Kubernetes pods (/home/jovyan) use IPC.
c.Spawner.args = [
    f"--VoilaConfiguration.template={TEMPLATE}",
    *(f"--VoilaConfiguration.extension_allowlist={name}" for name in EXTENSION_ALLOWLIST),
    "--ServerApp.tornado_settings=compress_response=True",
    "--MappingKernelManager.cull_idle_timeout=600",
    "--MappingKernelManager.cull_interval=60",
    "--VoilaConfiguration.show_tracebacks=False",
    "--VoilaConfiguration.strip_sources=True",
    "--VoilaExecutor.cell_error_instruction=The workbook could not start. Nothing was saved "
    "by this attempt. The details are in the hub's log (kept out of the page because they "
    "can quote clinical text); tell your administrator the time it happened.",
]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
