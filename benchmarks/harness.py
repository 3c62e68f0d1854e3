"""Measuring processes: wall time and peak memory of a whole process tree.

`Harness.run` starts one command, times it with time.perf_counter, takes its
peak memory (the largest single process from /usr/bin/time, the whole tree's
PSS sampled every 50 ms) and stops it, with everything it started, at the
time budget. A measurement that cannot be taken raises `Skip`, whose message
goes into the record's notes. `remove_tree` deletes an output tree and lets
the disk settle before the next timed run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

EPOCH = "1795478400"                 # 2026-11-24T00:00:00Z: MkDocs' sitemap date
TIME = Path("/usr/bin/time")


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


class Harness:
    """Runs the measured commands: their environment, the time budget, the
    project venv's `factbase`."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.bin = Path(sys.executable).parent
        self.workdir: Path = args.workdir
        self.deadline = time.perf_counter() + args.budget if args.budget else None
        self.env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")
        if not args.no_pyc:
            # As on a developer's machine: compiled modules are cached between runs
            # (this sandbox sets PYTHONDONTWRITEBYTECODE=1, which recompiles the
            # generator in every process). The cache goes to the workdir, not the repo.
            self.env.pop("PYTHONDONTWRITEBYTECODE", None)
            self.env["PYTHONPYCACHEPREFIX"] = str(self.workdir / "pycache")

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


# This machine's disk discards freed blocks after a large delete, which makes
# creating files there slow for a second or two; a timed run must not pay for
# the previous run's clean-up, so deletes of big trees settle first.
SETTLE_S = 2.0


def remove_tree(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path, ignore_errors=True)
        os.sync()
        time.sleep(SETTLE_S)
