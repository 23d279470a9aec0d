"""Notebook text -> validated review. Nothing in the file is ever executed.

The file is untrusted input (it travels by download, upload and shared folders), so it is
parsed with ``json.loads`` and checked, in this order, each failure with its own error:

1. not empty and complete JSON (:class:`TruncatedArtifact` for an interrupted save or
   download, :class:`CorruptArtifact` for anything else that is not JSON);
2. a valid version 4 notebook (``nbformat.validate``) carrying our metadata key
   (:class:`CorruptArtifact`);
3. a schema version this package reads, migrating older ones (:class:`UnknownSchemaVersion`);
4. a record that the review model accepts (:class:`InvalidRecord`, naming the field path),
   and settings that resolve;
5. ``content_hash`` equal to the hash of the record, the sign-off and amendment chain
   intact, and every cell equal to what the record builds (:class:`TamperedArtifact`).

Before step 2, ``_guard`` refuses what would otherwise surface as a traceback or run as code:
a file over 10 MB, JSON nested too deeply or holding a number of thousands of digits
(:class:`OversizedArtifact`), a malformed cell or output, and any active content (an output
other than the plotly figure and its text, raw HTML in markdown, a raw cell:
:class:`ActiveContent`).

Step 5 compares every cell, whatever the settings block claims: the generator named there
and the instrument hashes are what the cells were built with, not a reason to skip the
check, so a file whose cells are not the cells its record produces always fails. Only a
file migrated from an older record schema is returned with ``cells_verified=False`` (its
cells were built by a version whose layout this one does not reproduce); a change of the
cell layout therefore goes with a schema version and a migration. Its record, hash and
chain are checked in full, and its cells pass the active-content check like any other.

Cells are compared by ``_compare``: what a reader sees and what re-execution checks, so a
faithful re-serialisation (JupyterLab's save, ``nbformat.writes``) is not tampering.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..model import SCHEMA_VERSION, Review
from . import _guard
from ._build import METADATA_KEY, build_cells
from ._compare import compare_cells, mismatch_hint, settings_by_value
from ._errors import (
    CorruptArtifact,
    InvalidRecord,
    TamperedArtifact,
    TruncatedArtifact,
    UnknownSchemaVersion,
)
from ._releases import earlier_release
from ._settings import resolve
from .integrity import _canonical, _sha256, accepts_content_hash, content_hash, verify
from .migrations import MIGRATIONS
from .replay import Replay


@dataclass(frozen=True)
class LoadedArtifact:
    """A validated review and the hash the file carried.

    ``migrated_from`` is the schema version the file was written in, when it was older.
    ``cells_verified`` is False when the cells were not compared (a migrated file, or
    ``check_cells=False``; ``notes`` says which): the record itself was still fully checked.
    """

    review: Review
    content_hash: str
    migrated_from: int | None = None
    cells_verified: bool = True
    notes: tuple[str, ...] = field(default=())


class _NotJson(ValueError):
    pass


def _no_constant(name: str) -> object:
    """Python's json accepts NaN and Infinity; JSON (and JupyterLab) does not."""
    raise _NotJson(name)


def _parse_json(text: str, source: str) -> object:
    if not text.strip():
        raise TruncatedArtifact(source, "the file is empty (an interrupted save or download?)")
    _guard.check_size(_guard.text_size(text), source)
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise _guard.too_deep(source) from None
    except json.JSONDecodeError as exc:
        end = len(text.rstrip())
        at_end = (
            exc.pos >= end
            or exc.msg.startswith("Unterminated string")
            or (exc.msg.startswith("Invalid \\uXXXX escape") and exc.pos + 6 > end)
        )
        if at_end:
            raise TruncatedArtifact(
                source,
                f"the file ends early (line {exc.lineno}, column {exc.colno}): it was cut off "
                "while saving or downloading; ask for it again",
            ) from exc
        raise CorruptArtifact(
            source, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    except _NotJson as exc:
        raise CorruptArtifact(source, f"not valid JSON: {exc} is not a JSON number") from exc
    except ValueError:
        # Not a JSONDecodeError: the only other ValueError the decoder raises is Python's
        # limit on converting a number of more than 4,300 digits.
        raise _guard.too_long_number(source) from None


def _notebook(data: object, source: str) -> dict[str, Any]:
    if not isinstance(data, dict) or "cells" not in data or "nbformat" not in data:
        raise CorruptArtifact(source, "not a notebook (no 'nbformat' and 'cells')")
    _guard.check_format(data, source)
    _guard.check_cells(data, source)
    if not isinstance(data.get("metadata"), dict):
        raise CorruptArtifact(source, "not a valid notebook (metadata must be an object)")
    return data


def _schema_check(data: dict[str, Any], source: str) -> None:
    """nbformat's own schema check, for ``strict=True`` (``validate``). It runs last, after
    every other check, so a file that fails another check gets the same message from
    ``validate`` as from the store and the index (which do not pay for jsonschema)."""
    import nbformat

    try:
        nbformat.validate(data, version=4)
    except nbformat.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "top level"
        raise CorruptArtifact(source, f"not a valid notebook (at {where}: {exc.message})") from exc


def _field_path(err: dict[str, Any]) -> str:
    return ".".join(str(p) for p in err["loc"]) or "record"


def _validate_record(record: object, source: str) -> Review:
    if not isinstance(record, dict):
        raise InvalidRecord(source, "the 'record' must be a JSON object")
    try:
        return Review.model_validate(record)
    except ValidationError as exc:
        errors = exc.errors()
        shown = "; ".join(f"field '{_field_path(e)}': {e['msg']}" for e in errors[:3])
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise InvalidRecord(
            source, f"the record does not fit the review model: {shown}{more}"
        ) from exc


def _check_migratable(version: int, source: str) -> None:
    missing = [v for v in range(version, SCHEMA_VERSION) if v not in MIGRATIONS]
    if missing:
        raise UnknownSchemaVersion(
            source,
            f"written with record schema {version}, which this version of supervision-workbook "
            f"cannot migrate (it reads schema {SCHEMA_VERSION})",
        )


def _migrate(version: int, record: dict[str, Any]) -> dict[str, Any]:
    while version < SCHEMA_VERSION:
        record = MIGRATIONS[version](record)
        version += 1
    return record


def loads(
    text: str, source: str = "<artifact>", *, check_cells: bool = True, strict: bool = False
) -> LoadedArtifact:
    """Validate artifact text and return its review; see the module docstring for the checks.

    The instruments and thresholds that the cells were built with come from the artifact's
    own settings block, so no workspace is needed and a later change of configuration does
    not make old files fail.

    ``check_cells=False`` skips rebuilding and comparing the cells (the record, its hash
    and the amendment chain are always checked): the store uses it to read the hash of the
    file it is about to replace. ``strict=True`` adds nbformat's own schema check, which
    costs a jsonschema import; ``supervision-workbook validate`` uses it.
    """
    try:
        loaded, notebook = _loads(text, source, check_cells)
    except RecursionError:  # a nesting the guards did not foresee: still a message
        raise _guard.too_deep(source) from None
    if strict:
        _schema_check(notebook, source)
    return loaded


def _loads(text: str, source: str, check_cells: bool) -> tuple[LoadedArtifact, dict[str, Any]]:
    notebook = _notebook(_parse_json(text, source), source)
    block = notebook["metadata"].get(METADATA_KEY)
    if not isinstance(block, dict):
        raise CorruptArtifact(
            source,
            f"a notebook, but not a supervision-workbook review (no '{METADATA_KEY}' metadata)",
        )
    _guard.check_block(block, source)
    version = block.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidRecord(source, f"'schema_version' must be a whole number, not {version!r}")
    if version > SCHEMA_VERSION:
        raise UnknownSchemaVersion(
            source,
            f"written by a newer supervision-workbook (schema {version}); this version reads "
            f"{SCHEMA_VERSION}. Update supervision-workbook to open it.",
        )
    record = block.get("record")
    stored_hash = block.get("content_hash")
    if not isinstance(stored_hash, str):
        raise InvalidRecord(source, "'content_hash' is missing")
    migrated_from = None
    if version < SCHEMA_VERSION:
        _check_migratable(version, source)
        # The hash was computed by the old version over the old record: check it there.
        if not isinstance(record, dict) or _sha256(_canonical(record)) != stored_hash:
            raise TamperedArtifact(source, "content_hash does not match the record")
        record = _migrate(version, record)
        migrated_from = version
    if isinstance(record, dict):
        # The mappings in sorted key order, as they were written: the cells list some of
        # them (reflection themes, an amendment's changes) in order, and an editor may have
        # written the keys in another order.
        record = json.loads(json.dumps(record, sort_keys=True))
    review = _validate_record(record, source)
    if migrated_from is None and not accepts_content_hash(review, stored_hash):
        raise TamperedArtifact(
            source,
            "content_hash does not match the record: the record was edited outside "
            "supervision-workbook",
        )
    verify(review, source)
    settings = resolve(block.get("settings"), source)
    notes: list[str] = []
    if migrated_from is not None:
        notes.append(
            f"migrated from schema {migrated_from}: cells were written by an older "
            "version and were not compared"
        )
    if not check_cells:
        notes.append("cells were not compared (check_cells=False)")
    elif migrated_from is None and (earlier := earlier_release(block.get("settings"))):
        notes.append(
            f"its cells were written by {earlier}, whose alert rules and instrument "
            "definitions differ from today's, and were not compared; its record, hash chain "
            "and signatures were checked"
        )
    if not notes:
        replay = Replay(review, settings.instruments, settings.alerts)
        expected = build_cells(replay, settings_by_value(block, settings))
        compare_cells(notebook["cells"], expected, source, mismatch_hint(settings))
    loaded = LoadedArtifact(
        review=review,
        content_hash=content_hash(review),
        migrated_from=migrated_from,
        cells_verified=not notes,
        notes=tuple(notes),
    )
    return loaded, notebook


def load(path: str | Path, *, check_cells: bool = True, strict: bool = False) -> LoadedArtifact:
    """Read and validate the artifact at ``path`` (errors name the path)."""
    path = Path(path)
    if not stat.S_ISREG(path.stat().st_mode):  # a FIFO or a device would block or never end
        raise CorruptArtifact(str(path), "not a regular file")
    with path.open("rb") as handle:
        _guard.check_size(os.fstat(handle.fileno()).st_size, str(path))
        raw = handle.read(_guard.MAX_ARTIFACT_BYTES + 1)
    _guard.check_size(len(raw), str(path))  # grown since the stat
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.end >= len(raw) - 3 and exc.reason == "unexpected end of data":
            raise TruncatedArtifact(
                str(path),
                "the file ends in the middle of a character: "
                "it was cut off while saving or downloading",
            ) from exc
        raise CorruptArtifact(str(path), f"not UTF-8 text (byte {exc.start})") from exc
    return loads(text, str(path), check_cells=check_cells, strict=strict)
