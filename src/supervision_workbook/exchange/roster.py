"""Who supervises whom, and who is asking.

The roster is a small JSON file that a program administrator writes (by default
``<exchange>/roster.json``; ``SUPERVISION_WORKBOOK_ROSTER`` or ``--roster`` point elsewhere)::

    {
      "version": 1,
      "trainees": {
        "alice": {"supervisors": ["okafor"], "trainee_ids": ["tr-alice"], "group": "swb-alice"},
        "bilal": {"supervisors": ["okafor", "lindqvist"]}
      },
      "supervisors": {
        "okafor": {"name": "Dr. Ada Okafor", "keys": ["<base64 Ed25519 public key>"]}
      }
    }

Keys are login names (the JupyterHub user name, which is also the OS account on a
single-machine hub). ``trainee_ids`` lists the ``Trainee.id`` values under which that person's
reviews are recorded; when it is left out the login name itself is the id. ``group`` names
the OS group whose members may read the trainee's inbound folder (see ``folder.py``).

``supervisors`` (optional) holds each supervisor's name as records show it and the public
keys of their signing keys (``supervision-workbook keys list`` prints one). A sign-off that
arrives from outside counts only when a key listed here (or in the workspace's own trusted
keys) signed it; see docs/signatures.md.

Why the roster is checked before it is believed: a roster that a trainee could edit would
let them name themselves someone's supervisor. It is refused when anyone but its owner can
write it. Identity comes from ``JUPYTERHUB_USER`` (set by the hub for every single-user
server) and otherwise from the OS account running the process.
"""

from __future__ import annotations

import getpass
import json
import os
import stat
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ._errors import ExchangeError

EXCHANGE_ENV = "SUPERVISION_WORKBOOK_EXCHANGE"
"""The shared exchange folder of a hub (set by deploy/jupyterhub for every server). Kept here,
beside the roster it locates, so that readers of the roster (``signing``) need not import the
exchange itself, which sits above the store."""

ROSTER_NAME = "roster.json"
ROSTER_ENV = "SUPERVISION_WORKBOOK_ROSTER"
USER_ENV = "JUPYTERHUB_USER"

Username = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
"""A login name that is also safe as a folder name: no slash, no leading dot, lower case."""

TraineeId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{2,63}$")]
"""``model.Id``: the id a review records for its trainee."""


class TraineeEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    supervisors: list[Username] = Field(min_length=1)
    trainee_ids: list[TraineeId] = Field(default_factory=list)
    group: Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_.-]{0,31}$")] | None = None


PublicKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{43}=$")]
"""A raw 32-byte Ed25519 public key, base64 (``model.Signature.public_key``)."""


class SupervisorEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    keys: list[PublicKey] = Field(default_factory=list)


class Roster(BaseModel):
    """The parsed roster. Look-ups only; it never changes at run time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    trainees: dict[Username, TraineeEntry] = Field(default_factory=dict)
    supervisors: dict[Username, SupervisorEntry] = Field(default_factory=dict)

    def signing_keys(self) -> list[tuple[str, str]]:
        """``(name, public key)`` of every supervisor key the roster lists."""
        return [(e.name, key) for _, e in sorted(self.supervisors.items()) for key in e.keys]

    def is_trainee(self, user: str) -> bool:
        return user in self.trainees

    def is_supervisor(self, user: str) -> bool:
        return any(user in entry.supervisors for entry in self.trainees.values())

    def trainee_ids(self, trainee: str) -> frozenset[str]:
        """The review trainee ids that ``trainee`` may submit (their login name by default)."""
        entry = self.trainees.get(trainee)
        if entry is None:
            return frozenset()
        return frozenset(entry.trainee_ids or [trainee])

    def trainees_of(self, supervisor: str) -> list[str]:
        """Login names of the trainees ``supervisor`` supervises, sorted."""
        return sorted(t for t, e in self.trainees.items() if supervisor in e.supervisors)

    def resolve_trainee(self, name_or_id: str) -> str | None:
        """The login name for a login name or one of the trainee ids it records under."""
        if name_or_id in self.trainees:
            return name_or_id
        for trainee in self.trainees:
            if name_or_id in self.trainee_ids(trainee):
                return trainee
        return None


def parse_roster(text: str, source: str) -> Roster:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExchangeError(f"{source}: the roster is not valid JSON: {exc}") from None
    try:
        return Roster.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"'{'.'.join(str(p) for p in err['loc'])}': {err['msg']}" for err in exc.errors()
        )
        raise ExchangeError(f"{source}: the roster is not usable: {problems}") from None


def roster_path(exchange_root: Path, explicit: Path | None = None) -> Path:
    """``explicit``, else ``$SUPERVISION_WORKBOOK_ROSTER``, else ``<exchange>/roster.json``."""
    if explicit is not None:
        return Path(explicit)
    env = os.environ.get(ROSTER_ENV, "").strip()
    return Path(env) if env else Path(exchange_root) / ROSTER_NAME


def load_roster(path: Path) -> Roster:
    """Read and validate the roster, refusing one that others than its owner could edit."""
    path = Path(path)
    try:
        info = path.stat()
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExchangeError(
            f"{path}: no roster. The exchange administrator writes it (see "
            "deploy/jupyterhub/README.md); it says which supervisor collects which trainee."
        ) from None
    except PermissionError:
        raise ExchangeError(f"{path}: the roster cannot be read by this account") from None
    if stat.S_IMODE(info.st_mode) & (stat.S_IWGRP | stat.S_IWOTH):
        raise ExchangeError(
            f"{path}: the roster is writable by other accounts (mode "
            f"{stat.S_IMODE(info.st_mode):o}); refusing it. Make it writable by its owner "
            "only: chmod 644"
        )
    return parse_roster(text, str(path))


def current_user(environ: dict[str, str] | None = None) -> str:
    """The person asking: the hub's user name, else the OS account's name."""
    env = os.environ if environ is None else environ
    name = env.get(USER_ENV, "").strip()
    return name if name else os_user()


def os_user() -> str:
    """The name of the account this process runs as (not ``$USER``, which anyone can set)."""
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):  # pragma: no cover - Windows, or a uid without a name
        return getpass.getuser()
