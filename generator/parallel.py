"""Parse many files on every core; small jobs stay in this process.

Each worker parses and validates whole files (generator.loader.load_file)
and sends back model objects, which are much smaller to pickle than the
YAML node trees.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from .loader import FileResult, load_file

# Below these sizes starting workers costs more than it saves (measured with
# benchmarks/run.py on 2 cores).
MIN_FILES = 8
MIN_BYTES = 1_000_000


def load_files(files: list[tuple[str, str | None, bytes]], parser: str = "auto") -> list[FileResult]:
    workers = min(os.cpu_count() or 1, 8)
    size = sum(len(data) for _, _, data in files)
    if workers < 2 or len(files) < MIN_FILES or size < MIN_BYTES:
        return [load_file(data, shown, folder, parser) for shown, folder, data in files]
    chunks = [files[i::workers] for i in range(workers)]
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        parts = list(pool.map(_load_chunk, chunks, [parser] * workers))
    order = {shown: i for i, (shown, _, _) in enumerate(files)}
    return sorted((r for part in parts for r in part), key=lambda r: order[r.path])


def _load_chunk(files: list[tuple[str, str | None, bytes]], parser: str) -> list[FileResult]:
    return [load_file(data, shown, folder, parser) for shown, folder, data in files]
