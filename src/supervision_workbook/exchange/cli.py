"""The exchange's subcommands: ``submit``, ``collect`` and ``exchange-setup``.

The main command (``supervision_workbook.cli``) calls :func:`register`, like every command
group; the handlers import what they need when they run, so ``--help`` stays fast. Errors
the person can fix (``UserError``, ``ExchangeError``, ``WorkspaceError``, ``ArtifactError``,
``OSError``) become one line and exit code 2 in ``console.run_command``, for both commands;
``collect`` exits with 1 when it refused a file, like ``validate``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from supervision_workbook.console import EXIT_OK, EXIT_PROBLEMS, UserError, reading, run_command

if TYPE_CHECKING:
    from supervision_workbook.store import Workspace

    from .folder import FolderExchange


def _user_error(message: str) -> Exception:
    return UserError(message)


def _roster_path(args: argparse.Namespace, root: Path) -> Path:
    from .roster import roster_path

    return Path(args.roster) if args.roster else roster_path(root)


def _exchange(args: argparse.Namespace) -> FolderExchange:
    from .folder import FolderExchange

    root = Path(args.exchange)
    if not root.exists():
        raise _user_error(f"{root}: no such exchange folder")
    if not root.is_dir():
        raise _user_error(f"{root}: is a file, not an exchange folder")
    with reading(_roster_path(args, root), "roster"):
        return FolderExchange(root, Path(args.roster) if args.roster else None)


@contextmanager
def _roster_decides(exchange: FolderExchange) -> Iterator[None]:
    """A refusal the roster decided names the roster, the file to look at or to fix."""
    from ._errors import ExchangePermissionError

    try:
        yield
    except ExchangePermissionError as exc:
        raise _user_error(f"{exc} (roster: {exchange.roster_file})") from None


def _workspace(path: str) -> Workspace:
    from supervision_workbook.console import open_workspace

    return open_workspace(path)


def _text_from_workspace(ws: Workspace, review_id: str) -> tuple[str, str]:
    """The review's saved text, marked ``submitted`` first if it was still a draft."""
    from supervision_workbook.model import Status, utcnow

    path = ws.find(review_id)
    if path is None or not path.is_file():  # the index is a cache; the artifacts are the truth
        path = next((p for p in ws.iter_artifacts() if p.stem.endswith(f"_{review_id}")), None)
    if path is None:
        raise _user_error(f"no saved review {review_id!r} in {ws.path} (drafts are not submitted)")
    loaded = ws.load(path)
    review = loaded.review
    if review.status == Status.draft:
        review.status = Status.submitted
        review.updated = utcnow()
        path = ws.save(review, expected_hash=loaded.content_hash).path
        print(f"Marked {review_id} as submitted in {ws.path}.", file=sys.stderr)
    return path.read_text(encoding="utf-8"), str(path)


def cmd_submit(args: argparse.Namespace) -> int:
    if args.artifact:
        if args.workspace or args.review:
            raise _user_error("give either an ARTIFACT file or --workspace with --review")
        source = args.artifact
        with reading(source, "review artifact (.ipynb)"):
            text = Path(source).read_text(encoding="utf-8")
        if not text.strip():
            raise _user_error(f"{source}: the file is empty, not a review artifact")
    elif args.workspace and args.review:
        text, source = _text_from_workspace(_workspace(args.workspace), args.review)
    else:
        raise _user_error("give an ARTIFACT file, or --workspace DIR with --review ID")
    exchange = _exchange(args)
    with _roster_decides(exchange):
        submission = exchange.submit(text, source=source)
    print(
        f"Submitted review {submission.review_id} (case {submission.case_id}) as version "
        f"{submission.version}: {submission.path}"
    )
    return EXIT_OK


def cmd_collect(args: argparse.Namespace) -> int:
    ws = _workspace(args.workspace)
    exchange = _exchange(args)
    with _roster_decides(exchange):
        report = exchange.collect(ws, trainee=args.trainee)
    for path in report.imported:
        print(f"imported {path}")
    for refused in report.refused:
        print(f"refused {refused.source}: {refused.reason}")
    print(f"Collected into {ws.path}: {report.summary()}.", file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_exchange_setup(args: argparse.Namespace) -> int:
    from ._setup import describe, setup_exchange

    root = Path(args.dir)
    if root.exists() and not root.is_dir():
        raise _user_error(f"{root}: is a file, not an exchange folder")
    roster = Path(args.roster) if args.roster else root / "roster.json"
    with reading(roster, "roster"):
        result = setup_exchange(
            root,
            Path(args.roster) if args.roster else None,
            shared_account=True if args.shared_account else None,
        )
    print(describe(result))
    return EXIT_PROBLEMS if result.problems else EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``submit``, ``collect`` and ``exchange-setup`` to the main command's parser."""
    roster_help = "roster file (default: $SUPERVISION_WORKBOOK_ROSTER, else DIR/roster.json)"

    p = subparsers.add_parser(
        "submit",
        help="hand a review to your supervisor through a shared exchange folder",
        description="Submit a review to the exchange folder: as the next version in your own "
        "inbound folder (an earlier submission is never overwritten). Your identity is the "
        "hub user name ($JUPYTERHUB_USER) or your login; the roster must list you as a "
        "trainee and the review must be yours. On Binder or a laptop, download the workbook "
        "instead and send the file.",
    )
    p.add_argument("artifact", nargs="?", help="a review artifact (.ipynb) to submit")
    p.add_argument("--workspace", help="your workspace (with --review)")
    p.add_argument("--review", help="id of a saved review in --workspace (marked submitted)")
    p.add_argument("--exchange", required=True, help="the exchange folder, e.g. /srv/exchange")
    p.add_argument("--roster", help=roster_help)
    p.set_defaults(func=cmd_submit)

    p = subparsers.add_parser(
        "collect",
        help="import your trainees' submissions into your workspace",
        description="Collect the latest sound version of each review your trainees "
        "submitted into your workspace. Every file is verified; a damaged or tampered one is "
        "reported and not imported (exit code 1). Collecting again is harmless.",
    )
    p.add_argument("--exchange", required=True, help="the exchange folder, e.g. /srv/exchange")
    p.add_argument("--workspace", required=True, help="your workspace")
    p.add_argument("--trainee", help="only this trainee (login name or trainee id)")
    p.add_argument("--roster", help=roster_help)
    p.set_defaults(func=cmd_collect)

    p = subparsers.add_parser(
        "exchange-setup",
        help="(administrators) create or repair an exchange folder from its roster",
        description="Create the inbound folder of every trainee in the roster, with owners, "
        "groups and modes that let only the trainee write and only their supervisors read "
        "(run as root on a machine with one account per person). Prints what it changed and "
        "any problem it refused to paper over (exit code 1).",
    )
    p.add_argument("dir", help="the exchange folder (created if missing)")
    p.add_argument("--roster", help="roster file (default: DIR/roster.json)")
    p.add_argument(
        "--shared-account",
        action="store_true",
        help="everyone's server runs as one account (Zero to JupyterHub, "
        "SimpleLocalProcessSpawner): folders mode 0700, no owners or groups set",
    )
    p.set_defaults(func=cmd_exchange_setup)


def main(argv: list[str] | None = None) -> int:
    """``python -m supervision_workbook.exchange``: the same subcommands on their own."""
    parser = argparse.ArgumentParser(prog="python -m supervision_workbook.exchange")
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    return run_command(args.func, args)
