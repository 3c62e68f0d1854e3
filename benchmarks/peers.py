"""The peers: the tools a factbase command is measured against.

MkDocs alone on the rendered tree (`do_bare`), MkDocs with every page in an
explicit nav (`do_fullnav`), mkdocs-macros-plugin rendering the entity pages
inside MkDocs (`do_macros`) and LinkChecker over the built site
(`do_linkchecker`). mkdocs-macros-plugin and LinkChecker run from their own
venv, PEERS, installed on first use (`PeerVenv`); the bare and full-nav builds
use the project venv's MkDocs. The peers' own files (the macros template and
module) are in benchmarks/peers/.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import synth
from harness import Proc, Skip, remove_tree

if TYPE_CHECKING:
    from run import Bench

HERE = Path(__file__).resolve().parent
PEERS = Path("/tmp/bench-peers")
PEER_PACKAGES = ("mkdocs==1.6.1", "mkdocs-material==9.8.1", "mkdocs-macros-plugin", "LinkChecker")


class PeerVenv:
    """The separate venv for LinkChecker and mkdocs-macros-plugin."""

    def __init__(self):
        self.ready: bool | str | None = None  # True, or why it could not be installed

    def bin(self) -> Path:
        """The venv's bin folder (the venv is created once)."""
        if self.ready is None:
            try:
                if not (PEERS / "bin" / "linkchecker").exists() or \
                        not (PEERS / "bin" / "mkdocs").exists():
                    subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True,
                                   capture_output=True, timeout=300)
                    subprocess.run([PEERS / "bin" / "pip", "install", "-q", *PEER_PACKAGES],
                                   check=True, capture_output=True, text=True, timeout=900)
                self.ready = True
            except (OSError, subprocess.SubprocessError) as err:
                detail = getattr(err, "stderr", "") or str(err)
                self.ready = f"could not install the peers into {PEERS}: " \
                             f"{str(detail).strip().splitlines()[-1:]}"
        if self.ready is not True:
            raise Skip(str(self.ready))
        return PEERS / "bin"

    def versions(self) -> dict:
        if self.ready is not True:
            return {}
        code = ("import importlib.metadata as m, json; print(json.dumps({p: m.version(p) for p in "
                "('mkdocs', 'mkdocs-material', 'mkdocs-macros-plugin', 'LinkChecker')}))")
        try:
            return json.loads(subprocess.run([PEERS / "bin" / "python", "-c", code], text=True,
                                             capture_output=True, timeout=60).stdout)
        except (ValueError, OSError, subprocess.SubprocessError):
            return {}


def with_omitted_files(text: str, level: str) -> str:
    """mkdocs.yml text with `validation: omitted_files:` at the given level."""
    if re.search(r"(?m)^  omitted_files: \w+", text):
        return re.sub(r"(?m)^  omitted_files: \w+", f"  omitted_files: {level}", text)
    if re.search(r"(?m)^validation:", text):
        return re.sub(r"(?m)^validation:\n", f"validation:\n  omitted_files: {level}\n", text)
    return text.replace("\nnav:", f"\nvalidation:\n  omitted_files: {level}\n\nnav:", 1)


class PeerSteps:
    """The peer steps of a size's run, mixed into steps.SizeRun, whose `bench`,
    `dir`, `gen`, `result`, `samples`, `notes`, `docs()`, `ensure_rendered()` and
    `need_site()` they use."""

    bench: Bench
    dir: Path
    result: dict
    samples: dict[str, list[float]]
    notes: dict[str, str]

    def bare_config(self) -> str:
        """mkdocs.yml without the factbase plugin: MkDocs alone on the rendered tree.
        The nav stays as configured (section index pages); pages outside it are
        "omitted files", reported at info level so that the strict build passes."""
        out, skip, indent = [], False, 0
        for line in (self.dir / "mkdocs.yml").read_text(encoding="utf-8").splitlines():
            depth = len(line) - len(line.lstrip())
            if line.strip() == "- factbase:":
                skip, indent = True, depth
                continue
            if skip and line.strip() and depth > indent:
                continue
            skip = False
            out.append(line)
        text = "\n".join(out) + "\n"
        return with_omitted_files(text, "info")

    def mkdocs(self, config_name: str, text: str, site_name: str, mkdocs_bin: Path,
               cwd: Path | None = None) -> Proc:
        cwd = cwd or self.dir
        (cwd / config_name).write_text(text, encoding="utf-8")
        site = cwd / site_name
        remove_tree(site)
        return self.bench.require(self.bench.run(
            [mkdocs_bin, "build", "-q", "-f", config_name, "-d", site], cwd),
            f"mkdocs build -f {config_name}")

    def do_bare(self) -> None:
        self.ensure_rendered()
        proc = self.mkdocs("mkdocs.bare.yml", self.bare_config(), "site-bare",
                           self.bench.bin / "mkdocs")
        self.result["mkdocs_bare_s"] = round(proc.wall, 3)
        self.samples["mkdocs_bare_s"] = [round(proc.wall, 3)]

    def full_nav(self) -> str:
        """Every page listed in an explicit nav: each `Title: folder/index.md` entry
        becomes the folder's index followed by all its pages (what the plugin's
        expand_nav did before nav_max_pages), written out in mkdocs.yml."""
        import yaml
        docs = self.docs()
        text = (self.dir / "mkdocs.yml").read_text(encoding="utf-8")
        nav = yaml.safe_load(text[text.index("\nnav:") + 1:])["nav"]
        full = []
        for item in nav:
            if isinstance(item, dict) and len(item) == 1:
                (title, target), = item.items()
                if isinstance(target, str) and target.endswith("/index.md"):
                    folder = target.removesuffix("/index.md")
                    pages = sorted(p.relative_to(docs).as_posix()
                                   for p in (docs / folder).glob("*.md") if p.name != "index.md")
                    item = {title: [target, *pages]}
            full.append(item)
        return yaml.safe_dump({"nav": full}, sort_keys=False, allow_unicode=True)

    def do_fullnav(self) -> None:
        self.ensure_rendered()
        bare = self.bare_config()
        text = with_omitted_files(bare[:bare.index("\nnav:") + 1] + self.full_nav(), "warn")
        proc = self.mkdocs("mkdocs.fullnav.yml", text, "site-fullnav", self.bench.bin / "mkdocs")
        self.result["mkdocs_fullnav_peer_s"] = round(proc.wall, 3)
        self.samples["mkdocs_fullnav_peer_s"] = [round(proc.wall, 3)]
        self.notes.setdefault("mkdocs_fullnav_peer_s", "one run (not a median)")

    def do_macros(self) -> None:
        """mkdocs-macros-plugin renders the entity pages inside MkDocs from a JSON data
        file; every other page is the same Markdown factbase rendered."""
        peers = self.bench.peers.bin()
        self.ensure_rendered()
        docs, root = self.docs(), self.dir / "macros"
        shutil.rmtree(root, ignore_errors=True)
        data = synth.macros_data(self.gen)
        stubs = {f"{e['section']}/{ident}.md": ident for ident, e in data["entities"].items()}
        entity_pages = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                        if p.parent != docs and p.parent.name in
                        set(synth.SECTION_OF_TYPE.values()) and p.name != "index.md"}
        if set(stubs) != entity_pages:
            raise Skip(f"the peer's entity pages differ from factbase's "
                       f"({len(set(stubs) ^ entity_pages)} paths)")
        shutil.copytree(docs, root / "docs", ignore=lambda folder, names: [
            n for n in names if f"{Path(folder).relative_to(docs).as_posix()}/{n}" in stubs])
        for path, ident in stubs.items():
            (root / "docs" / path).write_text(
                f'---\nrender_macros: true\n---\n{{% set e = entities["{ident}"] %}}'
                '{% include "entity.md" %}\n', encoding="utf-8")
        (root / "data").mkdir()
        (root / "data" / "entities.json").write_text(json.dumps(data), encoding="utf-8")
        (root / "templates").mkdir()
        shutil.copyfile(HERE / "peers" / "macros" / "entity.md", root / "templates" / "entity.md")
        shutil.copyfile(HERE / "peers" / "macros" / "main.py", root / "main.py")
        text = self.bare_config().replace("docs_dir: build/docs", "docs_dir: docs")
        text = text.replace("  - search\n", "  - search\n  - macros:\n      module_name: main\n"
                            "      include_dir: templates\n      render_by_default: false\n"
                            "      on_undefined: strict\n      on_error_fail: true\n", 1)
        assert "module_name: main" in text and "docs_dir: docs" in text
        proc = self.mkdocs("mkdocs.yml", text, "site", peers / "mkdocs", cwd=root)
        if "ERROR" in proc.err or "Traceback" in proc.err:
            raise Skip(f"the macros peer build reported errors: {proc.tail()}")
        self.result["macros_peer_s"] = round(proc.wall, 3)
        self.samples["macros_peer_s"] = [round(proc.wall, 3)]
        self.notes.setdefault("macros_peer_s", "one run; same nav as mkdocs_bare_s (section "
                              "index pages); entity pages rendered by mkdocs-macros from "
                              "data/entities.json, all other pages the same Markdown")

    def do_linkchecker(self) -> None:
        peers = self.bench.peers.bin()
        site = self.need_site()
        # LinkChecker skips pages over 1 MB by default (maxfilesizeparse): raise the
        # limits so that it reads every page, as broken_links does.
        rc = self.bench.workdir / "linkcheckerrc"
        rc.write_text("[checking]\nmaxfilesizeparse=4000000000\n"
                      "maxfilesizedownload=4000000000\n", encoding="utf-8")
        cmd = [peers / "linkchecker", "-f", rc, "--no-warnings", "--no-status", "--no-robots",
               (site / "index.html").as_uri()]
        proc = self.bench.run(cmd, self.dir, timeout=self.bench.args.linkchecker_timeout)
        summary = re.search(r"(\d+) links? in (\d+) URLs? checked.*?(\d+) errors? found",
                            proc.out, re.S)
        if proc.rc != 0 or not summary:
            raise Skip(f"LinkChecker failed (exit {proc.rc}): {proc.tail()}")
        pages = self.result.get("site_html_pages") or 0
        if int(summary.group(2)) < pages:
            raise Skip(f"LinkChecker checked only {summary.group(2)} URLs for {pages} pages")
        self.result["linkchecker_peer_s"] = round(proc.wall, 3)
        self.result["linkchecker_urls"] = int(summary.group(2))
        self.samples["linkchecker_peer_s"] = [round(proc.wall, 3)]
        self.notes.setdefault("linkchecker_peer_s", "one run; LinkChecker 10 threads, file:// "
                              "URL of the built site's index.html, internal links only "
                              "(no --check-extern), no anchor check")
