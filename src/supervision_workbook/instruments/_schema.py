"""The JSON Schema of instrument files, generated from the pydantic models.

The committed ``instrument.schema.json`` is for people and editors (autocompletion and
inline errors while writing a workspace instrument). It is never the thing that validates:
the models are. A test checks that the committed file equals what the models generate, so
after changing a model (or upgrading pydantic) run::

    python -m supervision_workbook.instruments
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from supervision_workbook.instruments._models import Instrument

INSTRUMENT_SCHEMA_PATH = Path(__file__).with_name("instrument.schema.json")


def instrument_schema() -> dict[str, Any]:
    """The schema as a dict (JSON Schema draft 2020-12, as pydantic emits it)."""
    body = TypeAdapter(Instrument).json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "supervision-workbook instrument",
        "description": (
            "One instrument definition: a rating scale, the rupture-and-repair log, or the "
            "countertransference reflection. Generated from "
            "supervision_workbook.instruments; do not edit by hand."
        ),
        **body,
    }


def schema_text() -> str:
    return json.dumps(instrument_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path | str | None = None) -> Path:
    """Regenerate the schema file (by default the committed one) and return its path."""
    target = Path(path) if path is not None else INSTRUMENT_SCHEMA_PATH
    target.write_text(schema_text(), encoding="utf-8")
    return target
