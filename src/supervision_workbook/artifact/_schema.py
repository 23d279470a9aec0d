"""The record's JSON Schema, generated from ``model.Review`` and shipped with the package.

The pydantic model is the source of truth; the committed ``schema/review.v<N>.schema.json``
is its ``model_json_schema()`` for other tools (a program's own scripts, editors), and a
test checks that the file still equals what the model generates. Regenerate it with
``python -c "from supervision_workbook.artifact import write_schema; write_schema()"``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..model import SCHEMA_VERSION, Review

SCHEMA_DIR = Path(__file__).with_name("schema")
SCHEMA_PATH = SCHEMA_DIR / f"review.v{SCHEMA_VERSION}.schema.json"


def review_schema() -> dict[str, Any]:
    """The JSON Schema of a stored record, as the model generates it."""
    schema = Review.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text() -> str:
    """The schema as the committed file holds it (sorted keys, two-space indent)."""
    return json.dumps(review_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schema(path: Path | None = None) -> Path:
    """Write the generated schema (default: the packaged file) and return its path."""
    target = Path(path) if path is not None else SCHEMA_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(schema_text(), encoding="utf-8")
    return target
