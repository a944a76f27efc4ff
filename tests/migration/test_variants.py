"""The sample and each variant real installs come in: migrate, then roll back to the original."""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.cli.clitool import assert_clean_error
from tests.migration.migutil import Sandbox, keyring_here, run_here


def migrate_here(box: Sandbox, **inputs: str) -> list[str]:
    result, lines = run_here(box.root, "migrate", {"vault": str(box.root / "vault" /
                                                                "vault.json"), **inputs})
    assert result.status == "success", lines
    return lines


def rollback_here(box: Sandbox) -> list[str]:
    result, lines = run_here(box.root, "rollback")
    assert result.status == "success", lines
    return lines


def _text(box: Sandbox) -> str:
    return box.legacy_config.read_text(encoding="utf-8")


def _utf16(box: Sandbox) -> None:
    box.legacy_config.write_bytes(codecs.BOM_UTF16_LE + _text(box).encode("utf-16-le"))


def _crlf(box: Sandbox) -> None:
    box.legacy_config.write_bytes(_text(box).replace("\n", "\r\n").encode("utf-8"))


def _edit(change: Callable[[dict[str, Any]], None]) -> Callable[[Sandbox], None]:
    def apply(box: Sandbox) -> None:
        data = json.loads(_text(box))
        change(data)
        box.legacy_config.write_text(json.dumps(data, indent=2), encoding="utf-8")

    return apply


def _unknown(data: dict[str, Any]) -> None:
    data["FancyNewThing"] = {"x": 1}
    data["Scan"]["Depth"] = 3


def _ranges(data: dict[str, Any]) -> None:
    data["Pins"]["npm"].update({"@anthropic-ai/claude-code": "^2.0.31", "eslint": "~9.39.0"})


VARIANTS: dict[str, Callable[[Sandbox], None]] = {
    "sample": lambda box: None, "utf-16": _utf16, "crlf": _crlf,
    "unknown keys": _edit(_unknown), "npm ranges": _edit(_ranges),
}


def _config(box: Sandbox) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((box.root / "aim_config.json").read_text("utf-8"))
    return data


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_variant_migrates_and_rolls_back(box: Sandbox, variant: str) -> None:
    VARIANTS[variant](box)
    before = box.tree()
    migrate_here(box)
    config = _config(box)
    assert config["pins"]["pipx"]["aider-chat"] == "0.86.1"
    assert "claude" in config["tools"]
    if variant == "unknown keys":
        carried = config["legacy"]["carried"]["AI_MANGER/config/toolstack.config.json"]
        assert carried["FancyNewThing"] == {"x": 1}
        report = next((box.root / "reports").glob("migration-*.md")).read_text("utf-8")
        assert "`FancyNewThing`" in report
    if variant == "npm ranges":
        assert config["pins"]["npm"]["@anthropic-ai/claude-code"] == "^2.0.31"
        assert config["pins"]["npm"]["eslint"] == "~9.39.0"
    assert box.legacy_config.read_bytes() == before["AI_MANGER/config/toolstack.config.json"][2]
    assert keyring_here() == {"OPENAI_API_KEY": box.env["OPENAI_API_KEY"]}
    rollback_here(box)
    assert box.tree() == before
    assert keyring_here() == {}


def test_undecryptable_vault_falls_back_to_the_environment(
        box: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp-from-env-1")
    lines = migrate_here(box)
    assert "secret GITHUB_TOKEN: migrated (environment)" in lines
    assert "secret ANTHROPIC_API_KEY: could not decrypt" in lines
    assert keyring_here() == {"OPENAI_API_KEY": box.env["OPENAI_API_KEY"],
                              "GITHUB_TOKEN": "ghp-from-env-1"}
    report = json.loads(next((box.root / "reports").glob("migration-*.json")).read_text())
    outcomes = {o["name"]: (o["status"], o["source"]) for o in report["secrets"]}
    assert outcomes["GITHUB_TOKEN"] == ("migrated", "environment")
    assert outcomes["ANTHROPIC_API_KEY"] == ("could not decrypt", "")
    rollback_here(box)
    assert keyring_here() == {}


USER_CONFIG = {"version": 1,
               "pins": {"pipx": {"aider-chat": "0.86.1", "httpie": "3.2.4"}},
               "packages": {"pipx": ["httpie", "aider-chat"]},
               "health": {"required_commands": ["git"], "min_free_mb": 100}}


def _with_user_config(box: Sandbox, pin: str) -> bytes:
    data = json.loads(json.dumps(USER_CONFIG))
    data["pins"]["pipx"]["aider-chat"] = pin
    raw = (json.dumps(data, indent=2) + "\n").encode("utf-8")
    (box.root / "aim_config.json").write_bytes(raw)
    return raw


def test_existing_config_keeps_user_values(box: Sandbox) -> None:
    raw = _with_user_config(box, "0.86.1")
    before = box.tree()
    migrate_here(box)
    config = _config(box)
    assert config["health"] == USER_CONFIG["health"]
    assert config["pins"]["pipx"]["httpie"] == "3.2.4"
    assert config["packages"]["pipx"][:2] == ["httpie", "aider-chat"]
    assert "ruff" in config["packages"]["pipx"]
    rollback_here(box)
    assert (box.root / "aim_config.json").read_bytes() == raw
    assert box.tree() == before


def test_conflicting_pin_stops_naming_both_values_unless_prefer(box: Sandbox) -> None:
    _with_user_config(box, "0.80.0")
    before = box.tree()
    message = assert_clean_error(box.migrate(), 2)
    assert "pins.pipx.aider-chat" in message and "0.80.0" in message and "0.86.1" in message
    assert "--prefer" in message
    assert box.tree() == before and box.entries() == {}
    migrate_here(box, prefer="current")
    assert _config(box)["pins"]["pipx"]["aider-chat"] == "0.80.0"
    rollback_here(box)
    assert box.tree() == before
    migrate_here(box, prefer="legacy")
    assert _config(box)["pins"]["pipx"]["aider-chat"] == "0.86.1"
