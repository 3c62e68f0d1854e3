"""What `factbase watch` leaves out: items a source already cites, and items
already listed once (watch.lock.json, committed, refreshed by --update-lock).

The lock maps each listed item's key (its feed id, else its link) to the feed
and the day it was first listed, so a lead is listed until someone either
cites it or runs `factbase watch --update-lock` to say it has been read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from ..config import ConfigError
from ..model import FactBase
from .model import Lead

LOCK_FILE = "watch.lock.json"
VERSION = 1


def address(url: str) -> str:
    """An address compared loosely: http or https, host case, a trailing slash,
    a fragment and a default port make no difference."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/") or "/"
    return f"{host}{port}{path}" + (f"?{parts.query}" if parts.query else "")


def cited(base: FactBase) -> frozenset[str]:
    """Every source's url and archive_url, compared as `address` does."""
    return frozenset(address(u) for s in base.sources.values()
                     for u in (s.url, s.archive_url) if u)


def read_lock(root: Path) -> dict[str, dict]:
    path = root / LOCK_FILE
    if not path.is_file():
        return {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ConfigError(f"{LOCK_FILE}:{err.lineno}:{err.colno}: not valid JSON ({err.msg}); "
                          f"fix it, or delete it and run 'factbase watch --update-lock'") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read {path}: {err}") from None
    except RecursionError:   # nested thousands deep: no lock file is
        raise ConfigError(f"{LOCK_FILE}: nested too deeply to be a watch lock; delete it and "
                          "run 'factbase watch --update-lock' to write it afresh") from None
    seen = document.get("seen") if isinstance(document, dict) else None
    if not isinstance(seen, dict) or not all(isinstance(v, dict) for v in seen.values()):
        raise ConfigError(f"{LOCK_FILE}: expected {{\"version\": 1, \"seen\": {{KEY: {{…}}}}}}; "
                          "delete it and run 'factbase watch --update-lock' to write it afresh")
    return seen


def updated(seen: dict[str, dict], leads: tuple[Lead, ...], today: dt.date) -> dict[str, dict]:
    new = dict(seen)
    for lead in leads:
        new.setdefault(lead.item.key, {"feed": lead.item.feed, "link": lead.item.link,
                                       "first_listed": today.isoformat()})
    return new


def write_lock(root: Path, seen: dict[str, dict]) -> None:
    """Written whole or not at all: a temporary file moved into place."""
    text = json.dumps({"version": VERSION, "seen": seen}, indent=2, sort_keys=True,
                      ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(dir=root, prefix=f".{LOCK_FILE}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, root / LOCK_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
