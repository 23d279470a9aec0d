"""Review -> notebook: the artifact as a deterministic function of the record.

``to_notebook(review, instruments, config)`` always builds the same notebook from the same
inputs: cell ids are fixed names, execution counts are 1, 2, 3..., chart outputs are exactly
what the replay cell produces when re-executed, and there is never widget state. The reader
(``_read``) rebuilds the cells from the stored record and compares, which is how a hand
edit of a cell is caught.

Layout of the notebook::

    metadata.supervision_workbook = {schema_version, record, content_hash, settings}
    markdown  title            case, kind, status, dates
    markdown  summary          scores per session/instrument/respondent, every alert message
    markdown  session-<n>...   ruptures, reflections, notes (only sessions that have any)
    markdown  meeting          supervisor notes, goals, tasks, action items (if any)
    markdown  signoff          sign-off and amendments (if signed off)
    code      replay           Replay.from_inputs(<chart inputs>, <settings>), no output
    code      chart-<name>...  review.show("<name>") with its stored plotly output

The replay cell carries only the part of the record that the charts are drawn from, in a
compact positional form (``_chart_inputs``: no free text, no meeting or sign-off), because
the whole record is already in the metadata. It is JSON *with ASCII escapes*
(``\\u00e9``), so the Python literal that ``repr()`` makes does not depend on which Unicode
version the writer's Python knows (``repr`` escapes characters it considers unprintable).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..config import AlertConfig, WorkspaceConfig
from ..model import SCHEMA_VERSION, Review
from . import _cells
from ._chart_inputs import encode
from ._json import notebook_text
from ._settings import settings_for, used_instruments
from .integrity import _by_meaning, _canonical, _sha256
from .replay import Replay

if TYPE_CHECKING:
    import nbformat

    from ..instruments import Instrument

#: The notebook metadata key that holds the record.
METADATA_KEY = "supervision_workbook"

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def _ascii_json(obj: object) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def _markdown(cell_id: str, source: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source}


def _code(
    cell_id: str,
    source: str,
    count: int,
    outputs: list[dict[str, Any]],
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "id": cell_id,
        "metadata": metadata or {},
        "source": source,
        "execution_count": count,
        "outputs": outputs,
    }


def resolve_inputs(
    instruments: Mapping[str, Instrument] | None,
    config: WorkspaceConfig | AlertConfig | None,
) -> tuple[Mapping[str, Instrument], AlertConfig]:
    """Defaults: the shipped instruments and the default alert thresholds."""
    if instruments is None:
        from ..instruments import shipped_instruments

        instruments = shipped_instruments()
    if config is None:
        alerts = AlertConfig()
    elif isinstance(config, WorkspaceConfig):
        alerts = config.alerts
    else:
        alerts = config
    return instruments, alerts


def build_cells(replay: Replay, settings: dict[str, Any]) -> list[dict[str, Any]]:
    """Every cell of the artifact, as plain dicts (the reader compares these)."""
    review = replay.review
    cells = [_markdown("title", _cells.title(review)), _markdown("summary", _cells.summary(replay))]
    for entry in sorted(review.sessions, key=lambda s: s.number):
        text = _cells.session(replay, entry)
        if text is not None:
            cells.append(_markdown(f"session-{entry.number}", text))
    for cell_id, text in (("meeting", _cells.meeting(review)), ("signoff", _cells.signoff(review))):
        if text is not None:
            cells.append(_markdown(cell_id, text))
    replay_source = (
        "from supervision_workbook.artifact.replay import Replay\n"
        f"review = Replay.from_inputs({_ascii_json(encode(review))!r}, "
        f"{_ascii_json(settings)!r})"
    )
    # The record literal is long: JupyterLab shows this cell collapsed.
    cells.append(
        _code("replay", replay_source, 1, [], metadata={"jupyter": {"source_hidden": True}})
    )
    for count, name in enumerate(replay.available(), start=2):
        output = {"output_type": "display_data", "data": replay.bundle(name), "metadata": {}}
        cells.append(_code(f"chart-{name}", f'review.show("{name}")', count, [output]))
    return cells


def build_parts(
    review: Review,
    instruments: Mapping[str, Instrument] | None = None,
    config: WorkspaceConfig | AlertConfig | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(metadata block, cells) of the artifact of ``review``."""
    instruments, alerts = resolve_inputs(instruments, config)
    used = used_instruments(review, instruments)
    settings = settings_for(used, alerts)
    record = _by_meaning(review.model_dump(mode="json"))  # what content_hash covers
    try:
        # The canonical JSON that the content hash covers (integrity.canonical_json), made
        # once here and reused: a save used to compute it three times.
        canonical = _canonical(record, allow_nan=False)
    except ValueError as exc:
        # Python would write "Infinity", which is not JSON: JupyterLab could not open the file.
        raise ValueError(
            f"cannot save review {review.id}: it holds a number that is not finite (an "
            "answer of infinity?), which a notebook file cannot store"
        ) from exc
    block = {
        "schema_version": SCHEMA_VERSION,
        "record": record,
        "content_hash": _sha256(canonical),
        "settings": settings,
    }
    # Build from the record as a reader will see it: the file stores mappings with sorted
    # keys, and the alert rules and cells iterate some mappings (reflection themes) in order.
    # The canonical text is that JSON, with sorted keys.
    as_read = Review.model_validate(json.loads(canonical))
    return block, build_cells(Replay(as_read, used, alerts), settings)


def to_notebook(
    review: Review,
    instruments: Mapping[str, Instrument] | None = None,
    config: WorkspaceConfig | AlertConfig | None = None,
) -> nbformat.NotebookNode:
    """The artifact of ``review`` as a (version 4.5) notebook. Deterministic.

    ``instruments`` defaults to the shipped ones and ``config`` to the default thresholds;
    pass the workspace's (``Workspace.instruments``, ``Workspace.config``). The ones used
    are recorded in the artifact, so it can be validated and re-executed elsewhere.
    """
    import nbformat

    return nbformat.from_dict(_notebook_dict(review, instruments, config))


def _notebook_dict(
    review: Review,
    instruments: Mapping[str, Instrument] | None,
    config: WorkspaceConfig | AlertConfig | None,
) -> dict[str, Any]:
    block, cells = build_parts(review, instruments, config)
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": dict(KERNELSPEC),
            "language_info": {"name": "python"},
            METADATA_KEY: block,
        },
        "cells": cells,
    }


#: Non-``text/*`` mimetypes that nbformat also stores as lists of lines.
_SPLIT_MIMES = frozenset({"application/javascript", "image/svg+xml"})


def _split_bundle(data: dict[str, Any]) -> None:
    for key, value in data.items():
        if isinstance(value, str) and (key.startswith("text/") or key in _SPLIT_MIMES):
            data[key] = value.splitlines(True)


def dumps(
    review: Review,
    instruments: Mapping[str, Instrument] | None = None,
    config: WorkspaceConfig | AlertConfig | None = None,
) -> str:
    """The artifact of ``review`` as notebook JSON text, byte for byte what
    ``nbformat.writes`` produces (a test holds the two together).

    Why not call ``nbformat.writes``: it validates with jsonschema, whose import builds the
    rfc3987 grammar (1.7 to 4 s here, docs/PERFORMANCE.md), so a kernel's first save
    would stall for seconds. The notebook is built fresh from the record, so there is no
    foreign input to validate; the tests run ``nbformat.validate`` on what this writes.
    """
    return dumps_with_hash(review, instruments, config)[0]


def dumps_with_hash(
    review: Review,
    instruments: Mapping[str, Instrument] | None = None,
    config: WorkspaceConfig | AlertConfig | None = None,
) -> tuple[str, str]:
    """:func:`dumps`, and the content hash the text carries (``content_hash(review)``),
    computed once for both: the store needs the two together on every save."""
    notebook = _notebook_dict(review, instruments, config)
    for cell in notebook["cells"]:
        if isinstance(cell.get("source"), str):
            cell["source"] = cell["source"].splitlines(True)
        for output in cell.get("outputs", ()):
            if output.get("output_type") in ("execute_result", "display_data"):
                _split_bundle(output.get("data", {}))
            elif output.get("output_type") == "stream" and isinstance(output.get("text"), str):
                output["text"] = output["text"].splitlines(True)
    text = notebook_text(notebook)  # json.dumps(..., indent=1, sort_keys=True, ...)
    return text, notebook["metadata"][METADATA_KEY]["content_hash"]
