"""What a workbook needs to know about a workspace: trainees, cases, history, drafts.

Pure look-ups over :class:`store.Workspace` (no widgets), so the views stay thin and the
rules are testable on their own:

* **Trainees and cases** come from the index (records in ``reviews/``) plus the drafts,
  which the index leaves out on purpose: a trainee who has only ever saved a draft must
  still find their case after a reload.
* **A case's history** is every session recorded in the case's records, one per session
  number; where a number appears in several reviews (a session workbook and a later case
  review), the store's rule picks the copy (``store.winning_copies``), as on the caseload.
* **The latest draft** of a trainee's case is the most recently updated session draft in
  ``drafts/<trainee>/<case>/``. A draft that cannot be read is reported, never deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from supervision_workbook.model import Case, ReviewKind, SessionEntry, Trainee
from supervision_workbook.store import copy_rank, winning_copies

if TYPE_CHECKING:
    from supervision_workbook.artifact import LoadedArtifact
    from supervision_workbook.config import WorkspaceConfig
    from supervision_workbook.instruments import (
        Instrument,
        RatingInstrument,
        ReflectionInstrument,
        RuptureLogInstrument,
    )
    from supervision_workbook.model import Review
    from supervision_workbook.store import ReviewRow, Workspace

_K = TypeVar("_K")


@dataclass
class Directory:
    """Trainees by id (name for display) and each trainee's cases by id (code for display)."""

    trainees: dict[str, str] = field(default_factory=dict)
    cases: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    #: (trainee id, case id) of the most recently updated session draft, if any.
    latest_draft: tuple[str, str] | None = None

    def add(self, trainee_id: str, trainee_name: str, case_id: str | None, code: str) -> None:
        self.trainees.setdefault(trainee_id, trainee_name)
        cases = self.cases.setdefault(trainee_id, {})
        if case_id is not None:
            cases.setdefault(case_id, code)

    def trainee_options(self) -> list[tuple[str, str]]:
        return sorted(
            ((name, tid) for tid, name in self.trainees.items()),
            key=lambda o: (o[0].casefold(), o[1]),
        )

    def case_options(self, trainee_id: str | None) -> list[tuple[str, str]]:
        cases = self.cases.get(trainee_id or "", {})
        return sorted(((code, cid) for cid, code in cases.items()), key=lambda o: o[0].casefold())


def unreadable_draft(exc: BaseException) -> str:
    """The one wording for a draft that cannot be read (so repeated reports merge)."""
    return f"A draft could not be read; it was left as it is and skipped: {exc}"


def scan_directory(ws: Workspace) -> Directory:
    """Every trainee and case with a record or a draft in ``ws``."""
    directory = Directory()
    try:
        for row in ws.index.reviews():
            directory.add(row.trainee_id, row.trainee_name, row.case_id, row.case_code)
    except Exception as exc:
        directory.problems.append(f"The workspace index could not be read: {exc}")
    newest: tuple[tuple[datetime, str], Review] | None = None
    for path in ws.draft_files():
        try:
            review = ws.load(path).review
        except Exception as exc:
            directory.problems.append(unreadable_draft(exc))
            continue
        directory.add(review.trainee.id, review.trainee.name, review.case.id, review.case.code)
        rank = copy_rank(review.updated, path)
        if review.kind == ReviewKind.session and (newest is None or rank > newest[0]):
            newest = (rank, review)
    if newest is not None:
        directory.latest_draft = (newest[1].trainee.id, newest[1].case.id)
    return directory


class CaseHistory:
    """A case's recorded sessions (one per number, in order) and who it belongs to.

    Built from the index, which answers at once; the artifacts themselves are read only
    when :attr:`sessions`, :attr:`trainee` or :attr:`case` is first asked for (the first
    chart or save), because reading an artifact validates it as a notebook, which costs
    the kernel a second or more of imports the first time.
    """

    def __init__(
        self,
        rows: Sequence[ReviewRow] = (),
        load: Callable[[Path], Review] | None = None,
        *,
        exclude_review_id: str | None = None,
        problems: list[str] | None = None,
    ) -> None:
        self.rows = [r for r in rows if r.review_id != exclude_review_id]
        self._load = load
        self._exclude = exclude_review_id
        self._reviews: list[tuple[Path, Review]] | None = (
            None if load is not None and self.rows else []
        )
        self.problems: list[str] = problems if problems is not None else []

    def _ensure(self) -> list[tuple[Path, Review]]:
        if self._reviews is None:
            reviews = []
            assert self._load is not None
            for row in self.rows:
                try:
                    reviews.append((row.path, self._load(row.path)))
                except Exception as exc:
                    self.problems.append(
                        f"A saved review could not be read and was left out: {exc}"
                    )
            self._reviews = reviews
        return self._reviews

    @property
    def loaded(self) -> bool:
        return self._reviews is not None

    @property
    def sessions(self) -> list[SessionEntry]:
        return merge_sessions(self._ensure(), self._exclude)

    def _latest(self) -> Review | None:
        reviews = self._ensure()
        if not reviews:
            return None
        return max(reviews, key=lambda pr: copy_rank(pr[1].updated, pr[0]))[1]

    @property
    def trainee(self) -> Trainee | None:
        latest = self._latest()
        return latest.trainee if latest is not None else None

    @property
    def case(self) -> Case | None:
        latest = self._latest()
        return latest.case if latest is not None else None

    def numbers(self) -> set[int]:
        """Session numbers already recorded (from the index until the files are read)."""
        if self._reviews is not None:
            return {s.number for s in self.sessions}
        return {r.last_session_number for r in self.rows if r.last_session_number is not None}

    @property
    def next_number(self) -> int:
        return max(self.numbers(), default=0) + 1

    def latest_summary(self) -> tuple[int, int | None, date | None]:
        """(how many sessions, latest number, its date), from the index alone."""
        numbered = [r for r in self.rows if r.last_session_number is not None]
        if not numbered:
            return 0, None, None
        latest = max(numbered, key=lambda r: r.last_session_number or 0)
        return len(self.numbers()), latest.last_session_number, latest.session_date


def merge_sessions(
    reviews: Iterable[tuple[Path, Review]], exclude_review_id: str | None = None
) -> list[SessionEntry]:
    """One session per number, the copy that the store's rule picks (``store.winning_copies``:
    the most recently updated file wins), so the workbooks and the dashboard agree."""
    return winning_copies(
        (entry.number, copy_rank(review.updated, path), entry)
        for path, review in reviews
        if review.id != exclude_review_id
        for entry in review.sessions
    )


def case_history(
    ws: Workspace, trainee_id: str, case_id: str, *, exclude_review_id: str | None = None
) -> CaseHistory:
    """The records of a trainee's case (drafts are unfinished work and are left out)."""
    try:
        rows = ws.index.reviews(trainee_id=trainee_id, case_id=case_id)
    except Exception as exc:
        return CaseHistory(problems=[f"The workspace index could not be read: {exc}"])
    return CaseHistory(rows, lambda path: ws.load(path).review, exclude_review_id=exclude_review_id)


def latest_draft(
    ws: Workspace, trainee_id: str | None = None, case_id: str | None = None
) -> tuple[LoadedArtifact | None, list[str]]:
    """The most recently updated *session* draft (of one case, or of the whole workspace)."""
    best: tuple[tuple[datetime, str], LoadedArtifact] | None = None
    problems: list[str] = []
    for path in ws.draft_files(trainee_id, case_id):
        try:
            loaded = ws.load(path)
        except Exception as exc:
            problems.append(unreadable_draft(exc))
            continue
        if loaded.review.kind != ReviewKind.session:
            continue
        rank = copy_rank(loaded.review.updated, path)
        if best is None or rank > best[0]:
            best = (rank, loaded)
    return (best[1] if best is not None else None), problems


class SetupError(ValueError):
    """The workspace cannot run a workbook (a configured instrument is missing)."""


@dataclass(frozen=True)
class SessionInstruments:
    """The instruments a session is recorded with, as the configuration chooses them."""

    client: RatingInstrument
    therapist: RatingInstrument
    ruptures: RuptureLogInstrument
    reflection: ReflectionInstrument


def session_instruments(
    instruments: Mapping[str, Instrument], config: WorkspaceConfig
) -> SessionInstruments:
    """``client_instrument`` / ``therapist_instrument`` from the configuration (which must be
    rating instruments), the rupture log and the reflection. Raises :class:`SetupError`."""
    from supervision_workbook.instruments import (
        REFLECTION_ID,
        RUPTURE_LOG_ID,
        RatingInstrument,
        ReflectionInstrument,
        RuptureLogInstrument,
        preferred_instrument,
    )

    def rating(instrument_id: str, setting: str) -> RatingInstrument:
        inst = instruments.get(instrument_id)
        if isinstance(inst, RatingInstrument):
            return inst
        found = "is not a rating instrument" if inst is not None else "is not installed"
        choices = ", ".join(
            sorted(i for i, x in instruments.items() if isinstance(x, RatingInstrument))
        )
        raise SetupError(
            f"{setting} = '{instrument_id}' in supervision-workbook.toml {found}. "
            f"Choose one of: {choices}."
        )

    def first(kind: type[_K], preferred: str) -> _K:
        inst = preferred_instrument(instruments, kind, preferred)  # the one choice for all
        if inst is None:
            raise SetupError(f"no {preferred} instrument is installed in this workspace")
        return inst

    return SessionInstruments(
        client=rating(config.client_instrument, "client_instrument"),
        therapist=rating(config.therapist_instrument, "therapist_instrument"),
        ruptures=first(RuptureLogInstrument, RUPTURE_LOG_ID),
        reflection=first(ReflectionInstrument, REFLECTION_ID),
    )
