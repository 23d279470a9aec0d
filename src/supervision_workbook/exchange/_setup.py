"""Create or repair an exchange folder from its roster, and say what is wrong with it.

Run by an administrator (``supervision-workbook exchange-setup DIR``):

- as **root** on a machine with one OS account per person: every trainee's folder is owned
  by the trainee, its group is the group of the trainee's supervisors, mode 2750. The group
  is ``group`` from the roster, or, for a trainee with exactly one supervisor, that
  supervisor's personal group (the group named like them, as Debian's ``adduser`` makes
  it). The group's members are *checked*: a group that contains anyone who is not one of
  the trainee's supervisors (the trainee, another trainee, a shared "users" group) is
  refused, and that folder is left alone.
- as the **one shared account** (SimpleLocalProcessSpawner, Zero to JupyterHub's uid 1000):
  folders are mode 0700 owned by that account; separation comes from the hub's mounts.

Existing submissions are never deleted or rewritten; only their mode is tightened.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from supervision_workbook.console import plural

from ._errors import ExchangeError
from .folder import FILE_MODE, INBOUND
from .roster import Roster, load_roster

ROOT_MODE = 0o755
INBOUND_MODE = 0o711
TRAINEE_MODE_SHARED_GROUP = 0o2750
TRAINEE_MODE_ONE_ACCOUNT = 0o700


@dataclass
class SetupResult:
    actions: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _group_for(trainee: str, roster: Roster) -> tuple[int | None, str]:
    """The gid for ``trainee``'s folder, or ``None`` and the reason it cannot be used."""
    import grp
    import pwd

    entry = roster.trainees[trainee]
    name = entry.group
    if name is None:
        if len(entry.supervisors) != 1:
            return None, (
                f"{trainee} has {plural(len(entry.supervisors), 'supervisor')}: name a group "
                "that holds exactly them in the roster ('group')"
            )
        name = entry.supervisors[0]
    try:
        group = grp.getgrnam(name)
    except KeyError:
        return None, f"group {name!r} for {trainee}'s folder does not exist"
    members = set(group.gr_mem) | {p.pw_name for p in pwd.getpwall() if p.pw_gid == group.gr_gid}
    outsiders = sorted(members - set(entry.supervisors))
    if outsiders:
        return None, (
            f"group {name!r} for {trainee}'s folder also contains {', '.join(outsiders)}, who "
            f"{'is' if len(outsiders) == 1 else 'are'} not {trainee}'s supervisor(s); "
            "refusing it"
        )
    return group.gr_gid, name


def _ensure_dir(path: Path, mode: int, uid: int, gid: int, result: SetupResult) -> None:
    if path.is_symlink():
        result.problems.append(f"{path} is a symbolic link; remove it and run again")
        return
    if not path.exists():
        path.mkdir()
        result.actions.append(f"created {path}")
    info = path.stat()
    if uid >= 0 and (info.st_uid, info.st_gid) != (uid, gid):
        os.chown(path, uid, gid)
        result.actions.append(f"{path}: owner set to {uid}:{gid}")
        info = path.stat()  # a change of owner can clear the set-group-id bit
    if stat.S_IMODE(info.st_mode) != mode:
        path.chmod(mode)
        result.actions.append(f"{path}: mode set to {mode:o}")


def _loose(path: Path) -> bool:
    return bool(stat.S_IMODE(path.stat().st_mode) & ~FILE_MODE)


def setup_exchange(
    root: Path, roster_file: Path | None = None, *, shared_account: bool | None = None
) -> SetupResult:
    """Create or repair the layout for every trainee in the roster (see the module doc).

    ``shared_account``: ``None`` decides by who runs it (root: one account per person);
    ``True`` sets up for one shared account even as root (a Kubernetes job preparing the
    volume for Zero to JupyterHub, where every pod runs as the same user).
    """
    root = Path(root)
    roster_file = Path(roster_file) if roster_file is not None else root / "roster.json"
    roster = load_roster(roster_file)
    result = SetupResult()
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    as_root = is_root if shared_account is None else (is_root and not shared_account)
    if not root.is_dir():
        root.mkdir(parents=True)
        result.actions.append(f"created {root}")
    owner = (0, 0) if as_root else (-1, -1)
    _ensure_dir(root, ROOT_MODE, *owner, result)
    _ensure_dir(root / INBOUND, INBOUND_MODE, *owner, result)
    for trainee in sorted(roster.trainees):
        folder = root / INBOUND / trainee
        if as_root:
            import pwd

            try:
                uid = pwd.getpwnam(trainee).pw_uid
            except KeyError:
                result.problems.append(f"{trainee}: no OS account with that name; folder skipped")
                continue
            gid, why = _group_for(trainee, roster)
            if gid is None:
                result.problems.append(why)
                continue
            _ensure_dir(folder, TRAINEE_MODE_SHARED_GROUP, uid, gid, result)
        else:
            _ensure_dir(folder, TRAINEE_MODE_ONE_ACCOUNT, -1, -1, result)
        if folder.is_dir() and not folder.is_symlink():
            for item in folder.iterdir():
                plain = item.is_file() and not item.is_symlink()
                if plain and not item.name.startswith(".") and _loose(item):
                    item.chmod(FILE_MODE)
                    result.actions.append(f"{item}: mode set to {FILE_MODE:o}")
    return result


def describe(result: SetupResult) -> str:
    lines = [*result.actions, *(f"PROBLEM: {p}" for p in result.problems)]
    return "\n".join(lines) if lines else "exchange already set up; nothing to change"


__all__ = ["ExchangeError", "SetupResult", "describe", "setup_exchange"]
