"""What every command prints besides its results: user errors, progress bars, exit codes.

Why a module of its own: both ``supervision-workbook`` (``cli``) and
``python -m supervision_workbook.exchange`` (``exchange.cli``) raise the same ``UserError`` and
show the same progress bars. Keeping them here, below both commands, means neither command
imports the other (no import cycle), and a future command joins by importing this module.

Exit codes: 0 success; 1 the command ran and found problems (``validate``, ``collect``); 2 the
input was wrong (bad arguments, out-of-range answers, a folder that is not a workspace).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UserError(Exception):
    """An error the user can fix; printed without a traceback, exit code 2."""


@contextmanager
def progress_bar(total: int | None, desc: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal; silent when stderr is piped or redirected."""
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit="file", disable=not sys.stderr.isatty(), leave=False)
    try:
        yield bar.update
    finally:
        bar.close()
