"""``python -m supervision_workbook.instruments``: regenerate ``instrument.schema.json``.

Run it after changing the instrument models (or upgrading pydantic); the test suite fails
until the committed schema matches the models again.
"""

from __future__ import annotations

from supervision_workbook.instruments._schema import write_schema

if __name__ == "__main__":
    print(f"wrote {write_schema()}")
