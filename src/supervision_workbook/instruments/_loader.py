"""Reading instrument files and text packs, with errors a program administrator can act on.

Every problem is reported as ``<file>: <field path>: <problem>``, because the person who
sees it is editing a JSON file by hand and needs to know exactly where to look.

Shipped definitions are read once per process (``functools.lru_cache``) and are frozen
models, so sharing them is safe. Workspace files are read on every call, because a program
may add or fix one while the app runs.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from supervision_workbook.instruments._models import (
    KINDS,
    Instrument,
    ProblemList,
    RatingInstrument,
)

DATA_DIR = Path(__file__).with_name("data")

_FRIENDLY = {
    "extra_forbidden": "unknown field (not part of this kind of instrument)",
    "missing": "missing (this field is required)",
}


class InstrumentError(ValueError):
    """An instrument file or text pack that cannot be used.

    ``source`` is the file, ``problems`` a list of ``(field path, problem)``; the message
    holds all of them, so one read of the message is enough to fix the file.
    """

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = problems
        detail = "; ".join(f"{path}: {problem}" if path else problem for path, problem in problems)
        super().__init__(f"{source}: {detail}")


@lru_cache(maxsize=1)
def _adapter() -> TypeAdapter[Instrument]:
    return TypeAdapter(Instrument)


def _problems(exc: ValidationError) -> list[tuple[str, str]]:
    """Pydantic's errors as (path, problem), without the union's internal tag in the path."""
    out: list[tuple[str, str]] = []
    for err in exc.errors():
        loc = list(err["loc"])
        if loc and loc[0] in KINDS:
            loc = loc[1:]
        base = ".".join(str(part) for part in loc)
        if err["type"] == "union_tag_not_found":
            out.append(("kind", f"missing; say which kind of instrument this is: {_kinds()}"))
            continue
        if err["type"] == "union_tag_invalid":
            found = err["input"].get("kind") if isinstance(err["input"], dict) else None
            out.append(("kind", f"{found!r} is not a kind of instrument; use one of {_kinds()}"))
            continue
        inner = (err.get("ctx") or {}).get("error")
        if isinstance(inner, ProblemList):
            out.extend(
                (".".join(p for p in (base, path) if p), msg) for path, msg in inner.problems
            )
        else:
            out.append((base, _FRIENDLY.get(err["type"], err["msg"])))
    return out


def _kinds() -> str:
    return ", ".join(repr(k) for k in KINDS)


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """json.loads keeps the last of two equal keys; in a hand-edited file that hides a typo."""
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key '{key}' appears twice in one object")
        out[key] = value
    return out


def _read_json(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstrumentError(str(path), [("", f"cannot be read: {exc}")]) from exc
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise InstrumentError(
            str(path), [("", f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}")]
        ) from exc
    except ValueError as exc:
        raise InstrumentError(str(path), [("", str(exc))]) from exc


def parse_instrument(data: object, source: str) -> Instrument:
    """Validate already-parsed JSON as an instrument; ``source`` names it in errors."""
    if not isinstance(data, dict):
        raise InstrumentError(source, [("", "an instrument file must hold one JSON object")])
    try:
        return _adapter().validate_python(data)
    except ValidationError as exc:
        raise InstrumentError(source, _problems(exc)) from exc


def load_instrument(path: Path | str) -> Instrument:
    """Read and validate one instrument file. Raises :class:`InstrumentError`."""
    path = Path(path)
    return parse_instrument(_read_json(path), str(path))


def _json_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    # Editors leave hidden lock and backup files (".#x.json"); they are not definitions.
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))


@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[str, Instrument], ...]:
    return tuple((inst.id, inst) for inst in map(load_instrument, _json_files(DATA_DIR)))


def shipped_instruments() -> dict[str, Instrument]:
    """The instruments that come with the package, by id (read once, then cached)."""
    return dict(_shipped())


class TextPack(BaseModel):
    """Wording for an instrument, from a source the user's licence covers.

    ``items`` maps item ids (``"1"``...) to text; ``anchors`` maps scale values to labels.
    A pack may cover only some items: the rest keep their neutral label.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    instrument: str
    items: dict[str, str]
    anchors: dict[str, str] = Field(default_factory=dict)


def _apply_text_pack(path: Path, instruments: dict[str, Instrument]) -> RatingInstrument:
    source = str(path)
    data = _read_json(path)
    try:
        pack = TextPack.model_validate(data)
    except ValidationError as exc:
        raise InstrumentError(source, _problems(exc)) from exc
    inst = instruments.get(pack.instrument)
    if inst is None:
        known = ", ".join(sorted(i for i, x in instruments.items() if x.kind == "rating"))
        raise InstrumentError(
            source,
            [("instrument", f"'{pack.instrument}' is not a known instrument (known: {known})")],
        )
    if not isinstance(inst, RatingInstrument):
        raise InstrumentError(
            source,
            [
                (
                    "instrument",
                    f"'{inst.id}' is a {inst.kind} instrument; text packs are for "
                    "rating instruments only",
                )
            ],
        )
    problems: list[tuple[str, str]] = []
    ids = [item.id for item in inst.items]
    for key, text in pack.items.items():
        if key not in ids:
            problems.append(
                (f"items.{key}", f"{inst.id} has no item '{key}' (its items are {', '.join(ids)})")
            )
        elif not text.strip():
            problems.append((f"items.{key}", "the text is empty"))
    for key, text in pack.anchors.items():
        try:
            on_scale = inst.scale.contains(float(key))
        except ValueError:
            on_scale = False
        if not on_scale:
            problems.append((f"anchors.{key}", f"is not a point on {inst.scale.describe()}"))
        elif not text.strip():
            problems.append((f"anchors.{key}", "the text is empty"))
    if problems:
        raise InstrumentError(source, problems)
    return inst.with_text_pack(pack.items, pack.anchors, source)


def load_instruments(workspace: Path | str | None = None) -> dict[str, Instrument]:
    """The shipped instruments, plus ``workspace/instruments/*.json``, with
    ``workspace/textpacks/*.json`` applied. Raises :class:`InstrumentError` for any bad file.

    A workspace file may not reuse a shipped id: silently replacing, say, ``srs`` would
    change the meaning of every saved score. To adapt a shipped instrument, copy its file,
    give it a new id, and choose that id in ``supervision-workbook.toml``.
    """
    instruments = shipped_instruments()
    if workspace is None:
        return instruments
    folder = Path(workspace)
    origin: dict[str, str] = {}
    for path in _json_files(folder / "instruments"):
        inst = load_instrument(path)
        if inst.id in origin:
            raise InstrumentError(
                str(path), [("id", f"'{inst.id}' is already defined in {origin[inst.id]}")]
            )
        if inst.id in instruments:
            raise InstrumentError(
                str(path),
                [
                    (
                        "id",
                        f"'{inst.id}' is a shipped instrument and cannot be replaced; give "
                        "your file its own id (copy it, rename the id, and choose it in "
                        "supervision-workbook.toml)",
                    )
                ],
            )
        instruments[inst.id] = inst
        origin[inst.id] = str(path)
    packed: dict[str, str] = {}
    for path in _json_files(folder / "textpacks"):
        inst = _apply_text_pack(path, instruments)
        if inst.id in packed:
            raise InstrumentError(
                str(path),
                [
                    (
                        "instrument",
                        f"{inst.id} already has a text pack ({packed[inst.id]}); "
                        "keep one pack per instrument",
                    )
                ],
            )
        instruments[inst.id] = inst
        packed[inst.id] = str(path)
    return instruments
