"""Limits and shape checks that stand between a crafted file and the rest of the reader.

Why a separate step, before the record is even looked at: the reader's later checks (the
review model, the hashes, the cell comparison) assume JSON of a sane shape. A crafted file
can break that assumption in ways that surface as a ``RecursionError``, an integer
conversion error or a ``TypeError`` deep inside a library instead of a message: nesting
thousands of levels deep, a number of 5,000 digits, ``"nbformat_minor": "5"``, outputs that
are not a list. Each of those is refused here with its own :class:`ArtifactError`. The
limits are far beyond any real review (a year of weekly sessions is under 2 MB and nests
about a dozen levels), so they never refuse a genuine file.

Active content is refused here too, whatever the rest of the file says: supervision-workbook
writes only markdown cells and code cells whose outputs are a plotly figure and its plain
text. An output of any other type (HTML that may carry script, JavaScript, a widget view,
SVG) runs or renders code when the file is opened in JupyterLab or converted by ``jupyter
nbconvert``, and raw cells are copied into converted HTML as they are.
"""

from __future__ import annotations

import re
from typing import Any

from ._errors import ActiveContent, CorruptArtifact, OversizedArtifact
from .replay import PLOTLY_MIME

#: The largest artifact the reader accepts. A year of weekly sessions is under 2 MB.
MAX_ARTIFACT_BYTES = 10 * 1024 * 1024
MAX_ARTIFACT_MB = MAX_ARTIFACT_BYTES // 2**20

#: How deeply the review's metadata block may nest. A record nests about eight levels.
MAX_DEPTH = 32

#: The only output mimetypes an artifact holds (``replay.Replay.bundle``).
SAFE_MIMES = frozenset({PLOTLY_MIME, "text/plain"})
_OUTPUT_TYPES = frozenset({"display_data", "execute_result", "stream", "error"})
_CELL_TYPES = frozenset({"markdown", "code", "raw"})

#: Raw HTML in a markdown cell. The cells escape every ``<`` of user text (``&lt;``) and
#: write no HTML of their own, so a genuine artifact never matches.
_RAW_HTML = re.compile(r"<\s*[A-Za-z!?/]")

_INF = float("inf")


def check_size(size: int, source: str) -> None:
    if size > MAX_ARTIFACT_BYTES:
        raise OversizedArtifact(
            source,
            f"the file is {size / 2**20:.1f} MB; a review file may be at most "
            f"{MAX_ARTIFACT_MB} MB (MAX_ARTIFACT_BYTES), and a year of weekly sessions is "
            "under 2 MB. It is not a review artifact, or it was padded",
        )


def text_size(text: str) -> int:
    """UTF-8 size of ``text``, computed only when it could matter (a character is at most
    four bytes)."""
    if len(text) * 4 <= MAX_ARTIFACT_BYTES:
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def too_deep(source: str) -> OversizedArtifact:
    return OversizedArtifact(
        source,
        f"its JSON is nested more than {MAX_DEPTH} levels deep, which no review file is "
        "(a crafted file?)",
    )


def too_long_number(source: str) -> OversizedArtifact:
    return OversizedArtifact(
        source,
        "it holds a number with more than 4,300 digits, which no review file does "
        "(a crafted file?)",
    )


def check_block(block: dict[str, Any], source: str) -> None:
    """Walk the review's metadata block once: refuse nesting deeper than
    :data:`MAX_DEPTH` (the record's free amendment values, the settings) and numbers that
    JSON cannot hold (``1e999`` parses as infinity)."""
    stack: list[tuple[Any, int]] = [(block, 1)]
    while stack:
        value, depth = stack.pop()
        kind = type(value)
        if kind is dict or kind is list:
            if depth > MAX_DEPTH:
                raise too_deep(source)
            items = value.values() if kind is dict else value
            stack.extend((v, depth + 1) for v in items if type(v) in (dict, list, float))
        elif kind is float and (value == _INF or value == -_INF):
            raise CorruptArtifact(
                source, "it holds a number too large for JSON (such as 1e999) in its metadata"
            )


def _one_of(value: Any, names: frozenset[str]) -> bool:
    return type(value) is str and value in names


def _lines(value: Any) -> bool:
    return type(value) is str or (type(value) is list and all(type(line) is str for line in value))


def _check_output(output: Any, where: str, source: str) -> None:
    if type(output) is not dict or not _one_of(output.get("output_type"), _OUTPUT_TYPES):
        raise CorruptArtifact(source, f"not a valid notebook ({where}: not an output)")
    data = output.get("data", {})
    if type(data) is not dict:
        raise CorruptArtifact(source, f"not a valid notebook ({where}: 'data' must be an object)")
    for mime, value in data.items():
        if mime not in SAFE_MIMES:
            raise ActiveContent(
                source,
                f"{where} holds a '{mime[:80]}' output, which supervision-workbook never "
                "writes and which could run code or show other content when the file is "
                "opened or converted; refusing it",
            )
        if mime == "text/plain" and not _lines(value):
            raise CorruptArtifact(source, f"not a valid notebook ({where}: text must be text)")
    if "text" in output and not _lines(output["text"]):
        raise CorruptArtifact(source, f"not a valid notebook ({where}: text must be text)")


def check_cells(notebook: dict[str, Any], source: str) -> list[dict[str, Any]]:
    """The notebook's cells, after checking their shape and refusing active content."""
    cells = notebook.get("cells")
    if type(cells) is not list:
        raise CorruptArtifact(source, "not a valid notebook (cells must be a list of cells)")
    for number, cell in enumerate(cells, start=1):
        if type(cell) is not dict or not _one_of(cell.get("cell_type"), _CELL_TYPES):
            raise CorruptArtifact(source, "not a valid notebook (cells must be a list of cells)")
        where = f"cell {number}"
        kind = cell["cell_type"]
        if not _lines(cell.get("source", "")):
            raise CorruptArtifact(source, f"not a valid notebook ({where}: source must be text)")
        if type(cell.get("metadata", {})) is not dict:
            raise CorruptArtifact(
                source, f"not a valid notebook ({where}: metadata must be an object)"
            )
        if kind == "raw":
            raise ActiveContent(
                source,
                f"{where} is a raw cell, which supervision-workbook never writes and which "
                "converted HTML passes on as it is; refusing it",
            )
        if cell.get("attachments"):
            raise ActiveContent(
                source, f"{where} carries attachments, which supervision-workbook never writes"
            )
        if kind == "markdown":
            text = cell.get("source", "")
            if _RAW_HTML.search(text if type(text) is str else "".join(text)):
                raise ActiveContent(
                    source,
                    f"{where} holds raw HTML, which supervision-workbook never writes (it "
                    "escapes every '<') and which can run script when the file is converted; "
                    "refusing it",
                )
            continue
        outputs = cell.get("outputs", [])
        if type(outputs) is not list:
            raise CorruptArtifact(source, f"not a valid notebook ({where}: outputs must be a list)")
        for index, output in enumerate(outputs, start=1):
            _check_output(output, f"{where}, output {index}", source)
    return cells


def check_format(notebook: dict[str, Any], source: str) -> None:
    """``nbformat`` 4 with a whole-number ``nbformat_minor`` (nbformat's own validator
    fails with an ``AssertionError`` on anything else)."""
    major, minor = notebook.get("nbformat"), notebook.get("nbformat_minor")
    if type(major) is not int or major != 4:
        raise CorruptArtifact(source, f"not a version 4 notebook (nbformat {repr(major)[:40]})")
    if type(minor) is not int or not 0 <= minor < 1000:
        raise CorruptArtifact(
            source,
            f"not a valid notebook ('nbformat_minor' must be a whole number, not "
            f"{repr(minor)[:40]})",
        )
