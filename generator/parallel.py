"""Spread work (parsing, rendering) over every core; small jobs stay here.

Workers are forked after the jobs exist, so they inherit the fact base and
the templates and send back only results: finished pages, or a parsed
file already pickled (the form the cache stores it in, so it is pickled
once, not twice).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar
from collections.abc import Callable


# Below this many pages starting workers costs more than it saves (2 cores).
MIN_JOBS = 400

T = TypeVar("T")
_JOBS: list = []   # read by forked workers, which inherit it


def _workers() -> int:
    return min(os.cpu_count() or 1, 8) if os.name == "posix" else 1


def run_jobs(jobs: list[Callable[[], T]], spread: bool | None = None) -> list[T]:
    """Call every job, in forked workers when `spread` (default: when there
    are enough jobs to pay for starting them)."""
    workers = _workers()
    if spread is None:
        spread = len(jobs) >= MIN_JOBS
    if workers < 2 or not spread or len(jobs) < 2:
        return [job() for job in jobs]
    global _JOBS
    _JOBS = jobs
    # Objects that exist before the fork are shared with the workers until
    # written to; a collection in a worker would touch (and so copy) them all.
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            parts = list(pool.map(_run_range, [range(i, len(jobs), workers)
                                               for i in range(workers)]))
    finally:
        gc.unfreeze()
        _JOBS = []
    results: list = [None] * len(jobs)
    for part in parts:
        for index, value in part:
            results[index] = value
    return results


def _run_range(indices: range) -> list[tuple[int, object]]:
    return [(i, _JOBS[i]()) for i in indices]
