"""Running the real ``aim`` program in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def aim(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
        stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m aim ARGS`` with the test's isolated environment."""
    # Tables fit COLUMNS when it is set: a test sets it itself, or gets whole lines.
    base = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    full_env = {**base, "AIM_KEYRING": "memory", **(env or {})}
    return subprocess.run([sys.executable, "-m", "aim", *args], capture_output=True, text=True,
                          cwd=cwd, env=full_env, input=stdin, timeout=timeout)


def assert_clean_error(result: subprocess.CompletedProcess[str], code: int) -> str:
    """The process failed with ``code`` and one ``error:`` message, never a traceback."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith("error: "), result.stderr
    return result.stderr
