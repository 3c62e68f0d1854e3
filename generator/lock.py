"""One run that writes a project at a time.

`factbase build` renders into docs_dir and swaps a new site into site_dir;
two at once delete each other's staging folder and leave site_dir without
its pages, and two `factbase new` runs appending to one file keep only the
last record. So `build`, `render`, `new`, `cite` and the MkDocs plugin
(plain `mkdocs build`, and every rebuild of `serve`) hold an exclusive lock
on .factbase-cache/build.lock while they write. A second run waits for the
first, saying so, as make or cargo do: the user asked for a build and gets
one, the second simply starts from the first one's result. After
WAIT_SECONDS it gives up with a clear error (exit 2) rather than hang behind
a stuck process.

The lock is the `filelock` library's (fcntl.flock underneath): the kernel
releases it when its holder exits, even killed, so there is never a stale
lock to remove by hand. Without a cache folder it can write (a read-only
working tree), the lock file lives in the system's temporary folder, named
by the project's path, so the run still reaches its own clear error.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

import filelock

from . import cache
from .config import ConfigError

LOCK_FILE = "build.lock"
WAIT_SECONDS = 600.0
POLL_SECONDS = 0.1


class BuildLock:
    """`with BuildLock(root):` — or acquire() and release(), for the plugin's events."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lock: filelock.FileLock | None = None

    def acquire(self) -> None:
        if self.lock is not None:
            return
        path = _lock_path(self.root)
        lock = filelock.FileLock(path)
        try:
            _wait_for(lock, path)
        except OSError as err:
            raise ConfigError(f"cannot lock {path} against a concurrent run: "
                              f"{err.strerror or err}") from None
        self.lock = lock
        _say_holder(path)

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> BuildLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _lock_path(root: Path) -> Path:
    """The cache folder's lock file, or one in the temporary folder named by
    the project's path when the cache folder cannot be written."""
    folder = cache.folder(root)  # a cache folder that is a link is refused there
    if folder is None or not os.access(folder, os.W_OK):
        digest = hashlib.sha256(os.fsencode(root)).hexdigest()[:16]
        folder = Path(tempfile.gettempdir())
        path = folder / f"factbase-{digest}.lock"
    else:
        path = folder / LOCK_FILE
    if path.is_symlink():  # planted: the lock would truncate what it leads to
        path.unlink()
    return path


def _wait_for(lock: filelock.FileLock, path: Path) -> None:
    try:
        lock.acquire(timeout=0)
        return
    except filelock.Timeout:
        pass
    holder = _holder(path)
    print(f"factbase: waiting for another run writing this project{holder} to finish…",
          file=sys.stderr, flush=True)
    try:
        lock.acquire(timeout=WAIT_SECONDS, poll_interval=POLL_SECONDS)
    except filelock.Timeout:
        raise ConfigError(f"another run writing this project{holder} has held {path} for more "
                          f"than {WAIT_SECONDS:.0f} s; let it finish or stop it, then run "
                          "this again") from None


def _say_holder(path: Path) -> None:
    """Write our pid beside the lock, for a waiting run to name."""
    try:  # plainly, in place: nothing to protect, and never through a planted link
        fd = os.open(path.with_name(path.name + ".pid"),
                     os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w") as handle:
            handle.write(str(os.getpid()))
    except OSError:
        pass  # only the waiting message loses the pid


def _holder(path: Path) -> str:
    """' (pid N)' as the holder wrote it, when it did."""
    text = (cache.read(path.with_name(path.name + ".pid")) or b"").decode("ascii", "replace")
    return f" (pid {text.strip()})" if text.strip().isdigit() else ""
