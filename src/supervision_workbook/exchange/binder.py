"""Is this a Binder session? The answer decides whether the "nothing persists" banner shows.

Why environment variables: BinderHub's spawner puts the launch request into the environment
of every session's container (``BINDER_REPO_URL``, ``BINDER_REF_URL``,
``BINDER_LAUNCH_HOST``, ``BINDER_REQUEST``, ``BINDER_PERSISTENT_REQUEST``), and the
Jupyter server hands its environment on to the kernels that run the workbooks. Nothing
else on the page knows it runs on mybinder.org. BinderHub sets some of them to an empty
string when the launch did not carry the value, so only a non-empty value counts.

The workspace configuration can force the answer (``binder_mode = "on"`` or ``"off"``), for
a program that runs its own BinderHub under another name or wants the banner on a demo hub.

This module imports nothing heavy: the landing page calls it while the kernel starts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from supervision_workbook.config import WorkspaceConfig

BINDER_ENV: tuple[str, ...] = (
    "BINDER_LAUNCH_HOST",
    "BINDER_REQUEST",
    "BINDER_PERSISTENT_REQUEST",
    "BINDER_REPO_URL",
    "BINDER_REF_URL",
)
"""Variables BinderHub sets in a session's container (any one non-empty value is enough)."""


def detected(environ: Mapping[str, str] | None = None) -> bool:
    """True when the environment carries a BinderHub launch (see :data:`BINDER_ENV`)."""
    env = os.environ if environ is None else environ
    return any(env.get(name, "").strip() for name in BINDER_ENV)


def binder_mode(
    config: WorkspaceConfig | None = None, environ: Mapping[str, str] | None = None
) -> bool:
    """Whether the workbooks run in Binder mode (banner, download and upload up front).

    ``config.binder_mode`` decides when it is ``"on"`` or ``"off"``; with ``"auto"`` (the
    default) or no configuration at all, Binder is detected from the environment.
    """
    mode = getattr(config, "binder_mode", "auto") if config is not None else "auto"
    if mode == "on":
        return True
    if mode == "off":
        return False
    return detected(environ)
