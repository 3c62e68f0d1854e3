#!/usr/bin/env python3
"""Factbase benchmarks: one synthetic fact base per size, whole-process timings.

    .venv/bin/python benchmarks/run.py --facts 10000 --json benchmarks/results/10k.json
    .venv/bin/python benchmarks/run.py          # default sizes 1k, 10k, 50k in < 10 min

Every number is the wall time of a whole process (subprocess + time.perf_counter),
the median of up to --repeat runs when one run is cheap (< CHEAP_S seconds), else
one run. Peak memory comes from /usr/bin/time (Maximum resident set size). A
metric that could not be measured is null, with the reason under "notes".
benchmarks/README.md says what each number means.

The modules: harness.py measures processes, steps.py runs our own commands at
one size, peers.py the tools they are measured against, report.py turns the
records into ratios, targets and tables. This file is the command line and the
plan of what runs in which order.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Harness  # noqa: E402
from peers import PeerVenv  # noqa: E402
from report import environment, table, target_table, targets  # noqa: E402
from steps import CHEAP_S, METRICS, SizeRun  # noqa: E402

DEFAULT_SIZES = (1000, 10000, 50000)
FULL_UP_TO = 20000                   # above this, only load/check/render/memory by default
DEFAULT_BUDGET_S = 570               # the default run stops starting work after this

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


class Bench(Harness):
    """The harness, the runs of each size, the peers' venv and the budget's estimates."""

    def __init__(self, args: argparse.Namespace):
        super().__init__(args)
        self.sizes: dict[int, SizeRun] = {}
        self.build500: dict | None = None
        self.peers = PeerVenv()

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
                    METRICS[step],
                    "not measured (--core)" if args.core else
                    f"not measured at {size:,} facts (only load/check/render/memory above "
                    f"{FULL_UP_TO:,}; --full measures it)")
        records.append(record)
    python = os.path.relpath(sys.executable)
    document = {"command": " ".join([python if not python.startswith("..") else sys.executable,
                                     *sys.argv]),
                "wall_s": round(time.perf_counter() - started, 1),
                "environment": environment(bench.env, bench.peers.versions()), "targets": targets(records)}
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
