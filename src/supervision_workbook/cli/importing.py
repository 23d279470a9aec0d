"""``import``: bring scores kept on paper or in another tool into a workspace, from a CSV.

What it prints: every bad row as ``FILE:LINE: column: problem``; rows for sessions already
recorded (conflicts, skipped, never replaced); then one line saying what was imported. Exit
codes: 0 everything imported; 1 it ran and skipped rows (conflicts, or bad rows with
``--skip-bad``); 2 bad input, and then nothing at all was written. The checking lives in
``supervision_workbook.importer``; this module only talks.

``export --format responses`` (registered in ``caseload``) writes the same format, and is
served by :func:`export_responses` here, beside the reader of that format.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from supervision_workbook.console import (
    EXIT_OK,
    EXIT_PROBLEMS,
    UserError,
    open_workspace,
    os_reason,
    plural,
    progress_bar,
)

if TYPE_CHECKING:
    from supervision_workbook.importer import RowProblem
    from supervision_workbook.store import Workspace

#: Rows listed one by one; a longer list ends with a count, not a screenful per row.
MAX_LISTED = 50


def _list(problems: Sequence[RowProblem]) -> None:
    for problem in problems[:MAX_LISTED]:
        print(problem, file=sys.stderr)
    if len(problems) > MAX_LISTED:
        print(f"... and {plural(len(problems) - MAX_LISTED, 'more line')}", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    from supervision_workbook.importer import CsvFileError, parse, plan_import, read_text, save_plan
    from supervision_workbook.store._layout import INDEX_NAME

    ws = open_workspace(args.dir)
    path = Path(args.file)
    if path.is_dir():
        raise UserError(f"{path}: is a folder; give the CSV file to import")
    try:
        parsed = parse(
            str(path), read_text(path), ws.instruments, regions=ws.config.privacy.regions
        )
    except CsvFileError as exc:
        raise UserError(str(exc)) from None
    try:
        plan = plan_import(ws, parsed)
    except sqlite3.Error as exc:  # a read-only or full folder: the index cannot catch up
        raise UserError(
            f"{ws.path / INDEX_NAME}: cannot update the index: {exc}; nothing was imported"
        ) from None
    bad_rows = len({p.line for p in plan.problems})
    if plan.problems and not args.skip_bad:
        if len(plan.problems) == 1:
            raise UserError(f"{plan.problems[0]}; nothing was imported")
        _list(plan.problems)
        raise UserError(
            f"{path}: {plural(bad_rows, 'bad row')}; nothing was imported (fix them, or run "
            "again with --skip-bad to import the good rows)"
        )
    _list(sorted([*plan.problems, *plan.held, *plan.conflicts], key=lambda p: p.line))
    sessions = plural(len(plan.reviews), "session")
    made = f"{plural(plan.new_trainees, 'new trainee')}, {plural(plan.new_cases, 'new case')}"
    if args.dry_run:
        print(f"Would import {sessions} ({plural(plan.responses, 'response')}; {made}) "
              f"from {path}; nothing was written (--dry-run).")  # fmt: skip
    else:
        done = 0
        with progress_bar(len(plan.reviews), "importing") as update:

            def step(n: int) -> None:
                nonlocal done
                done += n
                update(n)

            try:
                save_plan(ws, plan, step)
            except BaseException:
                if done:  # each saved session is whole; a second run skips them as conflicts
                    print(
                        f"Imported {done} of {sessions} before the error below; importing "
                        f"{path} again skips those and adds the rest.",
                        file=sys.stderr,
                    )
                raise
        print(f"Imported {sessions} ({plural(plan.responses, 'response')}; {made}) from {path}.")
    skipped = []
    if plan.conflicts:
        skipped.append(f"{plural(len(plan.conflicts), 'row')} for sessions already recorded")
    if plan.problems:
        skipped.append(plural(bad_rows, "bad row"))
    if plan.held:
        skipped.append(f"{plural(len(plan.held), 'row')} held back with a bad row")
    if skipped:
        print(f"Skipped {', '.join(skipped)}.", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def export_responses(ws: Workspace, out: Path | None) -> int:
    """``export --format responses``: the rows :func:`cmd_import` reads, one per response."""
    import io

    from supervision_workbook.artifact import ArtifactError
    from supervision_workbook.importer import response_rows, write_responses

    loaded = []
    problems = 0
    files = list(ws.iter_artifacts())
    with progress_bar(len(files), "exporting") as update:
        for path in files:
            try:
                loaded.append((path, ws.load(path).review))
            except ArtifactError as exc:
                problems += 1
                print(f"skipped {exc}", file=sys.stderr)
            except OSError as exc:
                problems += 1
                print(f"skipped {path}: cannot read: {os_reason(exc)}", file=sys.stderr)
            update(1)
    rows = response_rows(loaded, ws.instruments)
    if out is None:
        write_responses(rows, sys.stdout)
    else:
        from supervision_workbook.store import atomic_write_text

        buffer = io.StringIO()
        write_responses(rows, buffer)
        try:
            atomic_write_text(out, buffer.getvalue())
        except OSError as exc:
            raise UserError(f"{out}: cannot write the CSV here: {os_reason(exc)}") from None
        print(f"Wrote {plural(len(rows), 'response')} to {out}.", file=sys.stderr)
    if problems:
        print(f"Skipped {plural(problems, 'damaged file')}.", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="import scores from a CSV (trainee,case,session,date,instrument,respondent,"
        "item_1,...) as submitted session reviews; never replaces a recorded session",
    )
    p.add_argument("dir", help="workspace folder")
    p.add_argument("file", help="the CSV file, UTF-8, with a header row")
    p.add_argument(
        "--skip-bad",
        action="store_true",
        help="import the good rows and list the bad ones (default: a bad row imports nothing)",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="check the file and say what would be imported"
    )
    p.set_defaults(func=cmd_import)
