"""``invoke sample``: copy the sample into a sandbox and run the main job (``deploy``) on it."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

from aim.cli.render import say
from aim.cli.running import run_named
from aim.sample import demo_secrets, prepare_sandbox, sample_source


def sample(c: Any, dest: str = "sandbox") -> None:
    """Copy the sample into a sandbox and run the main job (``deploy``) on it."""
    sandbox = Path(dest).resolve()
    root = prepare_sandbox(sandbox)
    keyring_file = sandbox / "keyring.json"
    os.environ["AIM_KEYRING"] = f"sandbox:{keyring_file}"
    fakes = demo_secrets(root)
    os.environ.update(fakes)
    say(f"sample workspace: {root} (a fresh copy of {sample_source()})")
    say(f"keyring: SANDBOX keyring file {keyring_file} — plaintext, for this sample only; "
        "real runs use the system keyring")
    say(f"demo secrets: {', '.join(sorted(fakes))} set to fake values "
        "('sample-<name>-key-not-real') for this run only, replacing any real ones, so the "
        "migration has values to import and the secret checks have values to look for")
    run_named(None, "deploy", root=str(root), dry_run=False, resume=False, as_json=False,
              fail_at=None, inputs={"vault": str(root / "vault" / "vault.json")})
    runs = shlex.join([*aim_command(), "runs", "--root", str(root)])
    say(f"done: look at {root}, its .aim/ state folder, and the run: {runs}")


def aim_command(cwd: Path | None = None, path_env: str | None = None) -> list[str]:
    """How to start this AIM+ from ``cwd``: ``aim`` when the shell finds this one, else the
    script beside this interpreter (relative when it is below ``cwd``), else ``python -m aim``."""
    here = Path(cwd or os.getcwd())
    script = Path(sys.executable).with_name("aim.exe" if os.name == "nt" else "aim")
    if not script.is_file():
        return [sys.executable, "-m", "aim"]
    found = shutil.which("aim", path=path_env if path_env is not None else
                         os.environ.get("PATH", ""))
    if found and Path(found).resolve() == script.resolve():
        return ["aim"]
    try:
        return [os.path.join(".", script.relative_to(here))]
    except ValueError:
        return [str(script)]
