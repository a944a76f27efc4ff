"""``secrets.delete NAME --dry-run`` speaks of NAME, whatever else the config names."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.clitool import aim
from tests.config.cfgutil import small, write_data


def test_delete_dry_run_reports_on_the_named_secret(tmp_path: Path) -> None:
    data = small()
    data["secrets"] = {"FIRST_API_KEY": {"env": "FIRST_API_KEY"},
                       "LAST_API_KEY": {"env": "LAST_API_KEY"}}
    ws = write_data(tmp_path / "ws", data)
    env = {"AIM_KEYRING": f"sandbox:{tmp_path / 'keyring.json'}"}
    root = ("--root", str(ws.root))
    assert aim("secrets.set", "FIRST_API_KEY", *root, stdin="first-value-123\n",
               env=env).returncode == 0
    first = aim("secrets.delete", "FIRST_API_KEY", "--dry-run", *root, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "would delete FIRST_API_KEY"
    last = aim("secrets.delete", "LAST_API_KEY", "--dry-run", "--json", *root, env=env)
    assert json.loads(last.stdout) == {"name": "LAST_API_KEY", "dry_run": True,
                                       "present": False}
    kept = aim("secrets.list", *root, "--json", env=env)
    assert {r["name"]: r["present"] for r in json.loads(kept.stdout)} == {
        "FIRST_API_KEY": True, "LAST_API_KEY": False}
