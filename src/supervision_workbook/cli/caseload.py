"""``export`` and ``index``: the caseload of a workspace, as CSV or as a table."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from supervision_workbook.console import (
    EXIT_OK,
    EXIT_PROBLEMS,
    UserError,
    open_workspace,
    os_reason,
    plural,
    progress_bar,
)


def cmd_export(args: argparse.Namespace) -> int:
    from supervision_workbook.artifact import ArtifactError
    from supervision_workbook.export import csv_text, review_rows, write_csv

    ws = open_workspace(args.dir)
    out = Path(args.out) if args.out else None
    if out is not None and out.is_dir():
        raise UserError(f"{out}: is a folder; --out takes the name of the CSV file to write")
    if out is not None and not out.parent.is_dir():  # said now, not after the whole export
        raise UserError(f"{out.parent}: no such folder for the CSV file {out.name}")
    if args.format == "responses":  # the format `import` reads: see cli/importing.py
        from supervision_workbook.cli.importing import export_responses

        return export_responses(ws, out)
    rows: list[dict[str, str]] = []
    problems: list[str] = []  # each as validate words it: "<file>: <problem>"
    files = list(ws.iter_artifacts())
    with progress_bar(len(files), "exporting") as update:
        for path in files:
            try:
                loaded = ws.load(path)
            except ArtifactError as exc:
                problems.append(str(exc))
            except OSError as exc:
                problems.append(f"{path}: cannot read: {os_reason(exc)}")
            else:
                rows.extend(review_rows(loaded.review, ws.instruments, ws.config.alerts))
            update(1)
    if out is not None:
        from supervision_workbook.store import atomic_write_text

        try:
            atomic_write_text(out, csv_text(rows))
        except OSError as exc:  # it would name its temporary file, not the one asked for
            raise UserError(f"{out}: cannot write the CSV here: {os_reason(exc)}") from None
        print(f"Wrote {plural(len(rows), 'row')} to {out}.", file=sys.stderr)
    else:
        write_csv(rows, sys.stdout)
    if problems:
        print(f"{plural(len(problems), 'damaged file')} not exported:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_index(args: argparse.Namespace) -> int:
    from supervision_workbook.store._layout import INDEX_NAME

    ws = open_workspace(args.dir)
    try:
        rows = _index(ws, args.rebuild)
    except sqlite3.Error as exc:  # a read-only or full folder, a locked database
        raise UserError(f"{ws.path / INDEX_NAME}: cannot update the index: {exc}") from None
    if rows is None:
        return EXIT_PROBLEMS
    header = ("trainee", "case", "sessions", "client", "therapist", "flags", "minutes")
    print("{:<22} {:<8} {:>8} {:>7} {:>9} {:>5} {:>7}".format(*header))
    for r in rows:
        client = "-" if r.latest_client is None else f"{r.latest_client:.2f}"
        ther = "-" if r.latest_therapist is None else f"{r.latest_therapist:.2f}"
        print(
            f"{r.trainee_name[:22]:<22} {r.case_code:<8} {r.sessions:>8} {client:>7} {ther:>9} "
            f"{r.flag_count:>5} {r.minutes:>7}"
        )
    return EXIT_OK


def _index(ws, rebuild: bool) -> list | None:
    """The caseload rows, after a rebuild when asked; ``None`` when the rebuild found bad
    files (each printed with its reason)."""
    if rebuild:
        total = sum(1 for _ in ws.iter_artifacts())
        with progress_bar(total, "indexing") as update:
            problems = ws.index.rebuild(progress=lambda _path: update(1))
        for path, error in problems:
            print(f"{path}: {error}")
        print(f"Indexed {total - len(problems)} of {plural(total, 'artifact')}.", file=sys.stderr)
        if problems:
            return None
    return ws.index.caseload()


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="export scores as CSV, one row per review, instrument, respondent and score"
    )
    p.add_argument("dir", help="workspace folder")
    p.add_argument(
        "--format",
        choices=["csv", "responses"],
        default="csv",
        help="csv: one row per score (default); responses: one row per response with every "
        "item's answer, the format `import` reads",
    )
    p.add_argument("--out", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "index", help="show the caseload from the index, or rebuild it from the artifacts"
    )
    p.add_argument("dir", help="workspace folder")
    p.add_argument(
        "--rebuild", action="store_true", help="delete and rebuild the index from the artifacts"
    )
    p.set_defaults(func=cmd_index)
