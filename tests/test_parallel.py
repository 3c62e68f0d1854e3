"""run_jobs: every job made, then all finished or all undone, in every process."""

from __future__ import annotations

import os
from functools import partial

import pytest

from factbase import parallel


def _job(folder, fail_at, index):
    if index == fail_at[0]:
        if fail_at[1] == "die":
            os._exit(1)  # as if killed: no reply, no clean-up of its own
        raise ValueError(f"job {index} failed")
    (folder / str(index)).write_text("made")
    return index


def _run(folder, fail_at, spread):
    jobs = [partial(_job, folder, fail_at, i) for i in range(6)]
    return parallel.run_jobs(jobs, spread=spread, then=lambda i, v: v * 10,
                             undo=lambda i, v: (folder / str(v)).unlink())


@pytest.fixture
def two_workers(monkeypatch):
    monkeypatch.setattr(parallel, "workers", lambda: 2)


@pytest.mark.parametrize("spread", [False, True])
def test_all_jobs_finish_when_all_succeed(tmp_path, two_workers, spread):
    assert _run(tmp_path, (None, None), spread) == [0, 10, 20, 30, 40, 50]
    assert sorted(p.name for p in tmp_path.iterdir()) == [str(i) for i in range(6)]


@pytest.mark.parametrize("spread", [False, True])
def test_a_failing_job_undoes_every_other_job_everywhere(tmp_path, two_workers, spread):
    # Spread over two processes, job 3 is the worker's second: it undoes job 1,
    # and the parent undoes 0, 2 and 4.
    with pytest.raises(ValueError, match="job 3 failed"):
        _run(tmp_path, (3, "raise"), spread)
    assert list(tmp_path.iterdir()) == []


def test_a_worker_that_dies_is_reported_and_the_parent_undoes_its_share(tmp_path, two_workers):
    with pytest.raises(RuntimeError, match="stopped unexpectedly"):
        _run(tmp_path, (1, "die"), True)  # job 1 is the worker's first
    assert list(tmp_path.iterdir()) == []
