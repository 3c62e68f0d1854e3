"""Spread work (parsing, rendering) over every core; small jobs stay here.

Workers are forked after the jobs exist, so they inherit the fact base and
the templates. A job's result can come back (a parsed file, already pickled
as the cache stores it) or stay where it was made and be finished there
(`then`: a rendered page written to disk by the worker that rendered it, so
no page crosses a pipe and no process holds the whole site).

Two phases, as in a two-phase commit: every process makes all its jobs;
only when every job everywhere succeeded does each process run `then` on
what it made, and otherwise `undo` (a job may have done something already,
such as write a new file, that a failure elsewhere must take back).
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


def _nothing(index: int, value: Any) -> None:
    return None


def run_jobs(jobs: list[Callable[[], Any]], spread: bool | None = None,
             then: Finish = _keep, undo: Finish = _nothing) -> list:
    """Call every job, then `then(index, result)` for each; returns what
    `then` returned. If any job fails, `undo(index, result)` runs for each
    job that succeeded and the first failure (in job order) is raised.
    Jobs run in forked workers when `spread` (default: when there are
    enough of them to pay for starting workers)."""
    count = min(workers(), len(jobs))
    if spread is None:
        spread = len(jobs) >= MIN_JOBS
    if count < 2 or not spread:
        share = _Share(jobs, range(len(jobs)), then, undo)
        if share.failure:
            raise share.failure[2]
        return [value for _, value in share.finish()]
    return _in_workers(jobs, then, undo, count)


class _Share:
    """One process's jobs, made at once; then all finished or all undone.
    A share that fails undoes what it made straight away."""

    def __init__(self, jobs: list[Callable[[], Any]], share: range, then: Finish,
                 undo: Finish):
        self.then, self._undo, self.made, self.failure = then, undo, [], None
        index = -1
        try:
            for index in share:
                self.made.append((index, jobs[index]()))
        except Exception as err:
            self.failure = ("failed", index, err)
            self.undo()

    def finish(self) -> list[tuple[int, Any]]:
        return [(index, self.then(index, value)) for index, value in self.made]

    def undo(self) -> None:
        for index, value in self.made:
            self._undo(index, value)
        self.made = []


def _in_workers(jobs: list[Callable[[], Any]], then: Finish, undo: Finish,
                workers: int) -> list:
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
                                      args=(jobs, share, then, undo, theirs))
            process.start()
            theirs.close()
            links.append(mine)
            processes.append(process)
    finally:
        gc.unfreeze()
    try:
        return _collect(_Share(jobs, shares[0], then, undo), links, len(jobs))
    finally:
        for link in links:
            link.close()
        for process in processes:  # a worker told to abort is undoing its share
            process.join(timeout=30)
            if process.is_alive():
                process.kill()


def _collect(here: _Share, links: list, count: int) -> list:
    try:
        replies = [here.failure or ("ready",)] + [_receive(link) for link in links]
    except BaseException:  # a worker died, or this process was interrupted
        _tell(links, "abort")
        here.undo()
        raise
    failures = [reply for reply in replies if reply[0] == "failed"]
    _tell(links, "abort" if failures else "finish")
    if failures:  # the first failing job in job order, whichever process ran it
        here.undo()
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


def _tell(links: list, verdict: str) -> None:
    for link in links:
        try:
            link.send(verdict)
        except OSError:
            pass  # that worker has already gone


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


def _work(jobs: list[Callable[[], Any]], indices: range, then: Finish, undo: Finish,
          link) -> None:
    share = _Share(jobs, indices, then, undo)
    try:
        link.send(share.failure or ("ready",))
        verdict = "abort" if share.failure else link.recv()
    except (EOFError, OSError):
        verdict = "abort"  # the parent has gone: nothing may be finished
    if verdict != "finish":
        share.undo()
        return
    try:
        link.send(("done", share.finish()))
    except Exception as err:  # sent to the parent, which raises it
        link.send(("failed", -1, err))
