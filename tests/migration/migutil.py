"""A copy of the sample workspace, a keyring file shared by processes, and the ``aim`` CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.cli.clitool import aim
from tests.treeutil import snapshot_tree

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "workspace"
LEGACY_CONFIG = Path("AI_MANGER") / "config" / "toolstack.config.json"
CANARY = "sk-canary-7f3c9a1e5b2d8c4f6a0e"


@dataclass
class Sandbox:
    """A workspace (copy of the sample) and a keyring file outside it (``AIM_KEYRING=sandbox``)."""

    root: Path
    keyring: Path
    env: dict[str, str] = field(default_factory=dict)

    def aim(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """Run ``aim ARGS --root ROOT`` with this sandbox's keyring and environment."""
        full = {"AIM_KEYRING": f"sandbox:{self.keyring}", **self.env, **env}
        return aim(*args, "--root", str(self.root), env=full)

    def migrate(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """``aim migrate`` with the sample's vault copy."""
        return self.aim("migrate", "--vault", str(self.root / "vault" / "vault.json"), *args,
                        **env)

    def entries(self, service: str = "aim") -> dict[str, str]:
        """The keyring entries of ``service`` (``{}`` when there is no keyring file yet)."""
        if not self.keyring.exists():
            return {}
        data: dict[str, Any] = json.loads(self.keyring.read_text(encoding="utf-8"))
        return dict(data["entries"].get(service, {}))

    def put(self, name: str, value: str) -> None:
        """Store a keyring entry directly (what a user set before the migration)."""
        data = (json.loads(self.keyring.read_text(encoding="utf-8")) if self.keyring.exists()
                else {"note": "test", "entries": {}})
        data["entries"].setdefault("aim", {})[name] = value
        self.keyring.write_text(json.dumps(data), encoding="utf-8")

    def tree(self) -> dict[str, tuple]:
        """The workspace, byte for byte, without the state folder."""
        return snapshot_tree(self.root)

    @property
    def legacy_config(self) -> Path:
        return self.root / LEGACY_CONFIG


def sandbox(tmp_path: Path, **env: str) -> Sandbox:
    """A fresh copy of the sample; the canary is the only secret value in the environment."""
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE, root)
    base = {"OPENAI_API_KEY": CANARY, "ANTHROPIC_API_KEY": "", "GEMINI_API_KEY": "",
            "GITHUB_TOKEN": ""}
    return Sandbox(root, tmp_path / "keyring.json", {**base, **env})


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """``result`` after asserting it succeeded (the output is shown when it did not)."""
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return result


def run_ids(root: Path, workflow: str) -> list[str]:
    """The ids of the runs of ``workflow`` in the workspace, oldest first."""
    runs = root / ".aim" / "runs"
    return sorted(p.name for p in runs.iterdir() if f"-{workflow}-" in p.name)


def run_here(root: Path, workflow: str, inputs: dict[str, Any] | None = None,
             fail_at: str | None = None) -> tuple[Any, list[str]]:
    """Run ``workflow`` in this process (the test's keyring); the result and progress lines."""
    from aim.workflow.context import Hooks
    from aim.workflow.defaults import secret_store
    from aim.workflow.loader import load_workflow
    from aim.workflow.runner import RunOptions, run_workflow
    from aim.workspace import Workspace

    lines: list[str] = []
    hooks = Hooks(progress=lines.append, secret_store=secret_store)
    result = run_workflow(Workspace.at(root), load_workflow(workflow),
                          RunOptions(inputs or {}, fail_at), hooks)
    return result, lines


def keyring_here(names: tuple[str, ...] = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY",
                                            "GEMINI_API_KEY", "GITHUB_TOKEN")) -> dict[str, str]:
    """The test process's keyring entries (service ``aim``) among the sample's secret names."""
    from aim.secrets.store import SecretStore

    store = SecretStore("aim")
    found = {name: store.get(name) for name in names}
    return {name: value for name, value in found.items() if value is not None}
