"""The cell comparison of step 5 (``_read``), and the hint a mismatch carries.

Cells are compared on what a reader sees and what re-execution checks: cell type, source
and outputs, with JSON values compared by meaning (``3`` equals ``3.0``, key order does
not matter). Cell ids, cell metadata, execution counts, notebook metadata other than ours
and the layout of the text are not compared, and the settings are compared by value, so a
faithful re-serialisation (JupyterLab's save, ``nbformat.writes``) is not tampering.

A mismatch names the first cell that differs and what differs in it (type, text or output),
plus what the file's settings claim (another generator, other definitions), so that a
reader can tell a genuine file from another version from one edited by a person.
"""

from __future__ import annotations

from typing import Any

from ._errors import TamperedArtifact
from ._settings import GENERATOR


def _joined(value: Any) -> Any:
    """A multi-line string as nbformat writes it (a list of lines) joined back."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    return value


def _data(data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    # nbformat stores text mimetypes as lists of lines, JSON mimetypes as JSON.
    return {key: value if key.endswith("json") else _joined(value) for key, value in data.items()}


def _visible(cell: dict[str, Any]) -> dict[str, Any]:
    """What the cell comparison looks at (see the module docstring); ``_guard`` has
    checked the shape of every cell and output."""
    seen: dict[str, Any] = {
        "cell_type": cell.get("cell_type"),
        "source": _joined(cell.get("source", "")),
    }
    if cell.get("cell_type") == "code":
        seen["outputs"] = [
            {
                "output_type": o.get("output_type"),
                "data": _data(o.get("data")),
                "name": o.get("name"),
                "text": _joined(o.get("text")),
            }
            for o in cell.get("outputs", [])
        ]
    return seen


def compare_cells(
    actual: list[Any], expected: list[dict[str, Any]], source: str, hint: str
) -> None:
    for index, (have, want) in enumerate(zip(actual, expected, strict=False)):
        seen, wanted = _visible(have), _visible(want)
        if seen == wanted:
            continue
        what = next(
            part
            for part in ("cell_type", "source", "outputs")
            if seen.get(part) != wanted.get(part)
        )
        name = {"cell_type": "type", "source": "text", "outputs": "output"}[what]
        raise TamperedArtifact(
            source,
            f"cell {index + 1} (expected '{want['id']}') differs from what the record "
            f"produces: its {name} was changed{hint}",
        )
    if len(actual) != len(expected):
        raise TamperedArtifact(
            source,
            f"has {len(actual)} cells where the record produces {len(expected)}: cells were "
            f"added or removed{hint}",
        )


def mismatch_hint(settings: Any) -> str:
    """What the settings claim, added to a cell mismatch: a genuine file from another
    version is told apart from an edited one by a person, not by the file's own word."""
    claims = []
    if settings.generator != GENERATOR:
        claims.append(f"it says it was written by {settings.generator[:80]}")
    if settings.stale:
        claims.append(
            "it names other definitions of " + ", ".join(s[:40] for s in settings.stale[:5])
        )
    return f" ({'; '.join(claims)})" if claims else ""


def settings_by_value(block: dict[str, Any], settings: Any) -> dict[str, Any]:
    """The settings as the replay cell writes them, from their values: JupyterLab writes
    the thresholds' ``1.0`` back as ``1``, which must not make the cell 'changed'."""
    return {**block["settings"], "alerts": settings.alerts.model_dump(mode="json")}
