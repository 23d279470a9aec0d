"""``hours``, ``indirect`` and ``report``: a trainee's hours, their indirect-hours log, and
the hours report as a PDF.

``report evaluation`` is not here yet: it needs competency evaluations, which the workbook
does not record yet.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from supervision_workbook.console import EXIT_OK, UserError, open_workspace, os_reason, plural

if TYPE_CHECKING:
    from supervision_workbook.store import Workspace


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a date like 2026-03-02") from None


def _trainees(ws: Workspace) -> list[tuple[str, str]]:
    from supervision_workbook.hours import trainees
    from supervision_workbook.store._layout import INDEX_NAME

    try:
        return trainees(ws)
    except sqlite3.Error as exc:  # a read-only or full folder, a locked database
        raise UserError(f"{ws.path / INDEX_NAME}: cannot read the index: {exc}") from None


def _pick(ws: Workspace, wanted: str) -> tuple[str, str]:
    """The trainee whose id or name (ignoring case) is ``wanted``."""
    known = _trainees(ws)
    key = wanted.strip().casefold()
    found = [t for t in known if t[0] == wanted.strip()] or [
        t for t in known if t[1].casefold() == key
    ]
    if len(found) == 1:
        return found[0]
    if found:
        ids = ", ".join(tid for tid, _ in found)
        raise UserError(f"{plural(len(found), 'trainee')} named {wanted!r}; give the id: {ids}")
    names = ", ".join(f"{name} ({tid})" for tid, name in known[:10]) or "none yet"
    raise UserError(f"{ws.path}: no trainee {wanted!r} in the index; trainees: {names}")


def cmd_hours(args: argparse.Namespace) -> int:
    from supervision_workbook.hours import trainee_hours

    ws = open_workspace(args.dir)
    chosen = [_pick(ws, args.trainee)] if args.trainee else _trainees(ws)
    today = args.today or date.today()
    results = [trainee_hours(ws, tid, name, today=today) for tid, name in chosen]
    if args.json:
        payload = [
            {
                "trainee_id": r.trainee_id,
                "trainee_name": r.trainee_name,
                "minutes_by_format": r.ledger.minutes_by_format(),
                "rules": [
                    {
                        "name": s.name,
                        "kind": s.kind,
                        "status": s.status,
                        "actual": s.actual,
                        "target": s.target,
                        "unit": s.unit,
                        "expected": s.expected,
                        "detail": s.detail,
                    }
                    for s in r.statuses
                ],
            }
            for r in results
        ]
        print(json.dumps({"today": today.isoformat(), "trainees": payload}, indent=2))
        return EXIT_OK
    if not results:
        print(f"{ws.path}: no trainees in the index yet.", file=sys.stderr)
    for r in results:
        print(f"{r.trainee_name} ({r.trainee_id}), as of {today.isoformat()}")
        for s in r.statuses:
            print(f"  {s.label:<12} {s.name}: {s.detail}")
    return EXIT_OK


def cmd_indirect(args: argparse.Namespace) -> int:
    from supervision_workbook.model import IndirectEntry, new_id
    from supervision_workbook.store import add_indirect, read_indirect, remove_indirect

    ws = open_workspace(args.dir)
    tid, name = _pick(ws, args.trainee)
    if args.add is not None:
        if args.date is None or args.activity is None:
            raise UserError("--add needs --date and --activity as well")
        from pydantic import ValidationError

        try:
            entry = IndirectEntry(
                id=new_id("ih"),
                date=args.date,
                minutes=args.add,
                activity=args.activity,
                case_code=args.case,
            )
        except ValidationError as exc:
            err = exc.errors()[0]
            field = {"minutes": "--add", "case_code": "--case"}.get(str(err["loc"][0]), "value")
            raise UserError(f"{field}: {err['msg']}") from None
        entries = add_indirect(ws, tid, entry)
        print(f"Added {entry.id} to {name}'s indirect-hours log.", file=sys.stderr)
    elif args.remove:
        entries = remove_indirect(ws, tid, args.remove)
        print(f"Removed {args.remove} from {name}'s indirect-hours log.", file=sys.stderr)
    else:
        entries = read_indirect(ws, tid)
    for e in entries:
        case = f" {e.case_code}" if e.case_code else ""
        print(f"{e.id}  {e.date.isoformat()}  {e.minutes:>4} min  {e.activity}{case}")
    total = sum(e.minutes for e in entries)
    print(f"{plural(len(entries), 'entry', 'entries')}, {total / 60:.2f} h.", file=sys.stderr)
    return EXIT_OK


def cmd_report_hours(args: argparse.Namespace) -> int:
    from supervision_workbook.reports import write_hours_report

    ws = open_workspace(args.dir)
    target = Path(args.pdf)
    if target.is_dir():
        raise UserError(f"{target}: is a folder; --pdf takes the name of the PDF file to write")
    if not target.parent.is_dir():
        raise UserError(f"{target.parent}: no such folder for the PDF file {target.name}")
    tid, name = _pick(ws, args.trainee)
    try:
        report = write_hours_report(ws, tid, target, trainee_name=name, today=args.today)
    except OSError as exc:
        raise UserError(f"{target}: cannot write the PDF here: {os_reason(exc)}") from None
    counts = {s.status for s in report.statuses}
    met = sum(1 for s in report.statuses if s.status == "met")
    print(
        f"Wrote {target}: {plural(len(report.ledger.supervision), 'signed-off record')}, "
        f"{met} of {plural(len(report.statuses), 'rule')} met"
        + (", some behind" if "behind" in counts else "")
        + ".",
        file=sys.stderr,
    )
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "hours",
        help="each trainee's supervision and client hours against the workspace's rules",
        description="Check each [hours] rule of the workspace configuration for each "
        "trainee: met, on track, behind, or not yet met, with the numbers.",
    )
    p.add_argument("dir", help="workspace folder")
    p.add_argument("--trainee", help="one trainee, by name or id (default: everyone)")
    p.add_argument("--today", type=_day, help="the date to check against (default: today)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_hours)

    p = sub.add_parser(
        "indirect",
        help="a trainee's indirect-hours log (notes, consultation, preparation): list or add",
    )
    p.add_argument("dir", help="workspace folder")
    p.add_argument("--trainee", required=True, help="the trainee, by name or id")
    p.add_argument("--add", type=int, metavar="MINUTES", help="add an entry of this many minutes")
    p.add_argument("--date", type=_day, help="the entry's date (with --add)")
    p.add_argument(
        "--activity",
        choices=["notes", "consultation", "preparation", "other"],
        help="what the time was spent on (with --add)",
    )
    p.add_argument("--case", help="the case code, if the entry is about one case (with --add)")
    p.add_argument("--remove", metavar="ID", help="remove the entry with this id")
    p.set_defaults(func=cmd_indirect)

    p = sub.add_parser("report", help="printable reports (PDF) a training programme can file")
    reports = p.add_subparsers(dest="report", required=True, metavar="REPORT")
    r = reports.add_parser(
        "hours",
        help="a trainee's hours by format and rule, with the signed-off records",
        description="Write a PDF of one trainee's supervision hours by format and rule, "
        "client contact, the signed-off records (supervisor, date, id, content hash) and "
        "the validate command that checks them.",
    )
    r.add_argument("dir", help="workspace folder")
    r.add_argument("--trainee", required=True, help="the trainee, by name or id")
    r.add_argument("--pdf", required=True, help="the PDF file to write")
    r.add_argument("--today", type=_day, help="the date to check against (default: today)")
    r.set_defaults(func=cmd_report_hours)
