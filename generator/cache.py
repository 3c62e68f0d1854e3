"""An on-disk cache for `check`, keyed by content, never by timestamps.

Two entries under .factbase-cache/: each file's parse result, keyed by a
hash of its path and bytes (so an edit re-parses only that file), and the
whole check's result, keyed by every file's key, the date checks ran for
and the options. Any change to the generator's own code changes every key.

The entries are pickles, the fastest form of the parse results (the worker
processes already send them pickled), and unpickling runs code. So every
entry carries an HMAC-SHA256 made with a random key that never lives in the
project: it is kept, 0600, in the user's cache folder
($XDG_CACHE_HOME/factbase/key or ~/.cache/factbase/key). A file that
anyone else wrote (a pickle committed in a pull request, another user's or
machine's cache) fails the check and is a miss, never loaded. The MAC costs
a few milliseconds on the 10,000-fact benchmark.

The folder ignores itself (a `.gitignore` of `*`, as pytest and mypy do), and
a `.factbase-cache` that is a symbolic link is refused (exit 2, saying to
remove it): a link committed to the tree must not carry the cache's writes
outside it. A folder that cannot be made (a read-only working tree) only
costs time: nothing is cached.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import stat
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from .config import ConfigError

FORMAT = 2
CACHE_DIR = ".factbase-cache"
KEY_BYTES = 32
MAC_BYTES = hashlib.sha256().digest_size


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


def folder(root: Path) -> Path | None:
    """The project's cache folder, created if need be; None if it cannot be used."""
    path = root / CACHE_DIR
    if path.is_symlink():
        raise ConfigError(f"the cache folder {path} is a symbolic link (to {os.readlink(path)}); "
                          f"factbase never writes through one. Remove it (rm {path}): "
                          "factbase makes a real folder there")
    try:
        path.mkdir(exist_ok=True)
        _create(path / ".gitignore", b"*\n")  # git never lists the folder
    except OSError:
        return None
    return path


def _create(path: Path, data: bytes) -> None:
    """Write a file that does not exist yet; never through a link planted there."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def write(path: Path, *chunks: bytes, mode: int = 0o600) -> None:
    """Replace a file whole: a reader never sees half of it, and a link planted
    at `path` is replaced, not written through."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read(path: Path) -> bytes | None:
    """A regular file's bytes; None for anything else (a link, a FIFO, /dev/zero)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read() if stat.S_ISREG(os.fstat(fd).st_mode) else None


def user_key() -> bytes | None:
    """This user's secret key, made on first use; None if it cannot be kept."""
    try:
        home = os.environ.get("XDG_CACHE_HOME", "")
        path = (Path(home) if os.path.isabs(home) else Path.home() / ".cache") / "factbase" / "key"
        found = read(path)
        if found is None or len(found) != KEY_BYTES:
            path.unlink(missing_ok=True)  # missing, or damaged: a new key
            _new_key(path)
            found = read(path)
    except (OSError, RuntimeError):  # RuntimeError: no home folder
        return None
    return found if found is not None and len(found) == KEY_BYTES else None


def _new_key(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(KEY_BYTES))
        os.link(tmp, path)  # atomic, and fails if another process made one first
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)


class Store:
    """Reads and writes authenticated pickles in one folder; a broken,
    foreign or forged entry is a miss."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.secret = user_key() if folder is not None else None

    def get(self, name: str) -> Any:
        if self.folder is None or self.secret is None:
            return None
        data = read(self.folder / name)
        if data is None or not hmac.compare_digest(data[:MAC_BYTES],
                                                   self._mac(name, data, MAC_BYTES)):
            return None
        try:
            return pickle.loads(memoryview(data)[MAC_BYTES:])
        except (pickle.PickleError, EOFError, AttributeError, ImportError, ValueError):
            return None

    def put(self, name: str, value: Any) -> None:
        if self.folder is None or self.secret is None:
            return
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            write(self.folder / name, self._mac(name, payload), payload)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def _mac(self, name: str, data: bytes, start: int = 0) -> bytes:
        """The MAC binds the entry's name too: one entry cannot stand in for another."""
        mac = hmac.new(self.secret, name.encode() + b"\0", hashlib.sha256)
        mac.update(memoryview(data)[start:])
        return mac.digest()
