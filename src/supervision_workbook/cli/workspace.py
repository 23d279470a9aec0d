"""``init`` and ``demo``: make a workspace, or fill one with a synthetic caseload.

Both refuse a folder that already holds a workspace unless told what to do with it, because
each has a reading that would surprise a program director:

* ``init`` on a workspace: exit 2, nothing changed. ``--exist-ok`` makes it the idempotent
  "make sure it exists" a hub runs at every start: the configuration is kept, missing
  folders are added.
* ``demo`` on a workspace: exit 2, nothing written. ``--add`` writes another synthetic
  caseload beside what is there (refused for a seed already written there: the same seed
  would give the same trainees and cases twice). ``--replace`` removes the demo written
  there before and writes the new one; it removes only files the demo wrote that are
  unchanged since (``_demo_record``), keeps every other review, and says how many it kept.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from supervision_workbook.console import (
    EXIT_OK,
    UserError,
    is_workspace,
    open_workspace,
    plural,
    progress_bar,
)

from . import _demo_record as record


def _folder_or_new(raw: str) -> Path:
    path = Path(raw)
    if path.exists() and not path.is_dir():
        raise UserError(f"{path}: is a file, not a folder")
    return path


def cmd_init(args: argparse.Namespace) -> int:
    from supervision_workbook.config import CONFIG_NAME
    from supervision_workbook.store import init_workspace
    from supervision_workbook.store._layout import FOLDERS

    path = _folder_or_new(args.dir)
    config = path / CONFIG_NAME
    if path.is_dir() and is_workspace(path):
        if not args.exist_ok:
            raise UserError(
                f"{path}: already a workspace; nothing was changed (its configuration "
                f"{config} is kept). Add --exist-ok to only add missing folders."
            )
        missing = [f for f in FOLDERS if not (path / f).is_dir()]
        init_workspace(path)
        added = f"; added {', '.join(missing)}" if missing else "; nothing to add"
        print(f"{path} is already a workspace: kept {config}{added}.")
        return EXIT_OK
    init_workspace(path, exist_ok=args.exist_ok)
    print(f"Workspace ready at {path}. Edit {config} to configure it.")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from supervision_workbook.demo import DemoSpec, expected_count, write_demo
    from supervision_workbook.store import ConflictError

    for name in ("trainees", "cases", "sessions"):
        if getattr(args, name) < 1:
            raise UserError(f"--{name} must be at least 1")
    spec = DemoSpec(
        trainees=args.trainees, cases=args.cases, sessions=args.sessions, seed=args.seed
    )
    root = _folder_or_new(args.dir)
    demos: list[dict] = []
    removed = 0
    if root.is_dir() and is_workspace(root):
        open_workspace(root)  # a broken configuration stops us before anything changes
        found = record.read(root)
        if not (args.add or args.replace):
            count = len(record.artifacts(root))
            raise UserError(
                f"{root}: already a workspace ({plural(count, 'review')}); nothing was written. "
                "Add --replace to rewrite the demo written there before (other reviews are "
                "kept), or --add to write another caseload beside them with a new --seed."
            )
        if args.add:
            if any(d.get("seed") == spec.seed for d in found or []):
                raise UserError(
                    f"{root}: already holds the demo of seed {spec.seed} "
                    f"({root / record.MANIFEST}); choose another --seed to add a second "
                    "caseload, or --replace to rewrite it"
                )
            demos = list(found or [])
        else:
            removed = record.remove_previous(root, found)
    before = record.artifacts(root) if root.is_dir() else set()
    try:
        with progress_bar(expected_count(spec), "writing demo reviews") as update:
            ws, count = write_demo(root, spec, progress=update)
    except ConflictError as exc:
        raise UserError(
            f"{exc.path}: a review of the demo with seed {spec.seed} is already in this "
            "workspace and was left as it is; choose another --seed"
        ) from None
    finally:
        if root.is_dir():  # also after a failure: whatever was written is on the record
            written = record.artifacts(root) - before
            if written:
                record.write(root, [*demos, record.entry(spec, root, written)])
    kept = len(record.artifacts(root)) - count
    print(
        f"Wrote {plural(count, 'synthetic review')} ({plural(spec.trainees, 'trainee')}, "
        f"{plural(spec.cases, 'case')} each, {plural(spec.sessions, 'session')}) to {ws.path}. "
        "Synthetic data only."
    )
    if removed:
        also = f"; kept {plural(kept, 'other review')}" if kept else ""
        print(f"Replaced the previous demo ({plural(removed, 'review')} removed){also}.")
    elif kept:
        print(f"The workspace also holds {plural(kept, 'other review')}, left as they were.")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help="create an empty workspace with a commented configuration file",
        description="Create an empty workspace. On a folder that already is one: exit 2 "
        "and change nothing, or with --exist-ok keep its configuration and add any "
        "missing folders (what a hub runs at every start).",
    )
    p.add_argument("dir", help="folder to create (or an existing folder to make a workspace)")
    p.add_argument(
        "--exist-ok",
        action="store_true",
        help="an existing workspace is fine: keep its configuration, add missing folders",
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser(
        "demo",
        help="write a deterministic synthetic caseload into a workspace",
        description="Write a deterministic synthetic caseload: session workbooks with "
        "client and therapist ratings, ruptures and reflections, and case reviews, "
        "some signed off. Synthetic data only. A folder that already holds a workspace "
        "is refused (exit 2) unless --replace or --add says what to do with it.",
    )
    p.add_argument("dir", help="workspace folder (created if missing)")
    p.add_argument("--trainees", type=int, default=3, help="number of trainees (default 3)")
    p.add_argument("--cases", type=int, default=2, help="cases per trainee (default 2)")
    p.add_argument("--sessions", type=int, default=8, help="sessions per case (default 8)")
    p.add_argument("--seed", type=int, default=7, help="random seed; same seed, same caseload")
    what = p.add_mutually_exclusive_group()
    what.add_argument(
        "--replace",
        action="store_true",
        help="rewrite the demo this command wrote there before; reviews it did not write "
        "are kept, and a demo review changed since stops it with nothing removed",
    )
    what.add_argument(
        "--add",
        action="store_true",
        help="write another caseload beside what the workspace holds (needs a --seed "
        "not written there yet)",
    )
    p.set_defaults(func=cmd_demo)
