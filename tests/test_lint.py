"""The code passes ruff (configured in pyproject.toml), as CI requires."""

import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_ruff_passes():
    ruff = Path(sys.executable).with_name("ruff")
    proc = subprocess.run([str(ruff), "check", "generator", "tests", "benchmarks"], cwd=REPO,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
