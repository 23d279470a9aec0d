"""Instrument definitions: data files with a schema, plus the text packs that give
licensed instruments their wording.

What lives where:

* ``data/*.json`` - the shipped definitions. Our own instruments (alliance check-ins,
  supervision check-in, rupture log, countertransference reflection) are written in this
  project's words. Licensed instruments (WAI-SR, SRS, ORS) ship as structure and scoring
  only: their item text is ``null`` and the user supplies wording in
  ``workspace/textpacks/`` from a source their own licence covers.
* ``_models.py`` - the pydantic models of the three kinds; the only definition of what a
  file may say. ``_parts.py`` holds the parts they are built from (scale, item, cut-off...).
* ``_loader.py`` - reading files, workspace extras and text packs, with errors that name
  the file, the field path and the problem.
* ``_select.py`` - which reflection and rupture log a workspace uses (one choice for all).
* ``instrument.schema.json`` - generated from the models (``write_schema()``).

Importing this package costs json and pydantic only, so the kernel's start-up stays fast.
"""

from __future__ import annotations

from supervision_workbook.instruments._loader import (
    InstrumentError,
    TextPack,
    load_instrument,
    load_instruments,
    parse_instrument,
    shipped_instruments,
)
from supervision_workbook.instruments._models import (
    Choice,
    Cutoff,
    Instrument,
    Item,
    Licence,
    Norms,
    Prompt,
    RatingInstrument,
    ReflectionInstrument,
    RuptureLogInstrument,
    Scale,
    Theme,
)
from supervision_workbook.instruments._schema import (
    INSTRUMENT_SCHEMA_PATH,
    instrument_schema,
    write_schema,
)
from supervision_workbook.instruments._select import (
    REFLECTION_ID,
    RUPTURE_LOG_ID,
    preferred_instrument,
    reflection_instrument,
    rupture_log_instrument,
)

__all__ = [
    "INSTRUMENT_SCHEMA_PATH",
    "REFLECTION_ID",
    "RUPTURE_LOG_ID",
    "Choice",
    "Cutoff",
    "Instrument",
    "InstrumentError",
    "Item",
    "Licence",
    "Norms",
    "Prompt",
    "RatingInstrument",
    "ReflectionInstrument",
    "RuptureLogInstrument",
    "Scale",
    "TextPack",
    "Theme",
    "instrument_schema",
    "load_instrument",
    "load_instruments",
    "parse_instrument",
    "preferred_instrument",
    "reflection_instrument",
    "rupture_log_instrument",
    "shipped_instruments",
    "write_schema",
]
