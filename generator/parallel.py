"""Spread work (parsing, rendering) over every core; small jobs stay here.

Workers are forked after the jobs exist, so they inherit the fact base and
the templates. A job's result can come back (a parsed file, already pickled
as the cache stores it) or stay where it was made and be finished there
(`then`: a rendered page written to disk by the worker that rendered it, so
no page crosses a pipe and no process holds the whole site). `then`
runs only once every job has succeeded: a failing job anywhere means
nothing is finished anywhere.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
from typing import Any
from collections.abc import Callable

# Below this many jobs starting workers costs more than it saves (2 cores).
MIN_JOBS = 400

Finish = Callable[[int, Any], Any]


def workers() -> int:
    """Processes worth running at once: one per core (POSIX only: workers are forked)."""
    return min(os.cpu_count() or 1, 8) if os.name == "posix" else 1


def _keep(index: int, value: Any) -> Any:
    return value


def run_jobs(jobs: list[Callable[[], Any]], spread: bool | None = None,
             then: Finish = _keep) -> list:
    """Call every job, then `then(index, result)` for each; returns what
    `then` returned. Jobs run in forked workers when `spread` (default: when
    there are enough of them to pay for starting workers)."""
    count = min(workers(), len(jobs))
    if spread is None:
        spread = len(jobs) >= MIN_JOBS
    if count < 2 or not spread:
        made = [job() for job in jobs]   # all of them first: a failure finishes nothing
        return [then(i, value) for i, value in enumerate(made)]
    return _in_workers(jobs, then, count)


def _in_workers(jobs: list[Callable[[], Any]], then: Finish, workers: int) -> list:
    """This process takes the first share and forks one worker per other share
    (the parent would otherwise sit idle holding a copy of everything)."""
    context = multiprocessing.get_context("fork")
    shares = [range(n, len(jobs), workers) for n in range(workers)]
    links, processes = [], []
    # Objects that exist before the fork are shared with the workers until
    # written to; a collection in a worker would touch (and so copy) them all.
    gc.freeze()
    _release_free_heap()
    try:
        for share in shares[1:]:
            mine, theirs = context.Pipe()
            process = context.Process(target=_work, daemon=True,
                                      args=(jobs, share, then, theirs))
            process.start()
            theirs.close()
            links.append(mine)
            processes.append(process)
    finally:
        gc.unfreeze()
    try:
        return _collect(_Here(jobs, shares[0], then), links, len(jobs))
    finally:
        for link in links:
            link.close()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()


class _Here:
    """The parent's own share, run through the same two phases as a worker's."""

    def __init__(self, jobs: list[Callable[[], Any]], share: range, then: Finish):
        self.then, self.made, self.failure = then, [], None
        index = -1
        try:
            for index in share:
                self.made.append((index, jobs[index]()))
        except Exception as err:
            self.failure = ("failed", index, err)

    def finish(self) -> list[tuple[int, Any]]:
        return [(index, self.then(index, value)) for index, value in self.made]


def _collect(here: _Here, links: list, count: int) -> list:
    replies = [here.failure or ("ready",)] + [_receive(link) for link in links]
    failures = [reply for reply in replies if reply[0] == "failed"]
    verdict = "abort" if failures else "finish"
    for link in links:
        try:
            link.send(verdict)
        except OSError:
            pass  # that worker failed and has already gone
    if failures:  # the first failing job in job order, whichever process ran it
        raise min(failures, key=lambda reply: reply[1])[2]
    results: list = [None] * count
    for index, value in here.finish():
        results[index] = value
    for link in links:
        reply = _receive(link)
        if reply[0] == "failed":
            raise reply[2]
        for index, value in reply[1]:
            results[index] = value
    return results


def _receive(link) -> tuple:
    try:
        return link.recv()
    except EOFError:
        raise RuntimeError("a worker process stopped unexpectedly") from None


def _release_free_heap() -> None:
    """Hand the heap's free pages back to the OS (glibc keeps them after a big
    parse: 50 MB at 50k facts), so no process carries them into its workers."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc


def _work(jobs: list[Callable[[], Any]], indices: range, then: Finish, link) -> None:
    index = -1
    try:
        made = []
        for index in indices:
            made.append((index, jobs[index]()))
        link.send(("ready",))
        if link.recv() != "finish":
            return
        finished = []
        for index, value in made:
            finished.append((index, then(index, value)))
        link.send(("done", finished))
    except Exception as err:  # sent to the parent, which raises it
        link.send(("failed", index, err))
