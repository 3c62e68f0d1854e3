"""Spread rendering over every core; small jobs stay in this process.

Workers are forked after the jobs exist, so they inherit the fact base and
the templates and send back only finished pages. (Parsing in workers was
tried and measured slower: pickling the parsed facts back to the parent
cost more than the parse it saved.)
"""

from __future__ import annotations

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


def run_jobs(jobs: list[Callable[[], T]]) -> list[T]:
    """Call every job, in forked workers when there are enough of them."""
    workers = _workers()
    if workers < 2 or len(jobs) < MIN_JOBS:
        return [job() for job in jobs]
    global _JOBS
    _JOBS = jobs
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            parts = list(pool.map(_run_range, [range(i, len(jobs), workers)
                                               for i in range(workers)]))
    finally:
        _JOBS = []
    results: list = [None] * len(jobs)
    for part in parts:
        for index, value in part:
            results[index] = value
    return results


def _run_range(indices: range) -> list[tuple[int, object]]:
    return [(i, _JOBS[i]()) for i in indices]
