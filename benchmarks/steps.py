"""The measurements at one size: `SizeRun` generates the synthetic base and
times our own commands on it (check cold and warm, the naive round-trip load
it is compared with, render cold and no-op, build, the internal link check,
the build at about 500 entity pages); the peers' steps come from peers.py.
Each step stores its metric in `result` (null if it could not be measured,
with the reason in `notes`) and its samples in `samples`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import synth
from harness import Proc, Skip, remove_tree
from peers import PeerSteps, with_omitted_files
from report import ratios

if TYPE_CHECKING:
    from run import Bench

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-24"
CACHE_DIRS = (".factbase-cache",)    # removed before every "cold" run
CHEAP_S = 5.0                        # a run this fast is repeated for a median
FACTS_FOR_500_PAGES = 2630           # ≈ 500 entity pages (about 5.26 facts per entity)
OMITTED = 'are not included in the "nav" configuration'

# Each step's metric: the key of its result and of its note.
METRICS = {"check_cold": "check_cold_s", "naive": "naive_roundtrip_load_s",
           "check_warm": "check_warm_s", "render_cold": "render_cold_s",
           "render_noop": "render_noop_s", "build": "build_s", "linkcheck": "linkcheck_s",
           "bare": "mkdocs_bare_s", "fullnav": "mkdocs_fullnav_peer_s",
           "build500": "build_500_s", "macros": "macros_peer_s",
           "linkchecker": "linkchecker_peer_s"}

NAIVE_LOADER = """
import sys
from pathlib import Path
from ruamel.yaml import YAML
yaml = YAML()  # typ='rt', the round-trip loader
for path in sorted(Path(sys.argv[1]).rglob('*.yaml')):
    yaml.load(path.read_bytes())
"""

LINKCHECK = """
import json, sys, time
from pathlib import Path
from factbase.site.sitelinks import broken_links
started = time.perf_counter()
broken = broken_links(Path(sys.argv[1]))
print(json.dumps({"call_s": time.perf_counter() - started, "broken": len(broken),
                  "first": [f"{b.page}: {b.target}: {b.reason}" for b in broken[:5]]}))
"""


class SizeRun(PeerSteps):
    def __init__(self, bench: Bench, size: int):
        self.bench, self.size = bench, size
        self.dir = bench.workdir / f"synth-{size}"
        self.result: dict = {"facts": None, "pages": None}
        self.samples: dict[str, list[float]] = {}
        self.notes: dict[str, str] = {}
        self.single: dict[str, float] = {}  # seconds one run of each step took (budget)
        self.rendered = False              # build/docs holds a complete render
        self.site: Path | None = None      # the site built by `factbase build`
        self.gen = None

    # ---- helpers -----------------------------------------------------------------
    def say(self, text: str) -> None:
        print(f"[{self.size:>6} facts] {text}", file=sys.stderr, flush=True)

    def clear_cache(self) -> None:
        for name in CACHE_DIRS:
            shutil.rmtree(self.dir / name, ignore_errors=True)

    def median_of(self, metric: str, once: Callable[[], Proc], repeat: int) -> list[Proc]:
        """Run once; if that was cheap, run up to `repeat` times; store the median."""
        procs = [once()]
        while len(procs) < repeat and procs[0].wall <= CHEAP_S:
            procs.append(once())
        self.samples[metric] = [round(p.wall, 3) for p in procs]
        self.result[metric] = round(statistics.median(p.wall for p in procs), 3)
        return procs

    def peak(self, metric: str, procs: list[Proc]) -> None:
        """The peak over runs; also its two parts: the largest single process
        (exact) and the whole process tree's PSS (sampled)."""
        for key, attr in ((metric, "rss_mb"), (metric.replace("_mb", "_single_mb"), "single_mb"),
                          (metric.replace("_mb", "_tree_pss_mb"), "tree_mb")):
            values = [getattr(p, attr, None) for p in procs]
            values = [v for v in values if v]
            if values:
                self.result[key] = round(max(values + [self.result.get(key) or 0]), 1)

    # ---- set-up ------------------------------------------------------------------
    def setup(self) -> None:
        started = time.perf_counter()
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in ("build", "site-build", "site-bare", "site-fullnav", "macros"):
            shutil.rmtree(self.dir / old, ignore_errors=True)
        self.clear_cache()
        stats, self.gen = synth.write_project(self.dir, self.size)
        self.result.update(facts=stats["facts"], entities=stats["entities"],
                           sources=stats["sources"], fact_files=stats["files"],
                           citations=stats["citations"], superseded=stats["superseded"])
        self.result["generate_s"] = round(time.perf_counter() - started, 2)
        self.say(f"generated {stats['facts']} facts, {stats['entities']} entities, "
                 f"{stats['sources']} sources in {stats['files']} files "
                 f"({self.result['generate_s']} s) in {self.dir}")

    def step(self, name: str) -> None:
        metric = METRICS[name]
        self.result.setdefault(metric, None)
        started = time.perf_counter()
        try:
            self.bench.guard(self.bench.estimate(self.size, name))
            getattr(self, "do_" + name)()
            self.say(f"{metric} = {self.result.get(metric)}")
        except Skip as why:
            self.notes[metric] = str(why)
            self.say(f"{metric}: {why}")
        if self.result.get(metric) is not None:  # for the budget's estimates
            first = self.samples.get(metric)
            self.single[name] = first[0] if first else time.perf_counter() - started

    # ---- load and check ------------------------------------------------------------
    def check_cmd(self) -> list:
        return self.bench.factbase("check", "--today", TODAY)

    def do_check_cold(self) -> None:
        def once() -> Proc:
            self.clear_cache()
            proc = self.bench.run(self.check_cmd(), self.dir)
            # The synthetic base must be clean: exit 0 and not one diagnostic.
            if proc.rc != 0 or "All checks passed" not in proc.err or proc.out.strip():
                raise Skip(f"the synthetic base does not pass `factbase check` (exit {proc.rc}): "
                           f"{(proc.out or proc.err).strip().splitlines()[:3]}")
            return proc
        self.peak("peak_rss_check_mb", self.median_of("check_cold_s", once, self.bench.args.repeat))
        self.result["check_clean"] = True

    def do_check_warm(self) -> None:
        if self.result.get("check_cold_s") is None:  # the cold runs leave a warm cache
            self.bench.require(self.bench.run(self.check_cmd(), self.dir), "factbase check")
        procs = self.median_of("check_warm_s", lambda: self.bench.require(
            self.bench.run(self.check_cmd(), self.dir), "factbase check"), self.bench.args.repeat)
        self.peak("peak_rss_check_mb", procs)

    def do_naive(self) -> None:
        cmd = [self.bench.bin / "python", "-c", NAIVE_LOADER, self.dir / "facts"]
        self.median_of("naive_roundtrip_load_s", lambda: self.bench.require(
            self.bench.run(cmd, self.dir), "ruamel round-trip load"), self.bench.args.repeat)

    # ---- render ---------------------------------------------------------------------
    def render(self) -> Proc:
        proc = self.bench.require(self.bench.run(
            self.bench.factbase("render", "--today", TODAY), self.dir), "factbase render")
        found = re.search(r"Rendered (\d+) files .* in ([\d.]+) s", proc.err)
        if found:
            proc.files, proc.inner = int(found.group(1)), float(found.group(2))
        return proc

    def docs(self) -> Path:
        return self.dir / "build" / "docs"

    def count_pages(self) -> None:
        docs = self.docs()
        pages = list(docs.rglob("*.md"))
        entity = [p for p in pages if p.parent != docs and p.parent.name in
                  set(synth.SECTION_OF_TYPE.values()) and p.name != "index.md"]
        self.result["pages"] = len(pages)
        self.result["entity_pages"] = len(entity)

    def do_render_cold(self) -> None:
        def once() -> Proc:
            remove_tree(self.docs())
            self.clear_cache()
            return self.render()
        procs = self.median_of("render_cold_s", once, self.bench.args.repeat)
        inner = [getattr(p, "inner", None) for p in procs]
        if None not in inner:
            self.result["render_only_s"] = round(statistics.median(inner), 3)
        self.peak("peak_rss_render_mb", procs)
        self.rendered = True
        self.count_pages()

    def ensure_rendered(self) -> None:
        if not self.rendered:
            self.render()
            self.rendered = True
            self.count_pages()

    def mtimes(self) -> dict[str, int]:
        out = {}
        for folder, _, names in os.walk(self.docs()):
            for name in names:
                path = os.path.join(folder, name)
                out[path] = os.stat(path).st_mtime_ns
        return out

    def do_render_noop(self) -> None:
        self.ensure_rendered()  # a render (cold or not) leaves any cache warm
        written = []

        def once() -> Proc:
            before = self.mtimes()
            time.sleep(0.01)  # mtimes have ns resolution, but be safe on coarse filesystems
            proc = self.render()
            after = self.mtimes()
            written.append(sum(1 for p, m in after.items() if before.get(p) != m)
                           + sum(1 for p in before if p not in after))
            return proc
        procs = self.median_of("render_noop_s", once, self.bench.args.repeat)
        self.result["render_noop_files_written"] = max(written)
        self.peak("peak_rss_render_mb", procs)

    # ---- sites ------------------------------------------------------------------------
    def do_build(self) -> None:
        remove_tree(self.docs())
        self.clear_cache()
        site = self.dir / "site-build"
        remove_tree(site)
        command = ("build", "--today", TODAY, "--site-dir", site)
        proc = self.bench.run(self.bench.factbase(*command), self.dir)
        if proc.rc != 0 and OMITTED in proc.err:
            # Pages left out of the nav fail the strict build under the project's
            # `validation: omitted_files: warn`. Record that, and measure the same
            # build with that one check at info level (as mkdocs_bare_s has it).
            self.notes["build_s"] = (
                "`factbase build` as configured FAILS: MkDocs strict mode aborts on pages "
                "not in the nav (validation.omitted_files: warn); measured with "
                "omitted_files: info in a copy of mkdocs.yml (mkdocs.build.yml)")
            relaxed = with_omitted_files(
                (self.dir / "mkdocs.yml").read_text(encoding="utf-8"), "info")
            (self.dir / "mkdocs.build.yml").write_text(relaxed, encoding="utf-8")
            shutil.rmtree(self.docs(), ignore_errors=True)
            self.clear_cache()
            proc = self.bench.run(self.bench.factbase("-f", "mkdocs.build.yml", *command),
                                  self.dir)
        self.bench.require(proc, "factbase build")
        self.result["build_s"] = round(proc.wall, 3)
        self.samples["build_s"] = [round(proc.wall, 3)]
        found = re.search(r"Built the site into .* in ([\d.]+) s", proc.err)
        if found:
            self.result["build_mkdocs_and_linkcheck_s"] = float(found.group(1))
        found = re.search(r"Rendered (\d+) files .* in ([\d.]+) s", proc.err)
        if found:
            self.result["build_render_only_s"] = float(found.group(2))
        self.peak("peak_rss_build_mb", [proc])
        self.rendered, self.site = True, site
        self.count_pages()
        self.result["site_html_pages"] = sum(1 for _ in site.rglob("*.html"))
        self.result["site_mb"] = round(sum(p.stat().st_size for p in site.rglob("*")
                                           if p.is_file()) / 2**20, 1)

    def need_site(self) -> Path:
        if self.site is None:
            raise Skip("no site: `factbase build` did not run or failed")
        return self.site

    def do_linkcheck(self) -> None:
        site = self.need_site()
        calls = []

        def once() -> Proc:
            proc = self.bench.require(self.bench.run(
                [self.bench.bin / "python", "-c", LINKCHECK, site], REPO), "broken_links")
            data = json.loads(proc.out)
            if data["broken"]:
                raise Skip(f"{data['broken']} broken links: {data['first']}")
            calls.append(data["call_s"])
            return proc
        procs = self.median_of("linkcheck_process_s", once, self.bench.args.repeat)
        self.result["linkcheck_s"] = round(statistics.median(calls), 3)
        self.samples["linkcheck_s"] = [round(c, 3) for c in calls]
        del procs

    def do_build500(self) -> None:
        bench = self.bench
        if bench.build500 is None:
            other = SizeRun(bench, FACTS_FOR_500_PAGES)
            other.dir = bench.workdir / "synth-500-pages"
            other.setup()
            try:
                other.do_build()
                bench.build500 = {"build_500_s": other.result["build_s"],
                                  "build_500_pages": other.result["pages"],
                                  "build_500_entity_pages": other.result["entity_pages"],
                                  "build_500_facts": other.result["facts"]}
                if "build_s" in other.notes:
                    bench.build500["note"] = other.notes["build_s"]
            except Skip as why:
                bench.build500 = {"error": str(why)}
        if "error" in bench.build500:
            raise Skip(bench.build500["error"])
        self.result.update({k: v for k, v in bench.build500.items() if k != "note"})
        if "note" in bench.build500:
            self.notes["build_500_s"] = bench.build500["note"]
        if self.result.get("build_s") and self.result.get("pages"):
            per_page = self.result["build_s"] / self.result["pages"]
            per_page_500 = bench.build500["build_500_s"] / bench.build500["build_500_pages"]
            self.result["build_per_page_ratio"] = round(per_page / per_page_500, 2)


    # ---- the record ------------------------------------------------------------------
    def record(self) -> dict:
        r = dict(self.result)
        peaks = [r.get("peak_rss_check_mb"), r.get("peak_rss_render_mb")]
        r["peak_rss_mb"] = max(filter(None, peaks), default=None)
        r["ratios"] = ratios(r)
        r["samples"] = self.samples
        r["notes"] = self.notes
        return r
