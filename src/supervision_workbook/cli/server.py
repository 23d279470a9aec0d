"""``serve``: the workbooks with Voila on 127.0.0.1 with a token."""

from __future__ import annotations

import argparse
from pathlib import Path

from supervision_workbook.console import open_workspace


def cmd_serve(args: argparse.Namespace) -> int:
    from supervision_workbook.serve import serve

    open_workspace(args.dir)  # a clear error before Voila starts
    return serve(Path(args.dir), port=args.port)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the workbooks with Voila on 127.0.0.1 with a token")
    p.add_argument("dir", help="workspace folder (kept outside the served folder)")
    p.add_argument("--port", type=int, default=None, help="port (default: 8866, or a free one)")
    p.set_defaults(func=cmd_serve)
