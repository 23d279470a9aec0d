"""The wheel's build hook (``[tool.hatch.build.hooks.jupyter-builder]`` in pyproject.toml).

hatch-jupyter-builder's ``npm_builder`` does the work, as in the JupyterLab extension
template; this wrapper only turns a missing Node.js into one line that says what to
install, instead of a ``FileNotFoundError`` deep in a build log. A wheel built from our
sdist never gets here: the sdist carries the built labextension (``skip-if-exists``).
"""

from __future__ import annotations

import shutil
from typing import Any

NEEDS_NODE = (
    "Building the JupyterLab extension of supervision-workbook needs Node.js (20.19 or "
    "later, or 22.12 or later) and npm on PATH. Install them (Debian and Ubuntu: "
    "'apt-get install nodejs npm'; otherwise https://nodejs.org), then build again."
)


def build(target_name: str, version: str, **kwargs: Any) -> None:
    from hatch_jupyter_builder import npm_builder

    if shutil.which("node") is None or shutil.which("npm") is None:
        raise RuntimeError(NEEDS_NODE)
    npm_builder(target_name, version, **kwargs)
