"""Hostile legacy names and package specs: dropped by the migration with the reason, never a
keyring name, an exported variable or an installer argument."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from aim.config.validate import validate_data
from aim.errors import InputError
from aim.installer import Operation
from aim.legacy.firstgen_map import map_firstgen
from aim.legacy.mapping import map_legacy
from aim.secrets.names import check_name
from tests.migration.migutil import ok, sandbox

EVIL_INDEX = "--index-url=http://evil.example/simple"
EVIL_NPM = "--registry=http://evil.example/npm"
HOSTILE_ENV = ("PATH", "HOME", "USERPROFILE", "PYTHONPATH", "LD_PRELOAD", "SHELL", "Path")
LEGACY: dict[str, Any] = {
    "PipxApps": ["ruff", EVIL_INDEX, "black"],
    "NpmGlobal": [EVIL_NPM, "eslint"],
    "Secrets": {"EnvMap": {"OPENAI_API_KEY": "openai", **{n: n.lower() for n in HOSTILE_ENV},
                           "GITHUB_TOKEN": "--vault-option"}},
}
FIRSTGEN = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "firstgen"


def _fates(mapped: Any) -> dict[str, Any]:
    return {f.key: f for f in mapped.fates}


def test_reserved_names_and_option_entries_are_dropped_with_the_reason() -> None:
    mapped = map_legacy(LEGACY, "toolstack.config.json")
    assert list(mapped.data["secrets"]) == ["OPENAI_API_KEY"]
    assert mapped.data["packages"] == {"pipx": ["ruff", "black"], "npm": ["eslint"]}
    fates = _fates(mapped)
    for name in HOSTILE_ENV:
        fate = fates[f"Secrets.EnvMap.{name}"]
        assert fate.fate == "dropped" and "reserved environment variable" in fate.note
    assert fates["Secrets.EnvMap.GITHUB_TOKEN"].fate == "dropped"
    assert "vault name starts with '-'" in fates["Secrets.EnvMap.GITHUB_TOKEN"].note
    pipx = fates["PipxApps[1]"]
    assert pipx.fate == "dropped" and "'--index-url'" in pipx.note and "evil" not in pipx.note
    assert fates["NpmGlobal[0]"].fate == "dropped"
    assert fates["PipxApps"].fate == fates["Secrets.EnvMap"].fate == "mapped"
    text = json.dumps(mapped.data)
    assert "evil.example" not in text and '"PATH"' not in text and "--vault" not in text
    assert validate_data(mapped.data, "mapped") == []


def test_first_generation_package_lists_are_screened_too(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(FIRSTGEN, root)
    path = root / "aim" / "config" / "aim_config.json"
    data = json.loads(path.read_text("utf-8"))
    data["environment"]["pipxApps"] = ["aider-chat", EVIL_INDEX, "ruff"]
    path.write_text(json.dumps(data), "utf-8")
    [registry] = [m for m in map_firstgen(root) if m.source.endswith(".json")]
    assert registry.data["packages"]["pipx"] == ["aider-chat", "ruff"]
    fate = _fates(registry)["environment.pipxApps[1]"]
    assert fate.fate == "dropped" and "'--index-url'" in fate.note
    assert "evil.example" not in json.dumps(registry.data)


def test_the_installer_refuses_an_option_as_a_package_or_version() -> None:
    for op in (Operation("install", "pipx", EVIL_INDEX),
               Operation("install", "npm", "eslint", "--registry=http://x"),
               Operation("uninstall", "uv", "-e ."), Operation("install", "winget", "-x")):
        with pytest.raises(InputError, match=r"refusing to run \w+: a (package|version) "
                                             r"starts with '-'"):
            op.argv()
    assert Operation("install", "pipx", "ruff", "0.6.0").argv() == (
        "pipx", "install", "ruff==0.6.0")


def test_a_hand_written_config_with_them_is_invalid() -> None:
    data = {"version": 1, "secrets": {"PATH": {}, "X": {"env": "LD_PRELOAD"}},
            "packages": {"pipx": [EVIL_INDEX]}}
    problems = "\n".join(validate_data(data, "aim_config.json"))
    assert "secrets.PATH: PATH is a reserved environment variable" in problems
    assert "secrets.X.env: LD_PRELOAD is a reserved environment variable" in problems
    assert "packages.pipx[0]: the package entry starts with '-'" in problems


def test_secrets_set_refuses_a_reserved_name() -> None:
    for name in ("PATH", "HOME", "LD_PRELOAD", "npm_config_registry"):
        with pytest.raises(InputError, match="reserved environment variable"):
            check_name(name)
    assert check_name("PYTHONANYWHERE_API_TOKEN") == "PYTHONANYWHERE_API_TOKEN"


def test_migration_reports_them_and_nothing_reaches_keyring_export_or_installer(
        tmp_path: Path) -> None:
    box = sandbox(tmp_path, HOME=str(tmp_path / "home"), USERPROFILE="C:\\Users\\dev")
    legacy = json.loads(box.legacy_config.read_text("utf-8"))
    legacy["PipxApps"].append(EVIL_INDEX)
    legacy["Secrets"]["EnvMap"].update({"PATH": "path", "HOME": "home",
                                        "USERPROFILE": "profile"})
    box.legacy_config.write_text(json.dumps(legacy), "utf-8")
    ok(box.migrate())
    report = json.loads(next((box.root / "reports").glob("migration-*.json")).read_text())
    dropped = {k["key"]: k["note"] for k in report["keys"] if k["fate"] == "dropped"}
    assert {"Secrets.EnvMap.PATH", "Secrets.EnvMap.HOME", "Secrets.EnvMap.USERPROFILE"} <= set(
        dropped)
    assert any(key.startswith("PipxApps[") and "'--index-url'" in note
               for key, note in dropped.items())
    markdown = next((box.root / "reports").glob("migration-*.md")).read_text("utf-8")
    assert "Secrets.EnvMap.PATH" in markdown and "reserved environment variable" in markdown
    config = (box.root / "aim_config.json").read_text("utf-8")
    assert "evil.example" not in config and '"PATH"' not in config and '"HOME"' not in config
    assert not {"PATH", "HOME", "USERPROFILE"} & set(box.entries())
    exported = ok(box.aim("secrets.export")).stdout
    assert "export OPENAI_API_KEY=" in exported
    assert not any(f"export {n}=" in exported for n in ("PATH", "HOME", "USERPROFILE"))
    plan = ok(box.aim("versions", "--sync", "--dry-run", "--json")).stdout
    assert "index-url" not in plan and "evil.example" not in plan
