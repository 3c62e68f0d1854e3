"""The report: ratios, the issue's targets, the tables, the environment record.

Pure functions of the records `run.py` collects (one dict per size), except
`environment`, which reads the machine, the git checkout and package versions.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


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


def environment(env: dict, peer_versions: dict) -> dict:
    """The machine, the commit and the versions; `env` is the measured commands'
    environment."""
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
            "versions": versions, "peer_versions": peer_versions,
            "bytecode_cache": env.get("PYTHONPYCACHEPREFIX"),
            "pythondontwritebytecode": env.get("PYTHONDONTWRITEBYTECODE")}
