"""The settings an artifact was built with: alert thresholds and instrument definitions.

Why an artifact carries them: its cells (scores, alerts, charts) are a function of the
record *and* of the instruments and thresholds in force when it was saved. If the reader
had to supply them, every artifact would fail validation ("cells do not match") the day a
program changed a threshold, and re-executing an artifact (nbval) on another machine would
produce other charts. So the artifact records, beside the record:

* ``generator``: the package version that built the cells;
* ``alerts``: the :class:`~supervision_workbook.config.AlertConfig` in force (~300 bytes);
* ``instruments``: for each instrument the cells use, the sha256 of its definition, plus the
  full definition when it is not one of the package's shipped instruments (a shipped one is
  referenced by hash only, which keeps every artifact ~10 kB smaller).

Definitions are serialised with ``model_dump``, which never includes text-pack wording
(licensed item text lives in private attributes), so no licensed wording reaches a file.
A definition is stored as a JSON *string*: the order of its mappings is meaningful (the
order of ``subscale_labels`` is the order people see), and notebook files are written with
sorted keys, which would reorder an embedded object.

What the block claims (the generator, an instrument's hash) never lets the reader skip
comparing the cells: a file whose cells are not what its record builds fails, whatever it
says about where it came from (see ``_read``); ``stale`` only adds a hint to that message.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .. import __version__
from ..config import AlertConfig
from ..instruments import (
    Instrument,
    InstrumentError,
    ReflectionInstrument,
    RuptureLogInstrument,
    parse_instrument,
    preferred_instrument,
    shipped_instruments,
)
from ..model import Review
from ._errors import InvalidRecord


def _canonical(obj: object) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


GENERATOR = f"supervision-workbook {__version__}"


#: id(instrument) -> (instrument, its definition hash). Definitions are frozen models,
#: shared and cached by the loaders, and every save and load hashes each one it uses (twice
#: when it is a shipped one): remembering the hash per object saves a dump and a sha256 each
#: time. The entry holds the object, so its id cannot be reused while it is in here.
_HASHES: dict[int, tuple[Instrument, str]] = {}
_HASHES_MAX = 256


def definition_hash(instrument: Instrument) -> str:
    """sha256 of an instrument's canonical definition (never including text-pack wording)."""
    known = _HASHES.get(id(instrument))
    if known is not None and known[0] is instrument:
        return known[1]
    digest = hashlib.sha256(_canonical(instrument.model_dump(mode="json")).encode()).hexdigest()
    if len(_HASHES) >= _HASHES_MAX:
        _HASHES.clear()
    _HASHES[id(instrument)] = (instrument, digest)
    return digest


def _preferred(instruments: Mapping[str, Instrument], kind: type, preferred_id: str) -> str | None:
    """The id of the instrument of ``kind`` the cells use: ``preferred_id`` when it is one,
    else the first such instrument by id (the same choice as ``alerts`` makes)."""
    chosen = preferred_instrument(instruments, kind, preferred_id)
    return chosen.id if chosen is not None else None


def used_instruments(
    review: Review, instruments: Mapping[str, Instrument]
) -> dict[str, Instrument]:
    """The instruments the cells of ``review`` depend on, in id order.

    The rating instruments its responses name (those available), the countertransference
    reflection and the rupture log. Passing only these to the alert rules also makes their
    choice of reflection instrument independent of the caller's dictionary order.
    """
    ids = {r.instrument_id for s in review.sessions for r in s.responses}
    if review.checkin is not None:
        ids.update(r.instrument_id for r in review.checkin.responses)
    wanted = {i for i in ids if i in instruments}
    for kind, preferred in (
        (ReflectionInstrument, "countertransference"),
        (RuptureLogInstrument, "rupture-log"),
    ):
        chosen = _preferred(instruments, kind, preferred)
        if chosen is not None:
            wanted.add(chosen)
    return {i: instruments[i] for i in sorted(wanted)}


def settings_for(used: Mapping[str, Instrument], alerts: AlertConfig) -> dict[str, Any]:
    """The JSON-safe settings block stored in the artifact."""
    shipped = shipped_instruments()
    entries: dict[str, Any] = {}
    for inst_id, inst in used.items():
        digest = definition_hash(inst)
        entry: dict[str, Any] = {"sha256": digest}
        if inst_id not in shipped or definition_hash(shipped[inst_id]) != digest:
            entry["definition"] = json.dumps(inst.model_dump(mode="json"), ensure_ascii=False)
        entries[inst_id] = entry
    return {
        "generator": GENERATOR,
        "alerts": alerts.model_dump(mode="json"),
        "instruments": entries,
    }


@dataclass
class Resolved:
    """Settings turned back into objects. ``stale`` names shipped instruments whose
    definition differs from the one the artifact was built with."""

    instruments: dict[str, Instrument]
    alerts: AlertConfig
    generator: str = GENERATOR
    stale: list[str] = field(default_factory=list)


def resolve(settings: object, source: str) -> Resolved:
    """Validate a stored settings block (untrusted) and rebuild the objects it names."""
    if not isinstance(settings, dict) or not isinstance(settings.get("instruments"), dict):
        raise InvalidRecord(source, "settings: must be an object with 'alerts' and 'instruments'")
    try:
        alerts = AlertConfig.model_validate(settings.get("alerts", {}))
    except ValidationError as exc:
        from ..formatting import field_problems

        raise InvalidRecord(source, field_problems(exc, "settings.alerts")[0]) from exc
    generator = settings.get("generator")
    if not isinstance(generator, str):
        raise InvalidRecord(source, "settings.generator: must name the version that wrote it")
    shipped = shipped_instruments()
    instruments: dict[str, Instrument] = {}
    stale: list[str] = []
    for inst_id, entry in sorted(settings["instruments"].items()):
        where = f"settings.instruments.{inst_id}"
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            raise InvalidRecord(source, f"{where}: must be an object with a 'sha256'")
        if "definition" in entry:
            try:
                text = entry["definition"]
                if not isinstance(text, str):
                    raise ValueError("must be JSON text")
                inst = parse_instrument(json.loads(text), f"{where}.definition")
            except InstrumentError as exc:
                raise InvalidRecord(source, str(exc)) from exc
            except ValueError as exc:
                raise InvalidRecord(source, f"{where}.definition: {exc}") from exc
            if inst.id != inst_id or definition_hash(inst) != entry["sha256"]:
                raise InvalidRecord(source, f"{where}: definition does not match its id or hash")
        elif inst_id in shipped:
            inst = shipped[inst_id]
            if definition_hash(inst) != entry["sha256"]:
                stale.append(inst_id)
        else:
            stale.append(inst_id)
            continue
        instruments[inst_id] = inst
    raw_alerts = settings.get("alerts")
    if isinstance(raw_alerts, dict) and isinstance(raw_alerts.get("cutoff_comparison"), str):
        # Written under the 0.1 rules (one global comparison): named in a tampering hint.
        # Whether its cells are compared is ``_releases``' decision, not this claim's.
        stale.append("the alert rules")
    return Resolved(instruments=instruments, alerts=alerts, generator=generator, stale=stale)
