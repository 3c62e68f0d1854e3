"""No traceback when the reader of the output leaves early, or when a lock
file is nested too deeply to parse (found in issue #23, items 9 and 10)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import copy_project


def test_a_reader_leaving_early_ends_the_command_quietly(tmp_path):
    # The reader is gone before the first line is written (`| head -1` once it
    # has its line): every write fails, whatever the timing.
    read_end, write_end = os.pipe()
    os.close(read_end)
    done = subprocess.run([sys.executable, "-m", "factbase", "explain"], stdout=write_end,
                          stderr=subprocess.PIPE, text=True, cwd=tmp_path, timeout=60)
    os.close(write_end)
    assert done.returncode == 141, done.stderr
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr


def test_a_lock_file_nested_too_deeply_is_a_clear_error(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / "citations.lock.json").write_text("[" * 100_000 + "]" * 100_000)
    done = subprocess.run([sys.executable, "-m", "factbase", "links", "--offline"], cwd=project,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "citations.lock.json: nested too deeply" in done.stderr


def test_a_lock_entry_of_the_wrong_type_is_a_clear_error(tmp_path):
    import json
    project = copy_project(tmp_path / "p")
    lock = json.loads((project / "citations.lock.json").read_text())
    url = next(iter(lock["urls"]))
    lock["urls"][url]["status"] = 12345
    (project / "citations.lock.json").write_text(json.dumps(lock))
    done = subprocess.run([sys.executable, "-m", "factbase", "links", "--offline"], cwd=project,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"the entry for {url} is malformed (status 12345 is not one of ok," in done.stderr


def test_init_never_writes_through_a_link_to_outside(tmp_path):
    outside = tmp_path / "outside.yml"
    target = tmp_path / "new"
    target.mkdir()
    (target / "mkdocs.yml").symlink_to(outside)           # dangling: .exists() is False
    done = subprocess.run([sys.executable, "-m", "factbase", "init", "."], cwd=target,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "already holds a project (mkdocs.yml)" in done.stderr
    assert not outside.exists()
    (target / "mkdocs.yml").unlink()
    (target / "facts").symlink_to(tmp_path, target_is_directory=True)   # a linked folder
    done = subprocess.run([sys.executable, "-m", "factbase", "init", "."], cwd=target,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "symbolic link" in done.stderr, done.stderr
    assert not (tmp_path / "claims").exists()
