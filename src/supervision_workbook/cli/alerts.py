"""``supervision-workbook alerts DIR``: every flag of a workspace, as the dashboard shows it.

Why a command: a program scripts its weekly report from ``--json``, and tests use it to
check that the command line, the dashboard and the case review agree. It holds no rule of
its own. The sessions of a case are merged from the index exactly as the dashboard merges
them (``store._caseload``), ``reviewed_through`` is the dashboard row's, and which flags
are open is :func:`supervision_workbook.alerts.case_flags`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from supervision_workbook.console import EXIT_OK, UserError

if TYPE_CHECKING:
    from supervision_workbook.model import SessionEntry
    from supervision_workbook.store import CaseloadRow, Workspace


def register(subparsers: Any) -> None:
    """Add the ``alerts`` subcommand to the command's subparsers."""
    p = subparsers.add_parser(
        "alerts",
        help="list every flag of the caseload, as the dashboard and the case review show it",
        description="List every flag (alert) of every case in a workspace: the rule, the "
        "session (none for a case-level state), whether it is still open, and the message. "
        "Flags close when a signed-off case review covers their session; risk concerns "
        "close only when the supervisor's response is recorded.",
    )
    p.add_argument("dir", help="workspace folder")
    p.add_argument("--trainee", help="only this trainee (display name, as on the dashboard)")
    p.add_argument("--case", help="only this case code, e.g. C-014")
    p.add_argument("--open", action="store_true", help="only flags that are still open")
    p.add_argument("--json", action="store_true", help="print one JSON array instead of text")
    p.set_defaults(func=cmd_alerts)


def _case_sessions(ws: Workspace, row: CaseloadRow) -> list[SessionEntry]:
    """The case's sessions, one per number, merged by the dashboard's own rule."""
    from supervision_workbook.store._caseload import ReviewFacts, current_reviews, merged_sessions

    facts, sessions = [], []
    for r in ws.index.reviews(trainee_id=row.trainee_id, case_id=row.case_id):
        path = str(r.path)
        facts.append(
            ReviewFacts(
                path=path,
                review_id=r.review_id,
                kind=r.kind,
                status=r.status,
                trainee_id=r.trainee_id,
                trainee_name=r.trainee_name,
                case_id=r.case_id,
                case_code=r.case_code,
                updated=r.updated,
                last_session_number=r.last_session_number,
                signoff_minutes=r.signoff_minutes,
                signoff_format=r.signoff_format,
            )
        )
        try:
            loaded = ws.load(r.path)
        except Exception as exc:  # a damaged file is reported, never hidden
            raise UserError(f"{r.path}: cannot be read: {exc}") from None
        sessions += [(path, s.number, s.model_dump_json()) for s in loaded.review.sessions]
    return merged_sessions(current_reviews(facts), sessions)


def workspace_flags(
    ws: Workspace, *, trainee: str | None = None, case: str | None = None
) -> list[dict[str, object]]:
    """Every flag of the workspace's caseload as plain records (the ``--json`` objects)."""
    from supervision_workbook.alerts import case_flags, flag_record

    rows = ws.index.caseload()
    if trainee is not None:
        rows = [r for r in rows if r.trainee_name.casefold() == trainee.casefold()]
        if not rows:
            raise UserError(f"no trainee named {trainee!r} in {ws.path}")
    if case is not None:
        rows = [r for r in rows if r.case_code.casefold() == case.casefold()]
        if not rows:
            raise UserError(f"no case {case!r} in {ws.path}")
    out: list[dict[str, object]] = []
    for row in rows:
        flags = case_flags(
            _case_sessions(ws, row),
            ws.instruments,
            ws.config.alerts,
            reviewed_through=row.reviewed_through,
        )
        who = {"trainee": row.trainee_name, "case": row.case_code}
        out += [{**who, **flag_record(f)} for f in flags]
    return out


def cmd_alerts(args: argparse.Namespace) -> int:
    from supervision_workbook.store import Workspace, WorkspaceError

    try:
        ws = Workspace(Path(args.dir))
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None
    records = workspace_flags(ws, trainee=args.trainee, case=args.case)
    if args.open:
        records = [r for r in records if r["open"]]
    if args.json:
        print(json.dumps(records, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not records:
        print("No flags." if not args.open else "No open flags.")
        return EXIT_OK
    for r in records:
        session = "case" if r["session"] is None else f"session {r['session']}"
        state = "OPEN" if r["open"] else str(r["status"])
        print(f"{r['trainee']} {r['case']} {session} [{r['rule']}, {state}] {r['message']}")
    return EXIT_OK
