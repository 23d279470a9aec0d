"""Running Voila for ``serve``: start it, print the one URL to open, stop it cleanly.

How stopping works, whatever stops us:

- Voila runs in a process group of its own, so a terminal's Ctrl-C (SIGINT) or hang-up
  (SIGHUP, a closed terminal window) reaches this process only; this process then stops
  Voila with one SIGTERM, Voila shuts its kernels down, and nothing prints twice.
- SIGTERM and SIGHUP are handled like Ctrl-C. Before, a SIGHUP ended this process at once
  and left Voila and its kernels serving with nobody to stop them.
- If this process is killed outright (SIGKILL), Voila notices that its parent is gone and
  stops by itself (:mod:`.voila_app`).
"""

from __future__ import annotations

import contextlib
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from ._command import (
    HOST,
    ServeError,
    build_voila_command,
    build_voila_env,
    check_workspace,
    choose_port,
    idle_timeout,
    landing_url,
    workbooks_dir,
)

_READY_TIMEOUT = 90.0
_STOP_TIMEOUT = 10.0
#: The signals that mean "stop the server": a kill, and a closed terminal.
STOP_SIGNALS = tuple(
    sig for sig in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if sig
)


class _Terminated(Exception):
    """Raised in the main thread when this process receives SIGTERM or SIGHUP."""


def wait_until_answering(
    port: int, proc: subprocess.Popen[bytes], timeout: float = _READY_TIMEOUT
) -> None:
    """Wait until the server answers HTTP (any status), or fail if it exits or stalls.

    The probe asks for ``/`` *without* the token, which is answered with a redirect to the
    login page: it never claims one of the preheated kernels.
    """
    deadline = time.monotonic() + timeout
    url = f"http://{HOST}:{port}/"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServeError(
                f"Voila stopped during start-up (exit code {proc.returncode}); "
                "see its messages above"
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # a 302/403 is an answer
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.2)
    raise ServeError(f"Voila did not answer on port {port} within {timeout:.0f} s")


def stop_process(proc: subprocess.Popen[bytes], *, already_signalled: bool = False) -> None:
    """Stop Voila cleanly (it shuts its kernels down on SIGTERM), killing it as a last resort."""
    if proc.poll() is not None:
        return
    if already_signalled:  # a signal already reached Voila too; let it finish
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=_STOP_TIMEOUT / 2)
            return
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


def serve(
    workspace: Path,
    port: int | None,
    open_browser: bool = False,
    *,
    preheat: bool = True,
    pool_size: int = 1,
    compress: bool = False,
    extra_args: Sequence[str] = (),
) -> int:
    """Serve the workbooks for ``workspace`` until stopped; returns the process exit code."""
    try:
        served = workbooks_dir()
        ws = check_workspace(workspace, served)
        chosen = choose_port(port)
        idle = idle_timeout()
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    token = secrets.token_urlsafe(32)
    command = [
        *build_voila_command(
            served,
            chosen,
            preheat=preheat,
            pool_size=pool_size,
            idle_seconds=idle,
            compress=compress,
        ),
        *extra_args,
    ]
    env = build_voila_env(ws, token)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = (
        {sig: signal.signal(sig, _raise_terminated) for sig in STOP_SIGNALS} if main_thread else {}
    )
    # process_group=0: Voila gets a group of its own, so the terminal's signals reach only us.
    proc = subprocess.Popen(command, env=env, process_group=0)
    try:
        wait_until_answering(chosen, proc)
        url = landing_url(chosen, token)
        print(
            f"Serving the workbooks from {served}\n"
            f"Workspace (not served): {ws}\n"
            f"Listening on {HOST} only. Press Ctrl-C to stop.\n\n"
            f"Open {url}\n",
            flush=True,
        )
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        code = proc.wait()
        if code not in (0, -signal.SIGINT, -signal.SIGTERM):
            print(f"error: Voila stopped with exit code {code}", file=sys.stderr)
            return 1
        return 0
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, _Terminated):
        print("Stopping the server...", file=sys.stderr, flush=True)
        return 0
    finally:
        # While stopping, a second signal is ignored rather than killing us half-way and
        # leaving Voila behind; stop_process has its own time limits.
        if main_thread:
            previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.SIG_IGN)
            for sig in STOP_SIGNALS:
                signal.signal(sig, signal.SIG_IGN)
        stop_process(proc)
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
