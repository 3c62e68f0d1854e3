#!/usr/bin/env python3
"""Where the time goes: cProfile of one in-process `factbase` command on a synthetic base.

    .venv/bin/python benchmarks/profile_run.py --facts 10000 --what check
    .venv/bin/python benchmarks/profile_run.py --facts 10000 --what build --serial

Runs `factbase.cli.main([...])` under cProfile in this process (cold: the
.factbase-cache and build/docs folders are removed first), then prints the top
entries by cumulative and by own time. Work done in forked workers
(generator/parallel.py) is invisible to cProfile; --serial makes the generator
use one process so that it shows. The profile is saved for snakeviz/pstats.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402
from harness import EPOCH  # noqa: E402
from steps import CACHE_DIRS, TODAY  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=10000)
    parser.add_argument("--what", choices=("check", "render", "build"), default="check")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--serial", action="store_true",
                        help="no worker processes, so that cProfile sees all the work")
    parser.add_argument("--warm", action="store_true", help="keep the cache (warm run)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/factbase-bench"))
    parser.add_argument("--out", type=Path, help="save the profile here (default: workdir)")
    args = parser.parse_args()

    project = args.workdir / f"synth-{args.facts}"
    if not (project / "facts").is_dir():
        project.mkdir(parents=True, exist_ok=True)
        synth.write_project(project, args.facts)
    os.chdir(project)
    os.environ.setdefault("SOURCE_DATE_EPOCH", EPOCH)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if not args.warm:
        for name in CACHE_DIRS:
            shutil.rmtree(project / name, ignore_errors=True)
        if args.what != "check":
            shutil.rmtree(project / "build" / "docs", ignore_errors=True)

    from factbase import cli
    if args.serial:
        try:
            from factbase import parallel
            parallel.workers = lambda: 1
        except (ImportError, AttributeError):
            pass
    argv = [args.what, "--today", TODAY]
    if args.what == "build":
        argv += ["--site-dir", str(project / "site-profile")]
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    code = cli.main(argv)
    profiler.disable()
    wall = time.perf_counter() - started
    out = args.out or args.workdir / f"profile-{args.what}-{args.facts}.prof"
    profiler.dump_stats(str(out))
    print(f"factbase {' '.join(argv)}: exit {code}, {wall:.2f} s in process "
          f"(profiled; cProfile adds overhead), profile saved to {out}", file=sys.stderr)
    for order in ("cumulative", "tottime"):
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats(order).print_stats(args.top)
        body = text.getvalue()
        print(f"\n=== top {args.top} by {order} ===")
        print(body[body.index("   ncalls"):] if "   ncalls" in body else body)
    return code


if __name__ == "__main__":
    sys.exit(main())
