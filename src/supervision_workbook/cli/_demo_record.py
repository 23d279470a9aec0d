"""Which files in a workspace the ``demo`` command wrote: ``demo-manifest.json``.

Why a record: ``demo --replace`` must remove the previous demo and nothing else. A synthetic
review cannot be told from real work by its content (the demo's data changes between
versions, and a person can complete a session in a demo case), so ``demo`` lists every file
it wrote with the SHA-256 of its bytes. ``--replace`` removes a listed file only while it is
byte for byte what the demo wrote; if any listed file was changed since, or has a draft,
nothing is removed. Files not listed are never touched.

The record is untrusted like everything in a workspace: a path that is not an artifact
under ``reviews/`` or ``drafts/`` of this workspace is refused, so a tampered record cannot
make ``--replace`` delete anything else.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from supervision_workbook.console import UserError, plural

MANIFEST = "demo-manifest.json"
_AREAS = ("reviews", "drafts")
_ABOUT = (
    "Files written by `supervision-workbook demo` (synthetic data only). `demo --replace` "
    "removes these, and only while each is unchanged; no other file is ever removed."
)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def artifacts(root: Path) -> set[str]:
    """Every artifact under ``reviews/`` and ``drafts/``, relative to ``root`` (posix)."""
    from supervision_workbook.store._layout import walk_artifacts

    found: set[str] = set()
    for area in _AREAS:
        found.update(p.relative_to(root).as_posix() for p in walk_artifacts(root / area))
    return found


def read(root: Path) -> list[dict[str, Any]] | None:
    """The demos recorded in ``root`` (oldest first), or ``None`` when there is no record."""
    path = root / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(
            f"{path}: not a readable demo record ({exc}); nothing was changed"
        ) from None
    demos = data.get("demos") if isinstance(data, dict) else None
    if not isinstance(demos, list) or not all(
        isinstance(d, dict) and isinstance(d.get("files"), dict) for d in demos
    ):
        raise UserError(
            f"{path}: 'demos' must be a list of demos with 'files'; nothing was changed"
        )
    for demo in demos:
        for rel in demo["files"]:
            _checked(root, rel)
    return demos


def _checked(root: Path, rel: object) -> Path:
    """``root / rel`` for an artifact path under ``reviews/`` or ``drafts/``; else refused."""
    ok = isinstance(rel, str) and rel.endswith(".ipynb") and rel.split("/", 1)[0] in _AREAS
    path = root / rel if isinstance(rel, str) else root
    if ok and ".." not in Path(rel).parts and not Path(rel).is_absolute():
        base = (root / rel.split("/", 1)[0]).resolve()
        if base in path.resolve().parents:
            return path
    raise UserError(
        f"{root / MANIFEST}: lists {rel!r}, which is not an artifact of this workspace; "
        "refusing the record, nothing was changed"
    )


def write(root: Path, demos: list[dict[str, Any]]) -> None:
    from supervision_workbook.store import atomic_write_text

    payload = {"about": _ABOUT, "format": 1, "demos": demos}
    atomic_write_text(root / MANIFEST, json.dumps(payload, indent=1, sort_keys=True) + "\n")


def entry(spec: Any, root: Path, files: Iterable[str]) -> dict[str, Any]:
    return {
        "seed": spec.seed,
        "trainees": spec.trainees,
        "cases": spec.cases,
        "sessions": spec.sessions,
        "files": {rel: sha256(root / rel) for rel in sorted(files)},
    }


def remove_previous(root: Path, demos: list[dict[str, Any]] | None) -> int:
    """Remove the files of the recorded demos, all or none; returns how many were removed.

    Refuses (``UserError``, nothing removed) when there is no record but there are reviews,
    or when a recorded file changed since the demo wrote it or has a draft.
    """
    if demos is None:
        present = artifacts(root)
        if not present:
            return 0
        raise UserError(
            f"{root}: holds {plural(len(present), 'review')} but no record of a demo written "
            f"there ({MANIFEST}); --replace removes only what `demo` wrote, so nothing was "
            "changed. Write the demo to a new folder, or use --add with another --seed."
        )
    listed = [_checked(root, rel) for demo in demos for rel in demo["files"]]
    hashes = {_checked(root, rel): sha for demo in demos for rel, sha in demo["files"].items()}
    changed: list[Path] = []
    for path in listed:
        if not path.exists():
            continue
        if sha256(path) != hashes[path]:
            changed.append(path)
        changed.extend(_drafts_of(root, path))
    if changed:
        more = f" (and {len(changed) - 1} more)" if len(changed) > 1 else ""
        raise UserError(
            f"{changed[0]}: changed since the demo wrote it{more}; --replace would lose that "
            "work, so nothing was changed. Move it out of the workspace, or write the new "
            "demo to another folder."
        )
    removed: set[str] = set()
    count = 0
    try:
        for demo in demos:
            for rel in demo["files"]:
                path = _checked(root, rel)
                if path.exists():
                    path.unlink()
                    count += 1
                    _prune(path)
                removed.add(rel)
    finally:  # a file that could not be removed stays on the record, so --replace can retry
        left = [
            {**demo, "files": {r: h for r, h in demo["files"].items() if r not in removed}}
            for demo in demos
        ]
        write(root, [demo for demo in left if demo["files"]])
    return count


def _prune(path: Path) -> None:
    """Remove the case and trainee folders a removed file leaves empty."""
    for folder in (path.parent, path.parent.parent):
        try:
            folder.rmdir()
        except OSError:  # not empty: other reviews live there
            return


def _drafts_of(root: Path, record: Path) -> list[Path]:
    """Drafts of the review saved in ``record`` (someone's unsaved edit of a demo review)."""
    parts = record.relative_to(root).parts
    if parts[0] != "reviews" or len(parts) != 4:
        return []
    review_id = record.stem.rsplit("_", 1)[-1]
    drafts = root / "drafts" / parts[1] / parts[2]
    return sorted(drafts.glob(f"*_{review_id}.ipynb")) if drafts.is_dir() else []
