"""The ``supervision-workbook`` command: the parser, the dispatch, and nothing else.

Why argparse: it ships with Python, starts in milliseconds, and keeps the command usable
where only the package is installed. Each command group lives in a module of its own with a
``register(subparsers)`` function; a handler imports what it needs when it runs, so
``--help`` and quick commands stay fast.

To add a command group: write ``cli/<group>.py`` with ``register(subparsers)`` (its handlers
return an exit code and raise ``console.UserError`` or a layer's own error for wrong input)
and add the module to :data:`GROUPS`. Errors become one line in ``console.run_command``;
nothing here catches them.

Exit codes (see ``console``): 0 success; 1 the command ran and found problems
(``validate``, ``collect``, ``export`` skipping a damaged file); 2 wrong input, with one line
naming the file and the problem; 70 an unexpected error (a bug; ``SUPERVISION_WORKBOOK_DEBUG=1``
shows its traceback); 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

from supervision_workbook.console import run_command

#: The command groups, in the order ``--help`` lists them (modules with ``register``).
GROUPS = (
    "supervision_workbook.cli.workspace",  # init, demo
    "supervision_workbook.cli.artifacts",  # validate
    "supervision_workbook.cli.keys",  # keys create|list|trust
    "supervision_workbook.cli.alerts",  # alerts
    "supervision_workbook.cli.scores",  # score, instruments
    "supervision_workbook.cli.caseload",  # export, index
    "supervision_workbook.cli.importing",  # import
    "supervision_workbook.cli.reports",  # hours, indirect, report
    "supervision_workbook.cli.server",  # serve
    "supervision_workbook.exchange.cli",  # submit, collect, exchange-setup
)


def build_parser() -> argparse.ArgumentParser:
    from supervision_workbook import __version__

    parser = argparse.ArgumentParser(
        prog="supervision-workbook",
        description="Structured clinical supervision case reviews: workspaces, instruments, "
        "artifacts and the Voila workbooks.",
        epilog="Exit codes: 0 done; 1 the command found problems (validate, collect, "
        "export, import); 2 wrong input, with one line naming the file and the problem; 70 an "
        "unexpected error (set SUPERVISION_WORKBOOK_DEBUG=1 to see its traceback).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in GROUPS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(args.func, args)


__all__ = ["GROUPS", "build_parser", "main"]
