"""What every command prints besides its results: errors, counts, progress bars, exit codes.

Why a module of its own: both ``supervision-workbook`` (``cli``) and
``python -m supervision_workbook.exchange`` (``exchange.cli``) raise the same ``UserError``,
turn the same errors into one line, count the same way and show the same progress bars.
Keeping that here, below both commands, means neither command imports the other (no import
cycle), and a future command joins by importing this module.

Exit codes: 0 success; 1 the command ran and found problems (``validate``, ``collect``,
``export`` skipping a damaged file); 2 the input was wrong (bad arguments, a folder that is
not a workspace or already is one, a file that cannot be read, a broken configuration);
70 an unexpected error, which is a bug (``EX_SOFTWARE`` of ``sysexits.h``); 130 interrupted.

Why unexpected errors are not shown as a traceback by default: a traceback can quote
clinical text and tells a supervisor nothing they can act on. One line names the error and
says how to see the details (``SUPERVISION_WORKBOOK_DEBUG=1`` re-raises every error, expected
or not), so a bug is never swallowed silently.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from supervision_workbook.store import Workspace

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_BUG = 70
EXIT_INTERRUPTED = 130
DEBUG_ENV = "SUPERVISION_WORKBOOK_DEBUG"


class UserError(Exception):
    """An error the user can fix; printed without a traceback, exit code 2."""


def plural(count: int, word: str, many: str | None = None) -> str:
    """``plural(1, "artifact")`` is ``"1 artifact"``; ``plural(2, "artifact")`` is
    ``"2 artifacts"``; irregular words pass their plural (``plural(n, "was", "were")``)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


@contextmanager
def progress_bar(total: int | None, desc: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal; silent when stderr is piped or redirected."""
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit="file", disable=not sys.stderr.isatty(), leave=False)
    try:
        yield bar.update
    finally:
        bar.close()


@contextmanager
def reading(path: Path | str, what: str = "file") -> Iterator[None]:
    """Name ``path`` when reading it fails on bytes that are not UTF-8 text (a binary file
    where a text file was expected): ``UnicodeDecodeError`` itself does not say which file."""
    try:
        yield
    except UnicodeDecodeError as exc:
        raise UserError(
            f"{path}: not a text {what} (byte {exc.start} is not UTF-8; is it a binary file?)"
        ) from None


# --- workspaces, checked before any work starts -----------------------------------------
def existing_folder(raw: str | Path, what: str = "folder") -> Path:
    """``raw`` as a path to an existing folder, or a ``UserError`` saying what it is instead."""
    path = Path(raw)
    if not path.exists():
        raise UserError(f"{path}: no such {what}")
    if not path.is_dir():
        raise UserError(f"{path}: is a file, not a {what}")
    return path


def is_workspace(path: Path) -> bool:
    """Whether ``path`` holds a workspace configuration. A folder this account may not
    look into raises ``PermissionError`` (naming it) rather than answering "no"."""
    from supervision_workbook.config import CONFIG_NAME

    try:
        (path / CONFIG_NAME).stat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    return True


def open_workspace(raw: str | Path) -> Workspace:
    """The workspace at ``raw``, its configuration read (a broken one is reported now)."""
    from supervision_workbook.config import CONFIG_NAME
    from supervision_workbook.store import Workspace

    path = existing_folder(raw, "workspace folder")
    is_workspace(path)  # a folder we may not enter says so, not "not a workspace"
    Workspace(path)  # NotAWorkspace names the folder as given and the command that makes one
    # Opened by its absolute path: Workspace.load joins a relative artifact path onto the
    # workspace folder, so the relative paths iter_artifacts yields for a relative
    # workspace would be joined twice.
    ws = Workspace(path.absolute())
    with reading(path / CONFIG_NAME, "configuration file"):
        _ = ws.config
    return ws


# --- one line per error -------------------------------------------------------------------
#: Errors the person can act on, by module and class. Looked up in ``sys.modules`` rather
#: than imported: a class whose module was never imported cannot have been raised, and the
#: handler must not import the artifact layer just to print "no such folder".
_EXPECTED = (
    ("supervision_workbook.console", "UserError"),
    ("supervision_workbook.config", "ConfigError"),
    ("supervision_workbook.store._errors", "WorkspaceError"),
    ("supervision_workbook.artifact._errors", "ArtifactError"),
    ("supervision_workbook.artifact.integrity", "IntegrityError"),
    ("supervision_workbook.exchange._errors", "ExchangeError"),
    ("supervision_workbook.instruments._loader", "InstrumentError"),
    ("supervision_workbook.scoring", "ScoringError"),
    ("supervision_workbook.serve", "ServeError"),
)

_OS_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOENT: "no such file or folder",
    errno.EISDIR: "is a folder, not a file",
    errno.ENOTDIR: "a part of this path is a file, not a folder",
    errno.EEXIST: "already exists",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on the device",
    errno.ENOTEMPTY: "folder is not empty",
}


def one_line(text: str) -> str:
    """``text`` on one line: further lines joined with ``; ``."""
    return "; ".join(part.strip() for part in str(text).splitlines() if part.strip())


def os_reason(exc: OSError) -> str:
    """What went wrong with a file, in words (``permission denied``), without its name."""
    return _OS_REASONS.get(exc.errno or -1) or exc.strerror or str(exc)


def _expected_types() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = []
    for module, name in _EXPECTED:
        cls = getattr(sys.modules.get(module), name, None)
        if isinstance(cls, type):
            found.append(cls)
    return tuple(found)


def error_line(exc: BaseException) -> str | None:
    """The one line to print for an error the person can act on; ``None`` for a bug."""
    if isinstance(exc, OSError):
        reason = os_reason(exc)
        where = exc.filename
        if where is not None and exc.filename2 is not None:
            where = f"{exc.filename} -> {exc.filename2}"
        return one_line(f"{where}: {reason}" if where is not None else reason)
    if isinstance(exc, UnicodeDecodeError):  # only when no caller named the file (`reading`)
        return f"a file is not UTF-8 text (byte {exc.start}); is it a binary file?"
    if isinstance(exc, _expected_types()):
        return one_line(str(exc)) or type(exc).__name__
    return None


def run_command(func: Callable[[Any], int], args: Any) -> int:
    """Run one command's handler and turn what it raises into one line and an exit code."""
    debug = os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")
    try:
        return int(func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `... | head`: the reader has gone; nothing left to say
        with suppress(OSError, ValueError):  # keep the exit-time flush off the closed pipe
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        if debug:
            raise
        line = error_line(exc)
        if line is not None:
            print(f"error: {line}", file=sys.stderr)
            return EXIT_USAGE
        print(
            f"error: unexpected {type(exc).__name__}: {one_line(str(exc))[:300]} (a bug in "
            f"supervision-workbook; run again with {DEBUG_ENV}=1 to see the traceback, and "
            "report it)",
            file=sys.stderr,
        )
        return EXIT_BUG
