"""Writing a large demo with a process pool (one worker per CPU).

Every review is generated in the parent, in order, from the seed; a worker only saves it,
and a saved file depends on nothing but the review and the workspace's configuration, so
the files are byte for byte the same whatever the number of workers.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from supervision_workbook.model import Review
    from supervision_workbook.store import Workspace

#: Reviews per task sent to a worker (fewer round trips; small enough to share the work).
_BATCH = 25

# --- writing with a process pool -------------------------------------------------------------
_worker_ws: Workspace | None = None


def _start_worker(workspace_dir: str) -> None:
    """Each worker opens the workspace once (configuration and instruments read once)."""
    global _worker_ws  # one workspace per worker process, by design
    from supervision_workbook.store import Workspace

    _worker_ws = Workspace(Path(workspace_dir))


def _save_batch(batch: list[Review]) -> int:
    """Save ``batch`` in order; the number saved (short of ``len(batch)`` when one failed:
    the parent then saves the rest itself, so that an error is raised as a save raises it,
    whatever it is, rather than as it survives pickling)."""
    if _worker_ws is None:
        raise RuntimeError("demo worker used before _start_worker ran")
    for done, review in enumerate(batch):
        try:
            _worker_ws.save(review, update_index=False)
        except Exception:
            return done
    return len(batch)


def _batches(reviews: Iterable[Review], size: int) -> Iterator[list[Review]]:
    batch: list[Review] = []
    for review in reviews:
        batch.append(review)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _context() -> BaseContext:
    """How to start the workers. "fork" where it is safe (Linux, a parent with one thread,
    such as the command line): instant, and it works from a script without an
    ``if __name__ == "__main__"`` guard. Otherwise "forkserver" or "spawn": forking a parent
    that has threads (a kernel) can deadlock the child, and macOS and Windows do not fork."""
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def save_in_pool(
    ws: Workspace,
    reviews: Iterable[Review],
    workers: int,
    progress: Callable[[int], None] | None,
) -> int:
    """Save ``reviews`` with ``workers`` processes, generating only a few batches ahead (a
    10,000-review demo is never all in memory at once)."""
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=_start_worker,
        initargs=(str(ws.path),),
    )
    pending: dict[Future[int], list[Review]] = {}
    count = 0

    def collect(done: Iterable[Future[int]]) -> int:
        saved = 0
        for future in done:
            batch = pending.pop(future)
            n = future.result()
            for review in batch[n:]:  # what the worker could not save: raise it here
                ws.save(review, update_index=False)
            saved += len(batch)
            if progress is not None:
                progress(len(batch))
        return saved

    try:
        for batch in _batches(reviews, _BATCH):
            pending[pool.submit(_save_batch, batch)] = batch
            if len(pending) >= 4 * workers:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                count += collect(done)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            count += collect(done)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return count
