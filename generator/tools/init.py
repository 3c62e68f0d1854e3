"""`factbase init [DIR]`: a new fact base that builds straight away.

It writes a working project from the starter shipped with the package: an
mkdocs.yml with what the plugin needs, a small example base (one source, two
entities, three facts, its vocabulary and sections), a hand-written page, a
README, the editor schemas, a CI workflow and its requirements file. Nothing
is overwritten: a folder that already holds a project is refused.
"""

from __future__ import annotations

import json
import os
import shutil
from importlib import metadata
from pathlib import Path

from ..config import ConfigError
from ..containment import no_links
from ..loading.loader import load
from . import editor_schema

STARTER = Path(__file__).parent.parent / "data" / "starter"
# Package data leaves out dotfiles, so the starter spells them "dot-…".
DOT = "dot-"
REQUIREMENTS = """\
# Where the Facts workflow installs factbase from: the distribution
# mkdocs-factbase (on PyPI the bare name "factbase" belongs to an unrelated
# package), by version or by URL. For example:
#   mkdocs-factbase==0.3.0          (once it is published on PyPI)
#   mkdocs-factbase @ git+https://github.com/OWNER/REPO@v0.3.0
"""


def init(target: Path, site_name: str | None = None) -> list[Path]:
    """Write the starter into target (made if missing); the files written."""
    names = [_destination(p) for p in _starter_files()] + [Path("requirements.txt")]
    # lexists: a link, even one leading nowhere, is a clash; writing through it
    # would put the file wherever it points, outside the new project.
    clashes = [name for name in names if os.path.lexists(target / name)]
    if clashes:
        shown = ", ".join(str(name) for name in clashes[:3])
        raise ConfigError(f"{target} already holds a project ({shown}): "
                          "choose an empty or new folder")
    for name in names:   # nor through a linked folder on the way (facts/ -> elsewhere)
        no_links(target, target / name, "the new project")
    written = []
    for source in _starter_files():
        destination = target / _destination(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        written.append(destination)
    if site_name:
        _rename_site(target / "mkdocs.yml", site_name)
        readme = target / "README.md"   # its title is the site's name too
        readme.write_text(readme.read_text(encoding="utf-8").replace(
            "# My fact base", "# " + site_name.replace("\n", " "), 1), encoding="utf-8")
    (target / "requirements.txt").write_text(REQUIREMENTS + _installed_from(), encoding="utf-8")
    written.append(target / "requirements.txt")
    # The schemas offer the types and kinds the starter declares.
    base = load(target / "facts", target).base
    written.extend(editor_schema.write_all(target / "schema", base))
    return written


def _starter_files() -> list[Path]:
    return sorted(p for p in STARTER.rglob("*") if p.is_file())


def _destination(source: Path) -> Path:
    parts = source.relative_to(STARTER).parts
    return Path(*("." + p.removeprefix(DOT) if p.startswith(DOT) else p for p in parts))


def _rename_site(mkdocs_file: Path, name: str) -> None:
    text = mkdocs_file.read_text(encoding="utf-8")
    mkdocs_file.write_text(text.replace("site_name: My fact base",
                                        f"site_name: {json.dumps(name, ensure_ascii=False)}", 1),
                           encoding="utf-8")


def _installed_from() -> str:
    """This copy's own source, when it was installed from a URL CI can reach
    (PEP 610 direct_url.json): a git repository or an https wheel."""
    try:
        raw = metadata.distribution("mkdocs-factbase").read_text("direct_url.json")
        found = json.loads(raw or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        return ""
    url, vcs = found.get("url", ""), found.get("vcs_info")
    if vcs and vcs.get("vcs") == "git" and not url.startswith("file:"):
        return f"mkdocs-factbase @ git+{url}@{vcs.get('commit_id', '')}\n"
    if url.startswith("https://"):
        return f"mkdocs-factbase @ {url}\n"
    return ""
