"""Deployed samples for the deploy and production tests: made once per module, copied per test.

A module fixture runs ``invoke sample`` (the README's command) into a tmp sandbox; each test
gets its own copy of that deployed tree and of its sandbox keyring file, so the minutes of
deploying are paid once and every test still starts from the same real state.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from aim.sample import demo_secrets, prepare_sandbox, sample_source
from tests.cli.clitool import aim
from tests.treeutil import snapshot_tree

REPO = Path(__file__).resolve().parents[2]
STEPS = ("links_before", "tests_before", "migrate", "deprecate", "deprecate_firstgen",
         "consolidate", "docs", "links", "test", "production", "report")
DEMO = demo_secrets(sample_source())


@dataclass(frozen=True)
class Sandbox:
    """A sample workspace (``root``) and the sandbox keyring file its runs use."""

    root: Path
    keyring: Path

    @property
    def env(self) -> dict[str, str]:
        """The environment of a run on this sandbox: its keyring, the fake demo secrets."""
        return {"AIM_KEYRING": f"sandbox:{self.keyring}", **DEMO}

    def aim(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``aim ARGS --root <root>`` with this sandbox's keyring."""
        return aim(*args, "--root", str(self.root), env=self.env, timeout=120)

    def deploy(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``aim deploy`` with the sample's legacy vault."""
        return self.aim("deploy", "--vault", str(self.root / "vault" / "vault.json"), *args)

    def entries(self) -> dict[str, dict[str, str]]:
        """Every keyring entry: {service: {name: value}} ({} when the file does not exist)."""
        if not self.keyring.exists():
            return {}
        entries: dict[str, dict[str, str]] = json.loads(self.keyring.read_text())["entries"]
        return entries

    def reports(self, pattern: str = "deploy-*.md") -> list[Path]:
        return sorted((self.root / "reports").glob(pattern))


def fresh_sample(dest: Path) -> Sandbox:
    """An undeployed copy of the sample, made exactly as ``invoke sample`` makes it."""
    root = prepare_sandbox(dest)
    return Sandbox(root, dest / "keyring.json")


def clean_env(home: Path) -> dict[str, str]:
    """The process environment without AIM_/INVOKE_ settings or real API keys, HOME at ``home``.

    Module fixtures run before the per-test isolation, so they build this themselves.
    """
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AIM_", "INVOKE_")) and k not in DEMO}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_STATE_HOME=str(home / "state"))
    return env


def invoke_sample(dest: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """``invoke sample --dest DEST`` from the repository, as the README says to run it."""
    return subprocess.run([sys.executable, "-m", "invoke", "sample", "--dest", str(dest)],
                          cwd=REPO, env=clean_env(home), capture_output=True, text=True,
                          timeout=120)


def copy_sandbox(source: Sandbox, dest: Path) -> Sandbox:
    """A byte-for-byte copy (modes, symlinks) of a sandbox's workspace and keyring file."""
    shutil.copytree(source.root, dest / "workspace", symlinks=True)
    if source.keyring.exists():
        shutil.copy2(source.keyring, dest / "keyring.json")
    return Sandbox(dest / "workspace", dest / "keyring.json")


def picture(sandbox: Sandbox) -> dict[str, tuple]:
    """The workspace tree without its state folder (see tests/treeutil.py)."""
    return snapshot_tree(sandbox.root)


def outcome(report_text: str) -> str:
    """The production checklist's outcome line of a deploy report."""
    return next(line for line in report_text.splitlines()
                if line.startswith("production validation "))
