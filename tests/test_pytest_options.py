"""The test suite's own options leave pytest's verbosity flags to the developer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ONE_TEST = "tests/cli/test_program.py::test_task_help_names_one_task_only"


def test_pytest_v_names_each_test_with_its_outcome() -> None:
    command = [sys.executable, "-m", "pytest", "-v", "-n", "0", "-p", "no:cacheprovider", ONE_TEST]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]
    assert f"{ONE_TEST} PASSED" in done.stdout
