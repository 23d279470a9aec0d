"""Find the front-end sources of the project's anywidgets (``widgets/*.js`` and ``*.css``).

Why two places: the ES modules and style sheets live in the repository's ``widgets/``
folder, beside the Python package rather than inside it, so that front-end files are
edited and reviewed as front-end files. The wheel copies that folder into the package as
``supervision_workbook/_widgets`` (``force-include`` in ``pyproject.toml``), while an
editable install imports the package from ``src/`` and finds the folder at
``<repo>/widgets``. :func:`widget_source` tries the installed location first, then the
repository one, and names both when neither has the file.

Files are read as text once per process (``lru_cache``): anywidget sends the text to the
page as the ``_esm`` / ``_css`` trait of each widget, and nothing here watches files for
changes, which would start a thread per file in every kernel.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parents[2]  # supervision_workbook/
#: Where the wheel puts the files, and where an editable install finds them.
CANDIDATE_DIRS: tuple[Path, ...] = (
    _PACKAGE_DIR / "_widgets",
    _PACKAGE_DIR.parent.parent / "widgets",
)


def widgets_dir(candidates: tuple[Path, ...] = CANDIDATE_DIRS) -> Path:
    """The first folder in ``candidates`` that exists (the installed one wins)."""
    for folder in candidates:
        if folder.is_dir():
            return folder
    tried = ", ".join(str(p) for p in candidates)
    raise FileNotFoundError(f"the widget front-end folder is missing (looked in: {tried})")


@cache
def widget_source(name: str) -> str:
    """The text of ``widgets/<name>``, e.g. ``widget_source("rating.js")``."""
    if "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"not a widget file name: {name!r}")
    tried = []
    for folder in CANDIDATE_DIRS:
        path = folder / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
        tried.append(str(path))
    raise FileNotFoundError(f"widget file {name!r} not found (looked in: {', '.join(tried)})")
