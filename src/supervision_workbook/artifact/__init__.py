"""Review <-> ``.ipynb``: the saved artifact, its schema and integrity (docs/ARCHITECTURE.md).

Public API::

    to_notebook(review, instruments=None, config=None) -> nbformat.NotebookNode
    dumps(review, instruments=None, config=None) -> str
    dumps_with_hash(review, instruments=None, config=None) -> (str, content hash)
    loads(text, source="<artifact>") -> LoadedArtifact(review, content_hash, ...)
    load(path) -> LoadedArtifact
    ArtifactError > CorruptArtifact, TruncatedArtifact, UnknownSchemaVersion,
                    InvalidRecord, TamperedArtifact (> ActiveContent), OversizedArtifact
    MAX_ARTIFACT_BYTES (10 MB: larger files are refused with OversizedArtifact)
    integrity: canonical_json, content_hash, sign_off, amend, verify (also re-exported)
    SCHEMA_PATH, review_schema(), write_schema(path=None), METADATA_KEY

Why the imports below are lazy: a kernel that re-executes an artifact imports
``supervision_workbook.artifact.replay``, which first imports this package. ``nbformat``
pulls in jsonschema and its format checkers (about 1.7 s here), so the reading and writing
modules load only when one of their names is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import (
    ActiveContent,
    ArtifactError,
    CorruptArtifact,
    InvalidRecord,
    OversizedArtifact,
    TamperedArtifact,
    TruncatedArtifact,
    UnknownSchemaVersion,
)
from .integrity import amend, canonical_json, content_hash, sign_off, verify

if TYPE_CHECKING:
    from ._build import METADATA_KEY, dumps, dumps_with_hash, to_notebook
    from ._guard import MAX_ARTIFACT_BYTES
    from ._read import LoadedArtifact, load, loads
    from ._schema import SCHEMA_PATH, review_schema, write_schema

_LAZY = {
    "METADATA_KEY": "._build",
    "dumps": "._build",
    "dumps_with_hash": "._build",
    "to_notebook": "._build",
    "LoadedArtifact": "._read",
    "MAX_ARTIFACT_BYTES": "._guard",
    "load": "._read",
    "loads": "._read",
    "SCHEMA_PATH": "._schema",
    "review_schema": "._schema",
    "write_schema": "._schema",
}

__all__ = [
    "MAX_ARTIFACT_BYTES",
    "METADATA_KEY",
    "SCHEMA_PATH",
    "ActiveContent",
    "ArtifactError",
    "CorruptArtifact",
    "InvalidRecord",
    "LoadedArtifact",
    "OversizedArtifact",
    "TamperedArtifact",
    "TruncatedArtifact",
    "UnknownSchemaVersion",
    "amend",
    "canonical_json",
    "content_hash",
    "dumps",
    "dumps_with_hash",
    "load",
    "loads",
    "review_schema",
    "sign_off",
    "to_notebook",
    "verify",
    "write_schema",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
