"""A workspace folder: where reviews are saved, found, locked and indexed.

Saving is the one place where two people can lose each other's work, so :meth:`Workspace.save`
follows a fixed order:

1. Build the notebook text first (pure, outside any lock).
2. Take the review's lock (``.locks/<review_id>.lock``), so two saves of one review never
   interleave, whether they come from two threads, two kernels or two machines on a shared
   folder.
3. Under the lock, load the version now on disk and compare its content hash with the one
   the caller loaded (``expected_hash``; ``None`` for a brand-new review). A difference is
   a :class:`ConflictError` and nothing is written. A file on disk that does not load
   (corrupt, tampered) raises the artifact error and is left exactly as it is, so a save
   never destroys evidence or somebody's earlier work.
4. Write atomically (``_atomic``), remove the draft when the review is saved for real,
   update the index.

The *current version* of a review is its draft if one exists, otherwise its record in
``reviews/``: a draft is always made from the latest version and is removed when that
review is saved as a record, so it can only be newer.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from supervision_workbook.config import CONFIG_NAME, DEFAULT_CONFIG_TEXT, load_config

from . import _layout as layout
from ._atomic import atomic_write_text
from ._errors import ConflictError, LockTimeout, NotAWorkspace, WorkspaceError
from ._index import Index
from ._queries import LayoutQueries

if TYPE_CHECKING:
    from supervision_workbook.artifact import LoadedArtifact
    from supervision_workbook.config import WorkspaceConfig
    from supervision_workbook.instruments import Instrument
    from supervision_workbook.model import Review

log = logging.getLogger(__name__)

MAX_DECLARED_NAMES = 50
MAX_NAME_LENGTH = 120


@dataclass(frozen=True)
class SavedRef:
    """Where a save went and the content hash to pass as ``expected_hash`` next time."""

    path: Path
    content_hash: str


def init_workspace(path: Path) -> Path:
    """Create the workspace layout at ``path`` and return it.

    Writes the commented default configuration only when there is none: an existing
    configuration is never overwritten, so running ``init`` again on a workspace is safe
    and only adds folders that are missing.
    """
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    for folder in layout.FOLDERS:
        (root / folder).mkdir(exist_ok=True)
    config = root / CONFIG_NAME
    try:
        with config.open("x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(DEFAULT_CONFIG_TEXT)
    except FileExistsError:
        log.info("%s exists; keeping it", config)
    return root


class Workspace(LayoutQueries):
    """An initialised workspace folder (see ``_layout`` for what lives where)."""

    def __init__(self, path: Path, *, lock_timeout: float = 10.0) -> None:
        root = Path(path)
        if not (root / CONFIG_NAME).is_file():
            raise NotAWorkspace(
                f"{root} is not a supervision-workbook workspace (no {CONFIG_NAME}). "
                f"Create one with: supervision-workbook init {root}"
            )
        self.path = root
        self.lock_timeout = lock_timeout

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"

    @cached_property
    def config(self) -> WorkspaceConfig:
        """The workspace configuration (read once; a bad file raises ``ConfigError``)."""
        return load_config(self.path)

    @cached_property
    def instruments(self) -> dict[str, Instrument]:
        """Shipped instruments plus the workspace's own, with its text packs applied."""
        from supervision_workbook.instruments import load_instruments

        return load_instruments(self.path)

    @cached_property
    def index(self) -> Index:
        return Index(self.path, lambda: self.config, lambda: self.instruments)

    # --- reading ---------------------------------------------------------------------------
    def load(self, path: Path) -> LoadedArtifact:
        """Parse and verify one artifact (a relative path is taken from the workspace)."""
        from supervision_workbook.artifact import load

        path = Path(path)
        return load(path if path.is_absolute() else self.path / path)

    def iter_artifacts(self, include_drafts: bool = False) -> Iterator[Path]:
        """Artifact paths under ``reviews/`` (and ``drafts/`` if asked), in a stable order.
        Temp files of saves in progress and JupyterLab checkpoints are skipped."""
        yield from layout.walk_artifacts(self.path / layout.REVIEWS)
        if include_drafts:
            yield from layout.walk_artifacts(self.path / layout.DRAFTS)

    def find(self, review_id: str) -> Path | None:
        """The saved record of ``review_id`` (not its draft), looked up in the index."""
        return self.index.find(layout.safe_id(review_id, "review id"))

    # --- saving ----------------------------------------------------------------------------
    def save(
        self,
        review: Review,
        expected_hash: str | None = None,
        draft: bool = False,
        *,
        update_index: bool = True,
    ) -> SavedRef:
        """Save ``review`` as a record (or a draft); see the module docstring for the steps.

        ``expected_hash`` is the ``content_hash`` of the version the caller loaded or last
        saved, ``None`` for a review never saved before. ``update_index=False`` is for bulk
        writers that rebuild the index once at the end.

        Raises :class:`ConflictError` (someone saved in between), :class:`LockTimeout`,
        or the artifact layer's ``ArtifactError`` when the file on disk is damaged.
        """
        from supervision_workbook.artifact import dumps_with_hash, integrity

        record_dir = layout.case_folder(self.path, layout.REVIEWS, review)
        draft_dir = layout.case_folder(self.path, layout.DRAFTS, review)
        # A signed record changes only through amendments (integrity.amend); refuse to write
        # one edited in place, before anything touches the disk.
        integrity.verify(review, f"review {review.id}")
        text, new_hash = dumps_with_hash(review, self.instruments, self.config)
        with self._lock(review.id):
            record = layout.find_by_id(record_dir, review.id)
            draft_file = layout.find_by_id(draft_dir, review.id)
            current = draft_file or record
            current_hash = self._hash_on_disk(current)
            if current_hash != expected_hash:
                folder = draft_dir if draft else record_dir
                target = current or folder / layout.artifact_name(review)
                raise ConflictError(target, expected_hash, current_hash)
            if draft:
                target = draft_file or draft_dir / layout.artifact_name(review)
            else:
                target = record or record_dir / layout.artifact_name(review)
                if record is not None and record != current:
                    self._hash_on_disk(record)  # never overwrite a damaged record
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(target, text)
            if not draft and draft_file is not None:
                draft_file.unlink(missing_ok=True)
            if update_index and not draft:
                self._index_quietly(target, review, new_hash)
        return SavedRef(target, new_hash)

    def _hash_on_disk(self, path: Path | None) -> str | None:
        """The content hash of the version on disk, after checking the file is sound.

        A file whose JSON, record, hash or amendment chain is damaged raises, so it is never
        overwritten. The cells are not rebuilt and compared: the record is the source of
        truth, and the save replaces every cell from it anyway (that comparison costs more
        than the whole rest of a save).
        """
        if path is None:
            return None
        from supervision_workbook.artifact import load

        return load(path, check_cells=False).content_hash

    def _index_quietly(self, path: Path, review: Review, content_hash: str) -> None:
        """The artifact is saved; an index hiccup must not turn that into an error (the
        caller would retry and meet a conflict with its own save). The index is a cache:
        the next ``refresh`` or ``rebuild`` catches up."""
        try:
            self.index.upsert(path, review, content_hash)
        except Exception:  # logged; the save itself succeeded
            log.warning("saved %s but could not update the index", path, exc_info=True)

    def _lock(self, key: str, purpose: str = "") -> _Lock:
        (self.path / layout.LOCKS).mkdir(exist_ok=True)
        return _Lock(layout.lock_file(self.path, key, purpose), self.lock_timeout)

    # --- declared names (private) ----------------------------------------------------------
    def declared_names(self, case_id: str) -> list[str]:
        """Names the trainee declared for a case, for the identifier flagger to look for.

        Kept in ``private/``: never indexed, exported or written into an artifact. A
        damaged file is an error rather than an empty list, because an empty list would
        silently switch the name check off.
        """
        path = layout.private_file(self.path, case_id)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            raise WorkspaceError(f"{path}: cannot read the declared names: {exc}") from exc
        names = raw.get("names") if isinstance(raw, dict) else None
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise WorkspaceError(f"{path}: 'names' must be a list of strings")
        return names

    def set_declared_names(self, case_id: str, names: Sequence[str]) -> list[str]:
        """Replace a case's declared names; returns them as stored (trimmed, de-duplicated
        ignoring case, in the order given). An empty list removes the file."""
        path = layout.private_file(self.path, case_id)
        cleaned: list[str] = []
        seen: set[str] = set()
        for name in names:
            if not isinstance(name, str):
                raise WorkspaceError(f"declared names must be text, not {type(name).__name__}")
            name = " ".join(name.split())
            if not name or name.casefold() in seen:
                continue
            if len(name) > MAX_NAME_LENGTH:
                raise WorkspaceError(f"a declared name is longer than {MAX_NAME_LENGTH} characters")
            seen.add(name.casefold())
            cleaned.append(name)
        if len(cleaned) > MAX_DECLARED_NAMES:
            raise WorkspaceError(f"at most {MAX_DECLARED_NAMES} names can be declared per case")
        path.parent.mkdir(exist_ok=True)
        with self._lock(case_id, "names"):
            if cleaned:
                payload = {"case_id": case_id, "names": cleaned}
                atomic_write_text(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
            else:
                path.unlink(missing_ok=True)
        return cleaned


class _Lock:
    """A file lock whose timeout becomes a :class:`LockTimeout` with a readable message."""

    def __init__(self, path: Path, timeout: float) -> None:
        self._path = path
        self._lock = FileLock(path, timeout=timeout)
        self._timeout = timeout

    def __enter__(self) -> _Lock:
        try:
            self._lock.acquire()
        except Timeout:
            raise LockTimeout(
                f"another save of the same review has held {self._path} for more than "
                f"{self._timeout:g} s; try again in a moment"
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
