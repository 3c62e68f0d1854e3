"""One build of a project at a time.

`factbase build` renders into docs_dir and swaps a new site into site_dir;
two at once delete each other's staging folder and leave site_dir without
its pages. So `build`, `render` and the MkDocs plugin (plain `mkdocs build`,
and every rebuild of `serve`) hold an exclusive lock on
.factbase-cache/build.lock while they write. A second run waits for the first,
saying so, as make or cargo do: the user asked for a build and gets one, the
second simply starts from the first one's result. After WAIT_SECONDS it gives
up with a clear error (exit 2) rather than hang behind a stuck process.

The lock is fcntl.flock: the kernel releases it when its holder exits, even
killed, so there is never a stale lock to remove by hand. With no usable
cache folder (a symbolic link) or lock file, the project folder itself is
locked.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from pathlib import Path

from . import cache
from .config import ConfigError

LOCK_FILE = "build.lock"
WAIT_SECONDS = 600.0
POLL_SECONDS = 0.1


class BuildLock:
    """`with BuildLock(root):` — or acquire() and release(), for the plugin's events."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.fd: int | None = None

    def acquire(self) -> None:
        if self.fd is not None:
            return
        fd = _open(self.root)
        try:
            _wait_for(fd, self.root)
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the file releases the lock
            self.fd = None

    def __enter__(self) -> BuildLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _open(root: Path) -> int:
    folder = cache.folder(root)
    if folder is not None:
        try:
            return os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError:
            pass  # a link planted as the lock file: lock the project folder instead
    try:
        return os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as err:
        raise ConfigError(f"cannot lock {root} against a concurrent build: "
                          f"{err.strerror or err}") from None


def _wait_for(fd: int, root: Path) -> None:
    if _try(fd):
        return
    holder = _holder(fd)
    print(f"factbase: waiting for another build of this project{holder} to finish…",
          file=sys.stderr, flush=True)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        if _try(fd):
            return
    raise ConfigError(f"another build of this project{holder} has held {root} for more than "
                      f"{WAIT_SECONDS:.0f} s; let it finish or stop it, then run this again")


def _try(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(fd: int) -> str:
    """' (pid N)' as the holder wrote it, when it did."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (pid {text})" if text.isdigit() else ""
