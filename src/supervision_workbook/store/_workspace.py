"""A workspace folder: where reviews are saved, found, locked and indexed.

Saving is the one place where two people can lose each other's work, so :meth:`Workspace.save`
follows a fixed order:

1. Build the notebook text first (pure, outside any lock).
2. Take the review's lock (``.locks/<review_id>.lock``), so two saves of one review never
   interleave, whether they come from two threads, two kernels or two machines on a shared
   folder.
3. Under the lock, load the version now on disk. A record that has left the trainee's
   hands (submitted, reviewed, signed) is replaced only as ``_protect`` allows, else
   :class:`RecordProtected` names the version on record. Then compare the content hash
   with the one the caller loaded (``expected_hash``; ``None`` for a brand-new review). A
   difference is a :class:`ConflictError` and nothing is written. A file on disk that does
   not load (corrupt, tampered) raises the artifact error and is left exactly as it is, so
   a save never destroys evidence or somebody's earlier work.
4. Write atomically (``_atomic``; a signed record read-only, so an editor asks before it
   writes over it), remove the draft when the review is saved for real, update the index.

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

from supervision_workbook.config import CONFIG_NAME, DEFAULT_CONFIG_TEXT, load_config

from . import _layout as layout
from ._atomic import atomic_write_text
from ._errors import ConflictError, NotAWorkspace, WorkspaceError
from ._index import Index
from ._lock import Lock
from ._protect import check_replace
from ._queries import LayoutQueries
from ._rows import BadFile
from ._temps import STALE_TEMP_SECONDS, clean_stale_temps

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


def init_workspace(path: Path, *, exist_ok: bool = True) -> Path:
    """Create the workspace layout at ``path`` and return it.

    Writes the commented default configuration only when there is none: an existing
    configuration is never overwritten, so with ``exist_ok`` (the default) running it
    again on a workspace is safe and only adds folders that are missing. Without it, an
    existing workspace is a :class:`WorkspaceError` and nothing is changed.
    """
    root = Path(path)
    if not exist_ok and (root / CONFIG_NAME).exists():
        raise WorkspaceError(f"{root}: already a workspace ({CONFIG_NAME}); nothing was changed")
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
        """The index. Opening it first removes stale temp files of killed saves (once per
        ``Workspace``), so clinical text does not linger in hidden files."""
        try:
            self.clean_stale_temps()
        except OSError:  # housekeeping must never stop the dashboard
            log.warning("could not clean stale temp files in %s", self.path, exc_info=True)
        return Index(self.path, lambda: self.config, lambda: self.instruments)

    # --- reading ---------------------------------------------------------------------------
    def load(self, path: Path) -> LoadedArtifact:
        """Parse and verify one artifact (a relative path is taken from the workspace).

        A symbolic link is refused: it can point outside the workspace, and a link dropped
        into a shared folder would otherwise be read as one of its records.
        """
        from supervision_workbook.artifact import load

        path = Path(path)
        path = path if path.is_absolute() else self.path / path
        if path.is_symlink():
            raise WorkspaceError(f"{path}: a symbolic link, not a saved review; refusing it")
        return load(path)

    def damaged(self) -> list[BadFile]:
        """Files in ``reviews/`` that are not sound reviews, each with the message that
        ``supervision-workbook validate`` prints for it (after an index refresh). Views show
        these as damaged instead of leaving them out."""
        return self.index.refresh()

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
        from supervision_workbook.signing import sign_links_made_here

        record_dir = layout.case_folder(self.path, layout.REVIEWS, review)
        draft_dir = layout.case_folder(self.path, layout.DRAFTS, review)
        # A signed record changes only through amendments (integrity.amend); refuse to write
        # one edited in place, before anything touches the disk.
        integrity.verify(review, f"review {review.id}")
        review = sign_links_made_here(review, self.path)  # a sign-off made here: our key
        text, new_hash = dumps_with_hash(review, self.instruments, self.config)
        with self._lock(review.id):
            record = layout.find_by_id(record_dir, review.id)
            draft_file = layout.find_by_id(draft_dir, review.id)
            current = draft_file or record
            on_disk = self._on_disk(current)
            # The record guards itself against older copies (``_protect``). A draft save
            # next to an existing draft needs no second read: saving the record removes
            # the draft, so that draft was made after the record and passed this check.
            if record is not None and not (draft and draft_file is not None):
                kept = on_disk if record == current else self._on_disk(record)
                assert kept is not None
                check_replace(record, kept, review, draft=draft)  # never a damaged one
            current_hash = on_disk.content_hash if on_disk is not None else None
            if current_hash != expected_hash:
                folder = draft_dir if draft else record_dir
                target = current or folder / layout.artifact_name(review)
                raise ConflictError(target, expected_hash, current_hash)
            if draft:
                target = draft_file or draft_dir / layout.artifact_name(review)
            else:
                target = record or record_dir / layout.artifact_name(review)
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(target, text, read_only=review.signoff is not None and not draft)
            if not draft and draft_file is not None:
                draft_file.unlink(missing_ok=True)
            if update_index and not draft:
                self._index_quietly(target, review, new_hash)
        return SavedRef(target, new_hash)

    def keep_aside(self, review: Review) -> Path:
        """Save ``review`` under ``conflicts/`` beside, never over, the workspace's record:
        an incoming copy that differs from a submitted or signed record (``collect``). Named
        by its content hash, so keeping the same copy twice writes one file. Not indexed."""
        from supervision_workbook.artifact import dumps_with_hash

        text, digest = dumps_with_hash(review, self.instruments, self.config)
        folder = layout.case_folder(self.path, layout.CONFLICTS, review)
        target = folder / layout.artifact_name(review).replace(
            layout.ARTIFACT_SUFFIX, f"_{digest[:12]}{layout.ARTIFACT_SUFFIX}"
        )
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, text)
        return target

    def _on_disk(self, path: Path | None) -> LoadedArtifact | None:
        """The version on disk, after checking the file is sound.

        A file whose JSON, record, hash or amendment chain is damaged raises, so it is never
        overwritten. The cells are not rebuilt and compared: the record is the source of
        truth, and the save replaces every cell from it anyway (that comparison costs more
        than the whole rest of a save).
        """
        if path is None:
            return None
        from supervision_workbook.artifact import load

        return load(path, check_cells=False)

    # --- housekeeping ----------------------------------------------------------------------
    def clean_stale_temps(self, max_age: float = STALE_TEMP_SECONDS) -> list[Path]:
        """Remove temp files that killed saves left behind (see ``_temps``); returns them."""
        return clean_stale_temps(self.path, max_age)

    def _index_quietly(self, path: Path, review: Review, content_hash: str) -> None:
        """The artifact is saved; an index hiccup must not turn that into an error (the
        caller would retry and meet a conflict with its own save). The index is a cache:
        the next ``refresh`` or ``rebuild`` catches up."""
        try:
            self.index.upsert(path, review, content_hash)
        except Exception:  # logged; the save itself succeeded
            log.warning("saved %s but could not update the index", path, exc_info=True)

    def _lock(self, key: str, purpose: str = "") -> Lock:
        return Lock(layout.lock_file(self.path, key, purpose), self.lock_timeout)

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
