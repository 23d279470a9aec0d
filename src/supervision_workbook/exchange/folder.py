"""A shared exchange folder on a hub: trainees drop submissions, supervisors collect them.

Layout (created and repaired by ``supervision-workbook exchange-setup``, see ``_setup.py``)::

    <exchange>/                 root:root     0755
      roster.json               root:root     0644   who supervises whom
      inbound/                  root:root     0711   traversable, not listable
        <trainee>/              <trainee>:<supervisors' group>  2750
          <case>_<review>_v<N>_<YYYYMMDDTHHMMSSZ>.ipynb          0640

With one OS account per person (a single-machine hub with LocalProcessSpawner or
SystemdSpawner), the operating system enforces the rules: only the trainee can write their
folder, only members of the group (that trainee's supervisors) can read it, nobody else can
even list it. The set-group-id bit makes every new file inherit the supervisors' group.

With one shared account (SimpleLocalProcessSpawner, or Zero to JupyterHub where every pod
runs as uid 1000), the operating system cannot tell people apart, so the rules are enforced
by what each server can see (Kubernetes mounts only the user's own folder, or their
trainees' folders, see ``deploy/jupyterhub``) and by the checks in this class.

The checks run in every case, before anything is read or written, so a wrong set-up is
reported instead of trusted: the person must be in the roster in the right role; a trainee
can submit only reviews recorded under their own trainee ids; a folder that every account
can read, that its group can write, or that is a symbolic link is refused; a supervisor
collects only the folders of their own trainees; and a file is imported only when it is a
regular file written by the folder's owner that passes ``artifact.loads``.

Nothing is ever overwritten: a second submission of the same review gets the next version
number, under a lock so that two submissions at the same moment cannot take the same one.
File names come from ids, the version and the time, never from user text.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ._base import (
    MAX_ARTIFACT_BYTES,
    CollectReport,
    Exchange,
    Refused,
    Submission,
    too_large,
    validate_text,
)
from ._collect import import_loaded
from ._errors import ExchangeError, ExchangePermissionError
from .roster import Roster, current_user, load_roster, roster_path

if TYPE_CHECKING:
    from supervision_workbook.artifact import LoadedArtifact
    from supervision_workbook.store import Workspace

log = logging.getLogger(__name__)

INBOUND = "inbound"
FILE_MODE = 0o640
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_FILE = re.compile(
    r"^(?P<case>[a-z0-9][a-z0-9-]{2,63})_(?P<review>[a-z0-9][a-z0-9-]{2,63})"
    r"_v(?P<version>[1-9][0-9]{0,5})_(?P<stamp>[0-9]{8}T[0-9]{6}Z)\.ipynb$"
)
_STAMP = "%Y%m%dT%H%M%SZ"


def _parse_name(path: Path, trainee: str) -> Submission | None:
    match = _FILE.match(path.name)
    if match is None:
        return None
    try:
        stamp = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=timezone.utc)
    except ValueError:  # digits in the right places, but no real time (month 13)
        return None
    return Submission(
        trainee=trainee,
        review_id=match["review"],
        case_id=match["case"],
        version=int(match["version"]),
        submitted_at=stamp,
        filename=path.name,
        path=path,
    )


class FolderExchange(Exchange):
    """The exchange folder at ``root``, seen by ``user`` (default: the person asking)."""

    def __init__(
        self, root: Path, roster: Roster | Path | None = None, *, user: str | None = None
    ) -> None:
        self.root = Path(root)
        if not isinstance(roster, Roster):
            self.roster_file = roster_path(self.root, roster)
            roster = load_roster(self.roster_file)
        else:
            self.roster_file = None
        self.roster: Roster = roster
        self.user = user if user is not None else current_user()

    def __repr__(self) -> str:
        return f"FolderExchange({str(self.root)!r}, user={self.user!r})"

    # --- where ---------------------------------------------------------------------------
    def inbox(self, trainee: str) -> Path:
        """``<exchange>/inbound/<trainee>``; the name is checked before it becomes a path."""
        if not _USERNAME.match(trainee):
            raise ExchangeError(f"{trainee!r} is not a valid login name for a folder")
        return self.root / INBOUND / trainee

    def _check_parents(self) -> None:
        for folder in (self.root, self.root / INBOUND):
            try:
                info = folder.stat()
            except FileNotFoundError:
                raise ExchangeError(
                    f"{folder} does not exist: the exchange is not set up. An administrator "
                    f"runs 'supervision-workbook exchange-setup {self.root}'."
                ) from None
            if stat.S_IMODE(info.st_mode) & (stat.S_IWGRP | stat.S_IWOTH):
                raise ExchangePermissionError(
                    f"{folder} is writable by other accounts (mode "
                    f"{stat.S_IMODE(info.st_mode):o}), so any of them could replace a "
                    "trainee's folder; refusing to use it. Run exchange-setup to repair it."
                )

    def _check_inbox(self, trainee: str, *, writing: bool) -> os.stat_result:
        """The trainee's folder, checked: a real folder, closed to everyone else."""
        self._check_parents()
        folder = self.inbox(trainee)
        try:
            info = folder.lstat()
        except FileNotFoundError:
            raise ExchangeError(
                f"{folder} does not exist: {trainee} has no inbound folder yet. An "
                f"administrator runs 'supervision-workbook exchange-setup {self.root}'."
            ) from None
        except PermissionError:
            raise ExchangePermissionError(f"{folder}: this account may not open it") from None
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            raise ExchangePermissionError(f"{folder} is not a plain folder; refusing it")
        mode = stat.S_IMODE(info.st_mode)
        if mode & stat.S_IRWXO or mode & stat.S_IWGRP:
            raise ExchangePermissionError(
                f"{folder} is open to more accounts than the trainee and their supervisors "
                f"(mode {mode:o}); refusing to use it. Run exchange-setup to repair it."
            )
        euid = os.geteuid() if hasattr(os, "geteuid") else None
        if writing and euid not in (None, 0) and info.st_uid != euid:
            raise ExchangePermissionError(
                f"{folder} belongs to another account; {self.user} may write only their own"
            )
        return info

    # --- trainee side ----------------------------------------------------------------------
    def submit(self, text: str, *, source: str = "<workbook>") -> Submission:
        """Store ``text`` as the next version of its review in the trainee's own folder."""
        from filelock import FileLock, Timeout

        from supervision_workbook.store import atomic_write_text

        user = self.user
        if not self.roster.is_trainee(user):
            raise ExchangePermissionError(
                f"{user} is not a trainee in the roster, so has nothing to submit here"
            )
        loaded = validate_text(text, source)
        review = loaded.review
        allowed = self.roster.trainee_ids(user)
        if review.trainee.id not in allowed:
            raise ExchangePermissionError(
                f"{source} is the workbook of trainee {review.trainee.id!r}; {user} may submit "
                f"only their own (trainee ids: {', '.join(sorted(allowed))})"
            )
        self._check_inbox(user, writing=True)
        folder = self.inbox(user)
        try:
            with FileLock(str(folder / ".submit.lock"), timeout=10, mode=0o600):
                versions = [s.version or 0 for s in self._listing(user) if s.review_id == review.id]
                version = max(versions, default=0) + 1
                now = datetime.now(timezone.utc).replace(microsecond=0)
                name = f"{review.case.id}_{review.id}_v{version}_{now.strftime(_STAMP)}.ipynb"
                path = folder / name
                atomic_write_text(path, text)
                path.chmod(FILE_MODE)  # group (the supervisors) may read, others nothing
        except Timeout:
            raise ExchangeError(f"{folder}: another submission is in progress; try again") from None
        except PermissionError as exc:
            raise ExchangePermissionError(
                f"{folder}: this account may not write here ({exc})"
            ) from None
        return Submission(user, review.id, review.case.id, version, now, name, path, text)

    def _listing(self, trainee: str) -> list[Submission]:
        folder = self.inbox(trainee)
        try:
            names = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
        except PermissionError:
            raise ExchangePermissionError(f"{folder}: this account may not list it") from None
        found = [s for s in (_parse_name(p, trainee) for p in names) if s is not None]
        return sorted(found, key=lambda s: (s.review_id, s.version or 0))

    def _readable_trainees(self, trainee: str | None) -> list[str]:
        """The trainees whose submissions this user may see (all of them, or ``trainee``)."""
        user, roster = self.user, self.roster
        allowed = roster.trainees_of(user)
        if roster.is_trainee(user):
            allowed = sorted({*allowed, user})
        if not allowed:
            raise ExchangePermissionError(
                f"{user} is neither a trainee nor a supervisor in the roster"
            )
        if trainee is None:
            return allowed
        resolved = roster.resolve_trainee(trainee)
        if resolved is None or resolved not in allowed:
            raise ExchangePermissionError(
                f"{user} may not see the submissions of {trainee!r}: only their own, or "
                "those of the trainees they supervise"
            )
        return [resolved]

    def submissions(self, trainee: str | None = None) -> list[Submission]:
        """Submissions this user may see: a trainee their own, a supervisor their trainees'."""
        result: list[Submission] = []
        for name in self._readable_trainees(trainee):
            self._check_inbox(name, writing=False)
            result.extend(self._listing(name))
        return result

    def read(self, submission: Submission) -> LoadedArtifact:
        """Open one submission, with every check that :meth:`collect` makes."""
        (trainee,) = self._readable_trainees(submission.trainee)
        info = self._check_inbox(trainee, writing=False)
        return self._load(trainee, submission, info)

    def _load(self, trainee: str, sub: Submission, folder_info: os.stat_result) -> LoadedArtifact:
        path = self.inbox(trainee) / sub.filename
        try:
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                raise ExchangeError(f"{path}: not a regular file (a link?); refusing it")
            if info.st_uid != folder_info.st_uid:
                raise ExchangeError(f"{path}: written by another account than {trainee}")
            if info.st_size > MAX_ARTIFACT_BYTES:
                raise ExchangeError(too_large(str(path), info.st_size))
            data = path.read_bytes()
        except PermissionError:
            raise ExchangePermissionError(f"{path}: this account may not read it") from None
        loaded = validate_text(data, str(path))
        review = loaded.review
        if review.trainee.id not in self.roster.trainee_ids(trainee):
            raise ExchangeError(
                f"{path}: records trainee {review.trainee.id!r}, who is not {trainee}"
            )
        if review.id != sub.review_id or review.case.id != sub.case_id:
            raise ExchangeError(f"{path}: its name does not match the review inside it")
        return loaded

    # --- supervisor side -------------------------------------------------------------------
    def collect(self, workspace: Workspace, *, trainee: str | None = None) -> CollectReport:
        """Import the latest sound version of every review of the user's trainees.

        A version that fails a check is reported by name and the next older one is tried,
        so one damaged file never hides the rest, and one trainee's bad folder or file
        never stops the collection of the others. A version that differs from a submitted
        or signed record in the workspace is kept aside (``CollectReport.conflicts``).
        Every version stays in the exchange folder.
        """
        from supervision_workbook.artifact import ArtifactError

        if not self.roster.is_supervisor(self.user):
            raise ExchangePermissionError(
                f"{self.user} supervises nobody in the roster, so has nothing to collect"
            )
        names = self._readable_trainees(trainee)
        names = [t for t in names if self.user in self.roster.trainees[t].supervisors]
        report = CollectReport()
        for name in names:
            try:
                info = self._check_inbox(name, writing=False)
                listing = self._listing(name)
            except (ExchangeError, OSError) as exc:
                report.refused.append(Refused(str(self.inbox(name)), str(exc)))
                continue
            by_review: dict[str, list[Submission]] = {}
            for sub in listing:
                by_review.setdefault(sub.review_id, []).append(sub)
            for subs in by_review.values():
                for sub in sorted(subs, key=lambda s: s.version or 0, reverse=True):
                    source = f"{name}/{sub.filename}"
                    try:
                        loaded = self._load(name, sub, info)
                    except (ArtifactError, ExchangeError, OSError) as exc:
                        report.refused.append(Refused(source, str(exc)))
                        continue
                    except Exception as exc:  # one file never stops the rest
                        # Not a message of ours: a defect. Report the file by name, log the
                        # traceback, and go on with the other files and trainees.
                        log.exception("unexpected error reading %s", source)
                        problem = f"could not be read ({type(exc).__name__}: {exc})"
                        report.refused.append(Refused(source, problem[:300]))
                        continue
                    import_loaded(workspace, loaded, source, report)
                    break
        return report
