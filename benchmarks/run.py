#!/usr/bin/env python3
"""Factbase benchmarks: one synthetic fact base per size, whole-process timings.

    .venv/bin/python benchmarks/run.py --facts 10000 --json benchmarks/results/10k.json
    .venv/bin/python benchmarks/run.py          # default sizes 1k, 10k, 50k in < 10 min

Every number is the wall time of a whole process (subprocess + time.perf_counter),
the median of up to --repeat runs when one run is cheap (< CHEAP_S seconds), else
one run. Peak memory comes from /usr/bin/time (Maximum resident set size). A
metric that could not be measured is null, with the reason under "notes".
benchmarks/README.md says what each number means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from collections.abc import Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402

TODAY = "2026-11-24"
EPOCH = "1795478400"                 # 2026-11-24T00:00:00Z: MkDocs' sitemap date
CACHE_DIRS = (".factbase-cache",)    # removed before every "cold" run
DEFAULT_SIZES = (1000, 10000, 50000)
FULL_UP_TO = 20000                   # above this, only load/check/render/memory by default
CHEAP_S = 5.0                        # a run this fast is repeated for a median
FACTS_FOR_500_PAGES = 2630           # ≈ 500 entity pages (about 5.26 facts per entity)
DEFAULT_BUDGET_S = 570               # the default run stops starting work after this
PEERS = Path("/tmp/bench-peers")
PEER_PACKAGES = ("mkdocs==1.6.1", "mkdocs-material==9.8.1", "mkdocs-macros-plugin", "LinkChecker")
TIME = Path("/usr/bin/time")
OMITTED = 'are not included in the "nav" configuration'

# Seconds per Markdown page of the slow steps as measured on the 2-core machine
# (benchmarks/results/10k.json), for the budget when nothing has been measured yet.
PRIOR_S_PER_PAGE = {"build": 0.045, "bare": 0.04, "fullnav": 0.12, "macros": 0.04,
                    "linkchecker": 0.2}

CORE = ("check_cold", "naive", "check_warm", "render_cold", "render_noop")
SITES = ("build", "linkcheck", "bare", "fullnav", "build500", "macros", "linkchecker")
# The default run, most wanted first: a step that no longer fits in the budget is
# skipped with a note, and cheaper steps after it still run.
DEFAULT_PLAN = (
    [(1000, s) for s in CORE] + [(10000, s) for s in CORE]
    + [(10000, s) for s in ("build", "linkcheck", "bare")]
    + [(50000, s) for s in ("check_cold", "render_cold")]
    + [(10000, s) for s in ("build500", "macros")]
    + [(50000, s) for s in ("check_warm", "render_noop")]
    + [(1000, s) for s in SITES]
    + [(10000, s) for s in ("fullnav", "linkchecker")]
    + [(50000, "naive")]
)

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


class TreeRss(threading.Thread):
    """Samples the summed memory (PSS) of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_mb = pid, interval, 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.peak_mb = max(self.peak_mb, sum(_pss_kb(p) for p in descendants(self.pid)) / 1024)

    def stop(self) -> None:
        self.done.set()
        self.join()


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    ppid = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _pss_kb(pid: int) -> int:
    """Proportional set size: pages shared by forked workers count once in the sum."""
    for name, field in (("smaps_rollup", b"Pss:"), ("status", b"VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}", "rb") as handle:
                for line in handle:
                    if line.startswith(field):
                        return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return 0


def kill_tree(child: subprocess.Popen) -> None:
    """Stop a measured process and everything it started (only those, by pid)."""
    pids = descendants(child.pid)
    for pid in reversed(pids):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    child.wait()


class Skip(Exception):
    """A measurement that did not run or failed; the message goes into notes."""


class Proc:
    def __init__(self, wall: float, rss_mb: float | None, rc: int, out: str, err: str):
        self.wall, self.rss_mb, self.rc, self.out, self.err = wall, rss_mb, rc, out, err

    def tail(self) -> str:
        return " | ".join((self.err or self.out).strip().splitlines()[-4:])


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.bin = Path(sys.executable).parent
        self.workdir: Path = args.workdir
        self.deadline = time.perf_counter() + args.budget if args.budget else None
        self.sizes: dict[int, SizeRun] = {}
        self.build500: dict | None = None
        self.peers_ready: bool | str | None = None
        self.env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")
        if not args.no_pyc:
            # As on a developer's machine: compiled modules are cached between runs
            # (this sandbox sets PYTHONDONTWRITEBYTECODE=1, which recompiles the
            # generator in every process). The cache goes to the workdir, not the repo.
            self.env.pop("PYTHONDONTWRITEBYTECODE", None)
            self.env["PYTHONPYCACHEPREFIX"] = str(self.workdir / "pycache")

    # ---- processes -----------------------------------------------------------------
    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.perf_counter()

    def run(self, cmd: list, cwd: Path, timeout: float | None = None,
            env: dict | None = None) -> Proc:
        left = self.remaining()
        if left is not None:
            if left <= 1:
                raise Skip("skipped: the time budget (--budget) is used up")
            timeout = min(timeout or left, left)
        rss_file = self.workdir / f".rss-{os.getpid()}"
        wrapped = [str(TIME), "-f", "%M", "-o", str(rss_file)] if TIME.exists() else []
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            started = time.perf_counter()
            child = subprocess.Popen(wrapped + [str(c) for c in cmd], cwd=cwd,
                                     env=env or self.env, stdout=out, stderr=err, text=True)
            sampler = TreeRss(child.pid)
            sampler.start()
            try:
                rc = child.wait(timeout)
            except subprocess.TimeoutExpired:
                kill_tree(child)
                raise Skip(f"did not finish within {timeout:.0f} s (stopped)") from None
            finally:
                sampler.stop()
            wall = time.perf_counter() - started
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        rss = None
        if wrapped and rss_file.exists():
            text = rss_file.read_text().strip().splitlines()
            rss = int(text[-1]) / 1024 if text and text[-1].isdigit() else None
            rss_file.unlink()
        # The largest single process (exact, from /usr/bin/time), or all processes of
        # the tree at once (PSS, sampled every 50 ms), whichever is more: check and
        # render may fork workers.
        peak = max(filter(None, (rss, sampler.peak_mb)), default=None)
        proc = Proc(wall, peak, rc, stdout, stderr)
        proc.single_mb, proc.tree_mb = rss, sampler.peak_mb
        return proc

    def require(self, proc: Proc, what: str) -> Proc:
        if proc.rc != 0:
            raise Skip(f"{what} failed (exit {proc.rc}): {proc.tail()}")
        return proc

    def guard(self, estimate: float | None) -> None:
        left = self.remaining()
        if left is not None and estimate and estimate > left:
            raise Skip(f"skipped to keep the run within --budget {self.args.budget:.0f} s "
                       f"(needs ~{estimate:.0f} s, {max(left, 0):.0f} s left); "
                       f"run this size alone to measure it")

    def factbase(self, *args: str) -> list:
        return [self.bin / "factbase", *args]

    # ---- peers -----------------------------------------------------------------------
    def peers(self) -> Path:
        """The separate venv for LinkChecker and mkdocs-macros-plugin (created once)."""
        if self.peers_ready is None:
            try:
                if not (PEERS / "bin" / "linkchecker").exists() or \
                        not (PEERS / "bin" / "mkdocs").exists():
                    subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True,
                                   capture_output=True, timeout=300)
                    subprocess.run([PEERS / "bin" / "pip", "install", "-q", *PEER_PACKAGES],
                                   check=True, capture_output=True, text=True, timeout=900)
                self.peers_ready = True
            except (OSError, subprocess.SubprocessError) as err:
                detail = getattr(err, "stderr", "") or str(err)
                self.peers_ready = f"could not install the peers into {PEERS}: " \
                                   f"{str(detail).strip().splitlines()[-1:]}"
        if self.peers_ready is not True:
            raise Skip(str(self.peers_ready))
        return PEERS / "bin"

    def peer_versions(self) -> dict:
        if self.peers_ready is not True:
            return {}
        code = ("import importlib.metadata as m, json; print(json.dumps({p: m.version(p) for p in "
                "('mkdocs', 'mkdocs-material', 'mkdocs-macros-plugin', 'LinkChecker')}))")
        try:
            return json.loads(subprocess.run([PEERS / "bin" / "python", "-c", code], text=True,
                                             capture_output=True, timeout=60).stdout)
        except (ValueError, OSError, subprocess.SubprocessError):
            return {}

    # ---- estimates for the budget ----------------------------------------------------
    def estimate(self, size: int, step: str) -> float | None:
        """Seconds a step will take: one run scaled from another size (or from a
        related step at this size), times the runs a median of it would take."""
        mine = self.sizes.get(size)
        related = {"check_warm": ("check_cold", 1.0), "render_noop": ("render_cold", 0.8),
                   "fullnav": ("bare", 1.1)}
        one = None
        if mine and step in related and related[step][0] in mine.single:
            one = mine.single[related[step][0]] * related[step][1]
        else:
            known = [(s, r.single[step]) for s, r in self.sizes.items()
                     if s != size and step in r.single]
            if known:
                other, cost = max(known)
                one = cost * (size / other) ** 1.2
        if one is None and step in PRIOR_S_PER_PAGE:
            pages = (mine.result.get("pages") if mine else None) or size // 4
            one = PRIOR_S_PER_PAGE[step] * pages
        if one is None:
            return None
        return one * (1 if one > CHEAP_S or step in SITES else self.args.repeat)

    # ---- the plan ----------------------------------------------------------------------
    def execute(self, plan: list[tuple[int, str]]) -> None:
        for size, step in plan:
            run = self.sizes.get(size)
            if run is None:
                run = self.sizes[size] = SizeRun(self, size)
                run.setup()
            run.step(step)


# This machine's disk discards freed blocks after a large delete, which makes
# creating files there slow for a second or two; a timed run must not pay for
# the previous run's clean-up, so deletes of big trees settle first.
SETTLE_S = 2.0


def remove_tree(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path, ignore_errors=True)
        os.sync()
        time.sleep(SETTLE_S)


class SizeRun:
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
        metric = {"check_cold": "check_cold_s", "naive": "naive_roundtrip_load_s",
                  "check_warm": "check_warm_s", "render_cold": "render_cold_s",
                  "render_noop": "render_noop_s", "build": "build_s", "linkcheck": "linkcheck_s",
                  "bare": "mkdocs_bare_s", "fullnav": "mkdocs_fullnav_peer_s",
                  "build500": "build_500_s", "macros": "macros_peer_s",
                  "linkchecker": "linkchecker_peer_s"}[name]
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

    def do_macros(self) -> None:
        """mkdocs-macros-plugin renders the entity pages inside MkDocs from a JSON data
        file; every other page is the same Markdown factbase rendered."""
        peers = self.bench.peers()
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
        peers = self.bench.peers()
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

    # ---- the record ------------------------------------------------------------------
    def record(self) -> dict:
        r = dict(self.result)
        peaks = [r.get("peak_rss_check_mb"), r.get("peak_rss_render_mb")]
        r["peak_rss_mb"] = max(filter(None, peaks), default=None)
        r["ratios"] = ratios(r)
        r["samples"] = self.samples
        r["notes"] = self.notes
        return r


def with_omitted_files(text: str, level: str) -> str:
    """mkdocs.yml text with `validation: omitted_files:` at the given level."""
    if re.search(r"(?m)^  omitted_files: \w+", text):
        return re.sub(r"(?m)^  omitted_files: \w+", f"  omitted_files: {level}", text)
    if re.search(r"(?m)^validation:", text):
        return re.sub(r"(?m)^validation:\n", f"validation:\n  omitted_files: {level}\n", text)
    return text.replace("\nnav:", f"\nvalidation:\n  omitted_files: {level}\n\nnav:", 1)


def ratios(r: dict) -> dict:
    def div(a: str, b: str) -> float | None:
        x, y = r.get(a), r.get(b)
        return round(x / y, 2) if x and y else None
    return {"naive_load_over_check_cold": div("naive_roundtrip_load_s", "check_cold_s"),
            "build_over_bare": div("build_s", "mkdocs_bare_s"),
            "fullnav_over_build": div("mkdocs_fullnav_peer_s", "build_s"),
            "build_per_page_2000_over_500": r.get("build_per_page_ratio"),
            "macros_over_build": div("macros_peer_s", "build_s"),
            "linkchecker_over_linkcheck": div("linkchecker_peer_s", "linkcheck_s"),
            "linkchecker_over_linkcheck_process": div("linkchecker_peer_s",
                                                      "linkcheck_process_s")}


# Issue 8's targets: (label, metric or ratio, comparison, goal).
TARGETS = (
    ("check cold ≤ 1.5 s", "check_cold_s", "<=", 1.5),
    ("check ≥ 10× faster than naive round-trip load", "naive_load_over_check_cold", ">=", 10),
    ("check warm ≤ 0.3 s", "check_warm_s", "<=", 0.3),
    ("rendering all pages ≤ 1.5 s (render step)", "render_only_s", "<=", 1.5),
    ("render no-op writes 0 files", "render_noop_files_written", "<=", 0),
    ("build ≤ 1.2× bare mkdocs", "build_over_bare", "<=", 1.2),
    ("build ≥ 6× faster than full-nav peer", "fullnav_over_build", ">=", 6),
    ("per-page build time at 2,000 ≤ 1.3× at 500", "build_per_page_2000_over_500", "<=", 1.3),
    ("build ≥ 1.3× faster than macros peer", "macros_over_build", ">=", 1.3),
    ("link check ≥ 10× faster than LinkChecker", "linkchecker_over_linkcheck", ">=", 10),
)
MEMORY_TARGET = ("peak memory at 50k ≤ 500 MB", "peak_rss_mb", "<=", 500)


def targets(records: list[dict]) -> list[dict]:
    """Each target at 10k facts (about 2,000 entity pages), or, where 10k has no
    value (skipped by the budget), at the largest size that has one."""
    by_size = {r["size"]: r for r in records}
    order = sorted(by_size, key=lambda n: (n != 10000, -n))
    out = []
    for label, key, op, goal in TARGETS:
        found = [(n, by_size[n].get(key, by_size[n]["ratios"].get(key))) for n in order]
        size, value = next(((n, v) for n, v in found if v is not None), (order[0], None)) \
            if order else (10000, None)
        out.append(_target(label, value, op, goal, size))
    big = by_size.get(50000)
    label, key, op, goal = MEMORY_TARGET
    out.append(_target(label, big.get(key) if big else None, op, goal, 50000))
    return out


def _target(label: str, value, op: str, goal: float, size: int) -> dict:
    met = None if value is None else (value <= goal if op == "<=" else value >= goal)
    return {"target": label, "size": size, "value": value, "goal": f"{op} {goal}", "met": met}


# ---- output ---------------------------------------------------------------------------

ROWS = (
    ("facts", "facts"), ("entity pages", "entity_pages"), ("pages (all .md)", "pages"),
    ("naive round-trip load (s)", "naive_roundtrip_load_s"),
    ("check cold (s)", "check_cold_s"), ("check warm (s)", "check_warm_s"),
    ("render cold (s)", "render_cold_s"), ("  of which rendering (s)", "render_only_s"),
    ("render no-op (s)", "render_noop_s"), ("render no-op files written", "render_noop_files_written"),
    ("mkdocs bare (s)", "mkdocs_bare_s"), ("mkdocs full-nav peer (s)", "mkdocs_fullnav_peer_s"),
    ("factbase build (s)", "build_s"), ("  of which MkDocs + link check (s)",
                                        "build_mkdocs_and_linkcheck_s"),
    ("build at ~500 entity pages (s)", "build_500_s"),
    ("per-page build ratio vs 500", "build_per_page_ratio"),
    ("macros peer (s)", "macros_peer_s"),
    ("link check broken_links (s)", "linkcheck_s"), ("  whole process (s)", "linkcheck_process_s"),
    ("LinkChecker peer (s)", "linkchecker_peer_s"),
    ("peak RSS check (MB)", "peak_rss_check_mb"), ("peak RSS render (MB)", "peak_rss_render_mb"),
    ("peak RSS build (MB)", "peak_rss_build_mb"),
)


def table(records: list[dict]) -> str:
    def cell(v) -> str:
        if v is None:
            return "—"
        if isinstance(v, float):
            return f"{v:,.2f}" if v < 100 else f"{v:,.0f}"
        return f"{v:,}"
    head = "| metric | " + " | ".join(f"{r['size']:,}" for r in records) + " |"
    lines = [head, "|---|" + "---:|" * len(records)]
    for label, key in ROWS:
        values = [r.get(key) for r in records]
        if all(v is None for v in values):
            continue
        lines.append(f"| {label} | " + " | ".join(cell(v) for v in values) + " |")
    return "\n".join(lines)


def target_table(rows: list[dict]) -> str:
    lines = ["| target | size | value | goal | met |", "|---|---:|---:|---|---|"]
    for t in rows:
        met = {True: "yes", False: "**no**", None: "n/a"}[t["met"]]
        value = "—" if t["value"] is None else t["value"]
        lines.append(f"| {t['target']} | {t['size']:,} | {value} | {t['goal']} | {met} |")
    return "\n".join(lines)


def environment(bench: Bench) -> dict:
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, text=True, capture_output=True,
                                  timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    import importlib.metadata as meta
    versions = {}
    for name in ("mkdocs", "mkdocs-material", "Markdown", "Jinja2", "ruamel.yaml", "PyYAML"):
        try:
            versions[name] = meta.version(name)
        except meta.PackageNotFoundError:
            pass
    return {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
            "git_head": git("rev-parse", "--short", "HEAD"),
            "generator_uncommitted_changes": git("status", "--porcelain", "--", "generator",
                                                 "templates").splitlines(),
            "versions": versions, "peer_versions": bench.peer_versions(),
            "bytecode_cache": bench.env.get("PYTHONPYCACHEPREFIX"),
            "pythondontwritebytecode": bench.env.get("PYTHONDONTWRITEBYTECODE")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Factbase benchmarks (issue 8).")
    parser.add_argument("--facts", type=int, action="append", metavar="N",
                        help="size to run (repeatable); default: 1000, 10000, 50000 within "
                             f"a {DEFAULT_BUDGET_S} s budget")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the results here")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per median for cheap measurements (default 3)")
    parser.add_argument("--full", action="store_true",
                        help=f"measure the sites (build, peers) above {FULL_UP_TO} facts too")
    parser.add_argument("--core", action="store_true",
                        help="only load/check/render/memory (no MkDocs builds, no peers)")
    parser.add_argument("--budget", type=float, default=None, metavar="SECONDS",
                        help=f"stop starting work after this long (default: {DEFAULT_BUDGET_S} "
                             "without --facts, unlimited with it)")
    parser.add_argument("--linkchecker-timeout", type=float, default=900, metavar="SECONDS")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/factbase-bench"))
    parser.add_argument("--no-pyc", action="store_true",
                        help="keep the inherited environment's bytecode settings (by default "
                             "compiled modules are cached under WORKDIR/pycache)")
    args = parser.parse_args(argv)
    if not (Path(sys.executable).parent / "factbase").exists():
        parser.error(f"run this with the project's venv python (.venv/bin/python): no "
                     f"factbase next to {sys.executable}")
    if args.facts:
        steps = list(CORE) + ([] if args.core else list(SITES))
        plan = [(n, s) for n in args.facts for s in steps
                if s in CORE or n <= FULL_UP_TO or args.full]
    else:
        args.budget = args.budget or DEFAULT_BUDGET_S
        plan = [(n, s) for n, s in DEFAULT_PLAN if not (args.core and s in SITES)]
    args.workdir.mkdir(parents=True, exist_ok=True)
    bench = Bench(args)
    started = time.perf_counter()
    bench.execute(plan)
    records = []
    for size, run in sorted(bench.sizes.items()):
        record = {"size": size} | run.record()
        planned = {s for n, s in plan if n == size}
        for step in SITES:
            if step not in planned:
                record["notes"].setdefault(
                    {"build": "build_s", "linkcheck": "linkcheck_s", "bare": "mkdocs_bare_s",
                     "fullnav": "mkdocs_fullnav_peer_s", "build500": "build_500_s",
                     "macros": "macros_peer_s", "linkchecker": "linkchecker_peer_s"}[step],
                    "not measured (--core)" if args.core else
                    f"not measured at {size:,} facts (only load/check/render/memory above "
                    f"{FULL_UP_TO:,}; --full measures it)")
        records.append(record)
    python = os.path.relpath(sys.executable)
    document = {"command": " ".join([python if not python.startswith("..") else sys.executable,
                                     *sys.argv]),
                "wall_s": round(time.perf_counter() - started, 1),
                "environment": environment(bench), "targets": targets(records)}
    if len(records) == 1:
        document = records[0] | document
    else:
        document["runs"] = records
    print("\n" + table(records) + "\n\n" + target_table(document["targets"]))
    for record in records:
        for metric, why in record["notes"].items():
            print(f"  note ({record['size']:,}) {metric}: {why}")
    print(f"\nwhole run: {document['wall_s']} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
