"""The developer machine that real workspaces describe, made in a folder of the test's own."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# The first-generation health settings (tests/fixtures/real/firstgen) require these commands
# and the legacy vault folder under %LOCALAPPDATA%.
REQUIRED = (("pipx", '{"venvs": {}}'), ("python", "Python 3.12.0"),
            ("git", "git version 2.47.0"), ("node", "v22.11.0"))


def developer_machine(folder: Path, path: str | None = None) -> dict[str, str]:
    """Environment variables for a machine with the required commands on PATH (stand-ins for
    those this machine lacks; a stand-in node would break npm, so a real one is kept) and a
    ``CLI_Vault`` folder under ``LOCALAPPDATA``, all under ``folder``."""
    bin_dir, local = folder / "bin", folder / "LocalAppData"
    (local / "CLI_Vault").mkdir(parents=True, exist_ok=True)
    bin_dir.mkdir(parents=True, exist_ok=True)
    search = path if path is not None else os.environ.get("PATH", "")
    for name, output in REQUIRED:
        if shutil.which(name, path=search):
            continue
        script = bin_dir / name
        script.write_text(f"#!/bin/sh\necho '{output}'\n")
        script.chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}{search}", "LOCALAPPDATA": str(local)}
