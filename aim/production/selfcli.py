"""Start AIM+ itself as a user would, wherever the workspace is and whatever it holds.

``python -m aim`` in a workspace that has its own ``aim/`` package (or a ``PYTHONPATH`` naming
one) would import that package instead of AIM+: the current folder and ``PYTHONPATH`` come
first on ``sys.path``.  So the child runs this process's interpreter from a fresh empty
folder, with ``PYTHONPATH`` naming only the folder AIM+ is imported from (empty when that is
a site-packages folder, which the interpreter searches anyway).  This works the same on
Windows and needs no flag a Python 3.10 lacks (``-P`` is 3.11+; ``-I`` would also drop the
user site-packages that a ``pip install --user`` of AIM+ lives in).
"""

from __future__ import annotations

import site
import sys
import tempfile
from pathlib import Path

import aim
from aim import proc

TIMEOUT = 30.0


def aim_package() -> Path:
    """The folder of the ``aim`` package this process runs (AIM+ itself)."""
    return Path(aim.__file__).resolve().parent


def _site_dirs() -> set[Path]:
    found = [*site.getsitepackages(), site.getusersitepackages()]
    return {Path(folder).resolve() for folder in found}


def child_pythonpath() -> str:
    """``PYTHONPATH`` for the child: AIM+'s import folder, unless the interpreter finds it."""
    home = aim_package().parent
    return "" if home in _site_dirs() else str(home)


def run_aim(*args: str, timeout: float = TIMEOUT) -> proc.ProcResult:
    """``aim ARGS`` of this AIM+, started from an empty folder, through the one subprocess path."""
    with tempfile.TemporaryDirectory(prefix="aim-cli-") as neutral:
        return proc.run([sys.executable, "-m", "aim", *args], cwd=Path(neutral),
                        env={"PYTHONPATH": child_pythonpath()}, timeout=timeout)
