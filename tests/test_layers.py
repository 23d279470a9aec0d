"""The layer rule: model, scoring, charts, artifact and store never import ipywidgets.

If a core module grew a widget import, every CLI call, every `validate` on a server and every
re-executed artifact would pay for a front-end stack it does not use, and the pure layers
could no longer be tested without a kernel.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "supervision_workbook"
CORE = [
    "model", "config", "instruments", "scoring", "alerts", "charts", "artifact", "store",
    "privacy", "demo", "export", "importer", "exchange", "cli", "signing",
]  # fmt: skip
FORBIDDEN = {"ipywidgets", "anywidget", "IPython", "voila"}


def _core_files() -> list[Path]:
    files: list[Path] = []
    for name in CORE:
        path = PACKAGE / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [PACKAGE / f"{name}.py"])
    return files


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_core_module_imports_a_widget_library_at_module_level(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:  # module level only: replay imports IPython inside show()
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_importing_every_core_layer_loads_no_widget_library() -> None:
    code = (
        "import sys\n"
        + "".join(f"import supervision_workbook.{name}\n" for name in CORE)
        + "from supervision_workbook.artifact import replay\n"
        + f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r})\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core import pulled in: {out.stdout.strip()}"
