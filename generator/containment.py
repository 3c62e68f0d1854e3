"""Where the tool may read, write and delete: inside the project, never
through a symbolic link.

A pull request can commit a symbolic link anywhere, and a maintainer who
checks it out and builds must not lose a file outside the project (or the
project's own `.git`) to it. So every folder the tool reads from, writes
into or deletes in (the fact, template, page and override folders, the
rendered tree, the site folder, the cache) is named from the project root
and checked here first, by one rule: the path lies inside the project (or,
for the site, is the folder the user named), and neither it nor any folder
between the project root and it is a symbolic link. Links *inside* the
content folders are the loader's business (`loading.files.scan`): there only
regular files are used, never a link that leaves the project or leads to a
hidden file such as `.git/config` or `.env`.

A refusal is a `ConfigError` (exit 2) naming the folder and the fix; nothing
has been read or written by then.
"""

from __future__ import annotations

import os
from pathlib import Path

from .config import Config, ConfigError


def folder(root: Path, name: str | Path, what: str) -> Path:
    """`name` (relative to the project, or absolute) as an absolute path that
    lies inside `root` and is reached through no symbolic link. `what` says
    in the message which folder it is ("the rendered tree (docs_dir)")."""
    path = absolute(root, name)
    if not path.is_relative_to(root):
        raise ConfigError(f"{what} {path} is outside the project {root}; "
                          "name a folder inside it")
    no_links(root, path, what)
    return path


def no_links(root: Path, path: Path, what: str) -> None:
    """Refuse `path` if it, or a folder between `root` and it, is a symbolic link."""
    current = root
    for part in path.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            shown = current.relative_to(root).as_posix()
            raise ConfigError(f"{what}: {shown} is a symbolic link (to {os.readlink(current)}); "
                              f"factbase never reads or writes through one. Remove the link "
                              f"(rm {shown}) and let factbase create a real folder there")


def site_folder(config: Config, name: str | Path) -> Path:
    """The folder a built site replaces whole: the one the user named, but
    never the project, a folder holding it, one holding a fact base or a git
    repository (`mkdocs build -d .` refuses the same), nor one of the
    project's own folders (facts, pages, templates, the rendered tree)."""
    root = config.root
    path = absolute(root, name)
    what = "the site folder (site_dir, --site-dir)"
    if path.is_relative_to(root):
        no_links(root, path, what)
    elif path.is_symlink():
        raise ConfigError(f"{what}: {path} is a symbolic link; name the real folder")
    if root.is_relative_to(path):
        raise ConfigError(f"{what} {path} is the project or holds it: building there would "
                          "replace the project with the site. Name an empty or site-only folder")
    for own in _own_folders(config):
        if path.is_relative_to(own) or own.is_relative_to(path):
            raise ConfigError(f"{what} {path} is, holds or lies in the project's folder "
                              f"{own.relative_to(root).as_posix()}: building there would "
                              "replace it. Name an empty or site-only folder")
    for marker in (".git", "facts", "mkdocs.yml"):
        if (path / marker).exists() or (path / marker).is_symlink():
            raise ConfigError(f"{what} {path} holds {marker}: building there would delete it. "
                              "Name an empty or site-only folder")
    return path


def _own_folders(config: Config) -> list[Path]:
    """The project's folders a site may never replace, nor be built into."""
    from .cache import CACHE_DIR
    options = config.options
    names = [options.facts_dir, options.pages_dir, options.templates_dir,
             options.overrides_dir, config.docs_dir, ".git", CACHE_DIR]
    return [absolute(config.root, name) for name in names if name]


def absolute(root: Path, name: str | Path) -> Path:
    """An absolute, normalised path (`..` folded) whose links are not resolved."""
    return Path(os.path.normpath(os.path.join(root, name)))
