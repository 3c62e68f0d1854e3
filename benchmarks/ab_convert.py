#!/usr/bin/env python3
"""A/B: `factbase build` with MkDocs' Markdown conversion on every core, and without.

    .venv/bin/python benchmarks/ab_convert.py --facts 10000 --rounds 2

Builds the same synthetic base (made by synth.py if missing) alternately with
the factbase plugin converting pages in workers (generator/mkdocs_convert.py)
and with that switched off, so that both see the same machine load; prints
each build's wall time and the ratio of the medians. The fact base is
checked and rendered before the first timed build, so every timed build
starts from the same cache and the same rendered tree.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402
from harness import EPOCH  # noqa: E402
from steps import TODAY  # noqa: E402

BUILD = ("import sys\n"
         "from factbase import cli\nfrom factbase.site import convert as mkdocs_convert\n"
         "if sys.argv[1] == 'serial':\n"
         "    mkdocs_convert.worth_it = lambda *args: False\n"
         "sys.exit(cli.main(['build', '--today', sys.argv[2], '--site-dir', sys.argv[3]]))\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=2, help="builds of each kind")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/factbase-bench"))
    args = parser.parse_args()
    project = args.workdir / f"synth-{args.facts}"
    if not (project / "facts").is_dir():
        project.mkdir(parents=True, exist_ok=True)
        synth.write_project(project, args.facts)
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")
    site = args.workdir / "site-ab"
    subprocess.run([sys.executable, "-m", "factbase", "render", "--today", TODAY],
                   cwd=project, env=env, check=True, capture_output=True)
    times: dict[str, list[float]] = {"workers": [], "serial": []}
    for _ in range(args.rounds):
        for mode in times:
            started = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", BUILD, mode, TODAY, str(site)],
                                  cwd=project, env=env, capture_output=True, text=True)
            wall = time.perf_counter() - started
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return proc.returncode
            times[mode].append(wall)
            print(f"{mode:8} {wall:6.1f} s", flush=True)
    workers, serial = (statistics.median(times[m]) for m in ("workers", "serial"))
    print(f"median: workers {workers:.1f} s, serial {serial:.1f} s, "
          f"serial/workers {serial / workers:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
