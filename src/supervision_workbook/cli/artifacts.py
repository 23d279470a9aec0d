"""``validate``: check artifacts; never changes a file."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from supervision_workbook.console import (
    EXIT_OK,
    EXIT_PROBLEMS,
    UserError,
    error_line,
    plural,
    progress_bar,
)


def _artifact_paths(paths: Sequence[str]) -> tuple[list[Path], list[str]]:
    """The ``.ipynb`` files named or found under the folders named, and one line for each
    folder that could not be read (``rglob`` would skip it without a word, and a
    ``validate`` that passes because it saw nothing is worse than one that fails)."""
    found: list[Path] = []
    unreadable: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for folder, dirs, files in os.walk(
                p, onerror=lambda exc: unreadable.append(error_line(exc) or str(exc))
            ):
                dirs[:] = sorted(d for d in dirs if d != ".ipynb_checkpoints")
                found.extend(
                    Path(folder, f)
                    for f in sorted(files)
                    if f.endswith(".ipynb") and not f.startswith(".")
                )
        elif p.exists():
            found.append(p)
        else:
            raise UserError(f"{p}: no such file or folder")
    return found, unreadable


def _trust_workspace(raw: str | None) -> Path | None:
    """The workspace named by ``--workspace``, whose trusted keys check files outside any."""
    if raw is None:
        return None
    from supervision_workbook.signing import find_workspace

    folder = Path(raw)
    root = find_workspace(folder) if folder.is_dir() else None
    if root is None or root != folder.resolve():
        raise UserError(f"{folder}: not a supervision-workbook workspace (--workspace)")
    return root


def cmd_validate(args: argparse.Namespace) -> int:
    from supervision_workbook.verdict import check_file

    workspace = _trust_workspace(args.workspace)
    trust: dict = {}  # the keys each workspace trusts, read once per run
    files, unreadable = _artifact_paths(args.paths)
    for line in unreadable:
        print(line)
    if not files and not unreadable:
        raise UserError("no .ipynb files found in " + ", ".join(args.paths))
    bad = 0
    with progress_bar(len(files), "validating") as update:
        for f in files:
            verdict = check_file(f, workspace=workspace, cache=trust)
            for note in verdict.notes:
                print(note, file=sys.stderr)
            if not verdict.valid:
                bad += 1
                print(verdict.message)
            elif verdict.status == "signed-off":
                print(verdict.message, file=sys.stderr)
            update(1)
    if bad or unreadable:
        summary = f"{bad} of {plural(len(files), 'file')} failed validation"
        if unreadable:
            summary += f"; {plural(len(unreadable), 'folder')} could not be read"
        print(f"{summary}.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"{plural(len(files), 'artifact')} valid.", file=sys.stderr)
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check artifacts; never changes a file",
        description="Validate review artifacts (files or folders). Exit 0 when all "
        "are valid; otherwise exit 1 with one line per bad file and its reason.",
    )
    p.add_argument("paths", nargs="+", help=".ipynb files or folders to search")
    p.add_argument(
        "--workspace",
        metavar="DIR",
        help="the workspace whose trusted keys check files that lie outside every workspace "
        "(a review sent to you); files inside a workspace use that workspace's keys",
    )
    p.set_defaults(func=cmd_validate)
