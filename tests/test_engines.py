"""The rendered tree on Zensical, the Material team's successor to MkDocs.

Zensical reads mkdocs.yml but runs no MkDocs plugins, so it builds the tree
`factbase render` wrote, without the plugin's nav, inert titles or Content
Security Policy. The pages differ byte for byte (another theme build), so
what is compared is what readers and links rely on: the same pages, and on
each page the same anchors (theme-internal ids, which start with "__", aside).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

ANCHOR = re.compile(r'\sid="([^"_][^"]*)"')


def pages(site: Path) -> dict[str, set[str]]:
    return {p.relative_to(site).as_posix(): set(ANCHOR.findall(p.read_text(encoding="utf-8")))
            for p in site.rglob("*.html")}


def test_zensical_builds_the_same_pages_and_anchors(tmp_path):
    project = tmp_path / "p"
    for name in ("facts", "templates", "site_src"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    done = subprocess.run([sys.executable, "-m", "factbase", "build"], cwd=project,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    config = (project / "mkdocs.yml").read_text().replace("site_dir: site", "site_dir: zsite")
    (project / "zensical.yml").write_text(config)
    zensical = Path(sys.executable).with_name("zensical")
    assert zensical.exists(), "zensical is not installed (it is in the test extras)"
    done = subprocess.run([str(zensical), "build", "-f", "zensical.yml"], cwd=project,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    ours, theirs = pages(project / "site"), pages(project / "zsite")
    assert sorted(set(ours) ^ set(theirs)) == []
    missing = {page: sorted(ours[page] - theirs[page]) for page in ours if ours[page] - theirs[page]}
    assert missing == {}
