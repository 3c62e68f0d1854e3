"""Reading the folders contributors fill: facts, templates, pages, overrides.

Their content arrives in pull requests, and CI builds and publishes it. A
symbolic link there could make the build read, quote or publish any file
the build can see (`/proc/self/environ`, a key), so every folder is walked
by `scan()` before anything in it is read or copied: only the regular
files it lists are used (never a hidden one: `.env`, `.git/`), and a link
leading out of the project, or to a hidden file in it, stops the run. Files
are read by `read()`, which checks a file's size before reading it.

E111: symbolic link leaves the project
    A link under facts/, the pages folder, templates/ or the overrides folder
    points outside the project. Whatever it points at would be read, quoted
    in messages or published with the site, so it is refused unread.

    Fails:

        site_src/assets/env.txt -> /proc/self/environ

    Passes:

        site_src/assets/logo.svg -> ../../branding/logo.svg

    Fix: copy the file into the project, or remove the link.

E114: symbolic link leads to a hidden file
    A link under facts/, the pages folder, templates/ or the overrides folder
    points at a hidden file or folder of the project (`.git/config`, `.env`,
    the cache). Those are never published, so the link is refused unread.
    (Hidden files in those folders themselves are skipped, never published.)

    Fails:

        site_src/assets/config.txt -> ../../.git/config

    Passes:

        site_src/assets/logo.svg -> ../../branding/logo.svg

    Fix: remove the link; copy what the page needs into a file of its own.

E112: broken symbolic link
    A link leads nowhere: its target does not exist, or links lead round in
    a loop (including a link to a folder that contains it).

    Fails:

        site_src/old.md -> renamed.md        # renamed.md does not exist

    Passes:

        site_src/old.md -> new.md

    Fix: point the link at an existing file, or remove it.

E113: file or folder cannot be read
    A file or folder of the project cannot be opened (its permissions, or a
    disk error). The facts are not checked further: without every file, the
    other errors would be misleading.

    Fails:

        chmod 000 facts/sources

    Passes:

        chmod 755 facts/sources

    Fix: make it readable by the user running factbase (`chmod u+r`).
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from ..model import Span
from .yamlsource import too_large


class Refused(Exception):
    """A file that cannot be used; carries the diagnostic saying why."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic)
        self.diagnostic = diagnostic


@dataclass
class Scan:
    files: list[Path] = field(default_factory=list)          # regular files, sorted
    problems: list[Diagnostic] = field(default_factory=list)


def scan(folder: Path, root: Path) -> Scan:
    """Every regular file under `folder`, and a diagnostic for each link that
    leads outside `root` (or outside `folder`, when it is configured outside
    the project), leads nowhere, or loops, and for each folder that cannot be
    read. Links to folders inside the project are followed, each folder once."""
    found = Scan()
    allowed = (root.resolve(), folder.resolve())
    pending, seen = [folder], set()
    while pending:
        here = pending.pop()
        try:
            with os.scandir(here) as listing:
                entries = list(listing)
        except OSError as err:
            found.problems.append(_unreadable(shown_path(here, root), "folder", err))
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):  # .git/, .env, editors' files: never published
                continue
            if entry.is_symlink():
                problem = _link_problem(path, root, allowed)
                if problem:
                    found.problems.append(problem)
                    continue
            if entry.is_dir():
                real = os.path.realpath(path)
                if real not in seen:
                    seen.add(real)
                    pending.append(path)
            elif entry.is_file():  # not FIFOs or devices: opening one could block
                found.files.append(path)
    found.files.sort()
    found.problems.sort(key=lambda d: d.path)
    return found


def read(path: Path, shown: str, limit: int | None = None) -> bytes:
    """The file's bytes. One over `limit` bytes is refused by its size before
    any of it is read (E106), so a sparse file of terabytes costs nothing."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if limit is not None and size > limit:
                raise Refused(too_large(size, shown))
            # At most limit + 1 bytes even if the file grew since: the parser
            # then still sees it is over the limit.
            return handle.read() if limit is None else handle.read(limit + 1)
    except OSError as err:
        raise Refused(_unreadable(shown, "file", err)) from None


def shown_path(path: Path, root: Path) -> str:
    """The path as the user knows it: relative to the project, links not resolved."""
    absolute = Path(os.path.abspath(path))
    return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) \
        else absolute.as_posix()


def _link_problem(path: Path, root: Path, allowed: tuple[Path, ...]) -> Diagnostic | None:
    shown, target = shown_path(path, root), os.readlink(path)
    try:
        os.stat(path)
    except OSError as err:
        why = "loops back on itself" if err.errno == errno.ELOOP else "leads nowhere"
        return Diagnostic.at(Span(shown, 1, 1), "E112", f"symbolic link {why}: {shown} -> "
                             f"{target}", "point it at an existing file, or remove it")
    real = Path(os.path.realpath(path))
    if not any(real.is_relative_to(folder) for folder in allowed):
        return Diagnostic.at(Span(shown, 1, 1), "E111", f"symbolic link leads outside the "
                             f"project: {shown} -> {target}",
                             "copy the file into the project, or remove the link")
    inside = real.relative_to(root.resolve()) if real.is_relative_to(root.resolve()) else None
    if inside is not None and any(part.startswith(".") for part in inside.parts):
        return Diagnostic.at(Span(shown, 1, 1), "E114", f"symbolic link leads to a hidden "
                             f"file of the project: {shown} -> {target}",
                             "remove the link; hidden files (.git, .env) are never published")
    if Path(os.path.realpath(path.parent)).is_relative_to(real):
        return Diagnostic.at(Span(shown, 1, 1), "E112", f"symbolic link loops back to a "
                             f"folder that contains it: {shown} -> {target}", "remove it")
    return None


def _unreadable(shown: str, what: str, err: OSError) -> Diagnostic:
    return Diagnostic.at(Span(shown, 1, 1), "E113", f"cannot read the {what}: "
                         f"{err.strerror or err}", "make it readable (chmod u+r), or remove it")
