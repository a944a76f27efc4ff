"""Writing aim_config.json: validated first, key order kept, atomic, never half-written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aim.config.load import default_data, load_data
from aim.config.write import write_config
from aim.errors import ConfigError
from tests.config.cfgutil import small


def test_write_keeps_key_order_and_two_space_json(tmp_path: Path) -> None:
    path = tmp_path / "aim_config.json"
    data = default_data()
    reordered = {"version": 1, **{k: v for k, v in reversed(data.items()) if k != "version"}}
    write_config(path, reordered)
    text = path.read_text("utf-8")
    assert text == json.dumps(reordered, indent=2, ensure_ascii=False) + "\n"
    assert list(load_data(path)) == list(reordered)
    assert list(load_data(path)["tools"]) == ["aider", "claude", "codex", "gemini", "copilot"]


def test_invalid_data_leaves_the_old_file_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "aim_config.json"
    write_config(path, small())
    path.chmod(0o600)
    before = path.read_bytes()
    bad = small()
    bad["capabilities"]["code-edit"]["primary"] = "cloud"
    with pytest.raises(ConfigError) as caught:
        write_config(path, bad)
    assert str(caught.value) == (
        f"{path}: capabilities.code-edit.primary: no tool 'cloud' in tools (did you mean "
        "'claude'?); name a tool from the registry or add it under tools (not written)")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aim_config.json"]


def test_a_secret_value_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "aim_config.json"
    data = small()
    # a made-up token in GitHub's format (a canary: never issued, works nowhere)
    data["deploy"] = {"test_command": "curl -H 'Authorization: ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4'"}
    with pytest.raises(ConfigError, match=r"deploy\.test_command: this looks like a secret"):
        write_config(path, data)
    assert not path.exists()


def test_write_keeps_the_file_mode_and_replaces_in_one_step(tmp_path: Path) -> None:
    path = tmp_path / "aim_config.json"
    write_config(path, small())
    path.chmod(0o640)
    inode = path.stat().st_ino
    data = small()
    data["reports_dir"] = "out"
    write_config(path, data)
    assert path.stat().st_mode & 0o777 == 0o640
    assert path.stat().st_ino != inode  # a new file renamed over the old one, not rewritten
    assert load_data(path)["reports_dir"] == "out"
