"""An on-disk cache for `check`, keyed by content, never by timestamps.

Two entries under .factbase-cache/: each file's parse result, keyed by a
hash of its path and bytes (so an edit re-parses only that file), and the
whole check's result, keyed by every file's key, the date checks ran for
and the options. Any change to the generator's own code changes every key.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

FORMAT = 1


@cache
def code_version() -> str:
    """A digest of the generator's source: a new version never reads old entries."""
    digest = hashlib.sha256(str(FORMAT).encode())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key(*parts: Any) -> str:
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


class Store:
    """Reads and writes pickles in one folder; a broken entry is a miss."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, name: str) -> Any:
        if self.folder is None:
            return None
        try:
            with open(self.folder / name, "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, ValueError):
            return None

    def put(self, name: str, value: Any) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.folder / name)
        except OSError:
            pass  # a cache that cannot be written only costs time
