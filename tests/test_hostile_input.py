"""Hostile or broken YAML and JSON files are bad input (exit 2, file, line and limit named),
never a crash, a hang or a machine out of memory.

Each CLI case runs ``aim`` in a subprocess whose address space is capped at 1 GiB, so that a
regression fails fast (MemoryError, exit 3) instead of taking the machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from aim.limits import MAX_ALIASES, MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES
from aim.yamlio import YamlError, parse_yaml
from tests.cli.clitool import assert_clean_error
from tests.config.cfgutil import small, write_data, write_text
from tests.migration.migutil import Sandbox, sandbox

MEMORY_CAP = 1024 * 1024 * 1024

# The classic "billion laughs" in 424 bytes: 9 levels of 9 aliases, 9**9 strings expanded.
ALIAS_BOMB = "".join(
    ["a: &a [" + ",".join(['"lol!!"'] * 9) + "]\n"]
    + [f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
       for prev, name in zip("abcdefgh", "bcdefghi", strict=True)]
)
# Under the alias limit (6 levels of 7 aliases), still 7**7 values once expanded.
WIDE_TREE = "".join(
    [f"a: &a [{', '.join(['x'] * 7)}]\n"]
    + [f"{name}: &{name} [{', '.join([f'*{prev}'] * 7)}]\n"
       for prev, name in zip("abcdef", "bcdefg", strict=True)]
)


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def aim(*args: str, cwd: Path, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    """``python -m aim ARGS`` with at most 1 GiB of memory and a 60 s deadline."""
    full = {**os.environ, "AIM_KEYRING": "memory", "AIM_LOG_DIR": str(cwd), **(env or {})}
    return subprocess.run([sys.executable, "-m", "aim", *args], capture_output=True,
                          text=True, cwd=cwd, env=full, timeout=60, preexec_fn=_cap_memory)


def migrate_dry_run(box: Sandbox) -> subprocess.CompletedProcess[str]:
    """``aim migrate --dry-run`` of the sandbox, under the same caps."""
    return aim("migrate", "--vault", str(box.root / "vault" / "vault.json"), "--dry-run",
               "--root", str(box.root), cwd=box.root.parent,
               env={"AIM_KEYRING": f"sandbox:{box.keyring}", **box.env})


def workflow_file(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def deep_yaml(levels: int) -> str:
    return "version: 1\nname: deep\nvars:\n" + "".join(
        "  " * (1 + i) + f"k{i}:\n" for i in range(levels)) + "  " * (1 + levels) + "end: 1\n"


def deep_json(levels: int) -> str:
    return '{"version": 1, "audit": {"notify": ' + '{"a": ' * levels + "1" + "}" * levels + "}}"


def test_the_alias_bomb_is_424_bytes_and_refused_at_once() -> None:
    assert len(ALIAS_BOMB.encode()) == 424
    started = time.perf_counter()
    with pytest.raises(YamlError, match=f"more than {MAX_ALIASES} aliases") as caught:
        parse_yaml(ALIAS_BOMB)
    assert time.perf_counter() - started < 0.25
    assert caught.value.line == 7  # the line of the alias one over the limit


def test_an_alias_tree_under_the_alias_limit_stops_at_the_node_limit() -> None:
    started = time.perf_counter()
    with pytest.raises(YamlError, match=f"more than {MAX_NODES} values"):
        parse_yaml(WIDE_TREE)
    # Expanded, the tree would take minutes and gigabytes; stopped at the limit, a moment (the
    # bound is loose so that a busy machine cannot fail it).
    assert time.perf_counter() - started < 5


def test_an_alias_bomb_workflow_exits_2_naming_file_line_and_limit(tmp_path: Path) -> None:
    path = workflow_file(tmp_path, ALIAS_BOMB)
    message = assert_clean_error(aim("workflow.check", str(path), cwd=tmp_path), 2)
    assert f"{path}:7: more than {MAX_ALIASES} aliases" in message


def test_a_workflow_nested_too_deep_exits_2(tmp_path: Path) -> None:
    path = workflow_file(tmp_path, deep_yaml(MAX_DEPTH + 5))
    message = assert_clean_error(aim("workflow.check", str(path), cwd=tmp_path), 2)
    assert f"{path}:{MAX_DEPTH + 3}: nested deeper than {MAX_DEPTH} levels" in message


def test_a_flow_list_nested_thousands_deep_exits_2(tmp_path: Path) -> None:
    path = workflow_file(tmp_path, "version: 1\nvars: {x: " + "[" * 100_000 + "\n")
    message = assert_clean_error(aim("workflow.check", str(path), cwd=tmp_path), 2)
    assert f"{path}:2: nested deeper than {MAX_DEPTH} levels" in message


def test_a_workflow_at_the_depth_limit_still_loads() -> None:
    data, lines = parse_yaml(deep_yaml(MAX_DEPTH - 2))
    assert data["name"] == "deep" and lines.line(("vars", "k0")) == 4


@pytest.mark.parametrize(("value", "expected"), [
    ("2001-13-45", "cannot read the value '2001-13-45': month must be in 1..12"),
    ("1" * 5000, "Exceeds the limit (4300 digits) for integer string conversion"),
    (".nan", "'.nan' is not a finite number"),
])
def test_a_value_python_cannot_hold_exits_2_with_its_line(tmp_path: Path, value: str,
                                                           expected: str) -> None:
    path = workflow_file(tmp_path, f"version: 1\nname: odd\nvars:\n  when: {value}\n")
    message = assert_clean_error(aim("workflow.check", str(path), cwd=tmp_path), 2)
    assert f"{path}:4: " in message and expected in message


def test_an_alias_bomb_in_aim_yaml_exits_2_before_any_task(tmp_path: Path) -> None:
    (tmp_path / "aim.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    message = assert_clean_error(aim("status", cwd=tmp_path), 2)
    assert f"{tmp_path / 'aim.yaml'}:7: more than {MAX_ALIASES} aliases" in message


def test_a_broken_aim_yaml_exits_2_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "aim.yaml").write_text("root: [\n", encoding="utf-8")
    message = assert_clean_error(aim("config.check", cwd=tmp_path), 2)
    assert f"{tmp_path / 'aim.yaml'}:2: invalid YAML" in message


def test_aim_yaml_and_aim_json_still_name_the_root(tmp_path: Path) -> None:
    ws = write_data(tmp_path / "ws", small())
    (tmp_path / "aim.yaml").write_text(f"root: {ws.root}\n", encoding="utf-8")
    result = aim("config.check", cwd=tmp_path)
    assert result.returncode == 0 and str(ws.root) in result.stdout, result.stderr
    (tmp_path / "aim.yaml").unlink()
    (tmp_path / "aim.json").write_text(json.dumps({"root": str(ws.root)}), encoding="utf-8")
    result = aim("config.check", cwd=tmp_path)
    assert result.returncode == 0 and str(ws.root) in result.stdout, result.stderr


def test_a_config_nested_too_deep_exits_2_with_its_line(tmp_path: Path) -> None:
    ws = write_text(tmp_path / "ws", deep_json(5000))
    message = assert_clean_error(aim("config.check", "--root", str(ws.root), cwd=tmp_path), 2)
    assert f"aim_config.json:1: nested deeper than {MAX_DEPTH} levels" in message


def test_a_config_at_the_depth_limit_is_checked_as_usual(tmp_path: Path) -> None:
    ws = write_text(tmp_path / "ws", deep_json(MAX_DEPTH - 2))  # 50 levels in all
    result = aim("config.check", "--root", str(ws.root), cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("text", "expected"), [
    ('{"version": 1,\n "health": {"check_timeout": NaN}}', ":2: NaN is not a JSON number"),
    ('{"version": 1,\n "scan": {"time_budget": Infinity}}', ":2: Infinity is not a JSON number"),
    ('{"version": 1, "scan": {"min_size_kb": ' + "9" * 5000 + "}}", "cannot read a number"),
])
def test_numbers_json_does_not_have_exit_2(tmp_path: Path, text: str, expected: str) -> None:
    ws = write_text(tmp_path / "ws", text)
    message = assert_clean_error(aim("config.check", "--root", str(ws.root), cwd=tmp_path), 2)
    assert f"{ws.root / 'aim_config.json'}" in message and expected in message


def test_a_config_over_the_size_limit_exits_2_naming_the_limit(tmp_path: Path) -> None:
    ws = write_data(tmp_path / "ws", small())
    with open(ws.root / "aim_config.json", "ab") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    message = assert_clean_error(aim("config.check", "--root", str(ws.root), cwd=tmp_path), 2)
    assert f"{ws.root / 'aim_config.json'}: the file is larger than 8 MiB" in message


def test_a_legacy_config_nested_too_deep_exits_2_and_changes_nothing(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    box.legacy_config.write_text('{"PipxApps": ' + "[" * 3000 + "]" * 3000 + "}",
                                 encoding="utf-8")
    before = box.tree()
    message = assert_clean_error(migrate_dry_run(box), 2)
    assert f"{box.legacy_config}:1: nested deeper than {MAX_DEPTH} levels" in message
    assert box.tree() == before


def test_an_alias_bomb_in_the_first_generation_settings_exits_2(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    settings = box.root / "config" / "aim_config.yaml"
    settings.parent.mkdir()
    settings.write_text(ALIAS_BOMB, encoding="utf-8")
    started = time.perf_counter()
    message = assert_clean_error(migrate_dry_run(box), 2)
    assert time.perf_counter() - started < 30
    assert f"{settings}:7: " in message and f"more than {MAX_ALIASES} aliases" in message


def test_a_first_generation_registry_nested_too_deep_exits_2(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    registry = box.root / "aim" / "config" / "aim_config.json"
    registry.parent.mkdir(parents=True)
    registry.write_text(textwrap.dedent("""\
        {"tools": {},
         "notes": """) + "[" * 2000 + "]" * 2000 + "}", encoding="utf-8")
    message = assert_clean_error(migrate_dry_run(box), 2)
    assert f"{registry}:2: nested deeper than {MAX_DEPTH} levels" in message
