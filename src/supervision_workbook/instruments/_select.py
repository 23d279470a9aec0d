"""Which reflection and which rupture log a workspace uses: one choice for every reader.

A program may install more than one reflection instrument (or rupture log). The session
page, the case review, the alert rules, the artifact's cells and its replayed charts must
then all use the same one, or a trainee fills in one reflection and the record describes
another. The choice: the instrument with the project's id (``countertransference``,
``rupture-log``) when it is installed and of the right kind, else the first of that kind
by id, so that the answer never depends on the order the files were read in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from supervision_workbook.instruments._models import (
    Instrument,
    ReflectionInstrument,
    RuptureLogInstrument,
)

REFLECTION_ID = "countertransference"
RUPTURE_LOG_ID = "rupture-log"

_K = TypeVar("_K", bound=Instrument)


def preferred_instrument(
    instruments: Mapping[str, Instrument], kind: type[_K], preferred_id: str
) -> _K | None:
    """``preferred_id`` when it is an instrument of ``kind``, else the first such by id."""
    chosen = instruments.get(preferred_id)
    if isinstance(chosen, kind):
        return chosen
    return next((inst for _id, inst in sorted(instruments.items()) if isinstance(inst, kind)), None)


def reflection_instrument(
    instruments: Mapping[str, Instrument],
) -> ReflectionInstrument | None:
    """The reflection every page, rule and artifact uses (see the module docstring)."""
    return preferred_instrument(instruments, ReflectionInstrument, REFLECTION_ID)


def rupture_log_instrument(
    instruments: Mapping[str, Instrument],
) -> RuptureLogInstrument | None:
    """The rupture log every page, rule and artifact uses (see the module docstring)."""
    return preferred_instrument(instruments, RuptureLogInstrument, RUPTURE_LOG_ID)
