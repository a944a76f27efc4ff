"""Every timeout, interval, size and count has a sane minimum and maximum in the schemas, and
``config.check`` reports a value beyond one with its key path, before any task trips on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aim.config.validate import validate_data
from aim.resources import load_schema
from tests.cli.clitool import aim, assert_clean_error
from tests.config.cfgutil import line_of, small, write_data

SCHEMAS = ("aim_config.schema.json", "workflow.schema.json")
NUMERIC = {"number", "integer"}

OUT_OF_BOUNDS = [
    ("health", "check_timeout", 1e300, "must be at most 3600, not 1e+300"),
    ("health", "check_timeout", 0, "must be more than 0, not 0"),
    ("health", "min_free_mb", 10**30, "must be at most 16777216"),
    ("health", "concurrency", 0, "must be at least 1, not 0"),
    ("scan", "min_size_kb", 10**20, "must be at most 1073741824"),
    ("scan", "max_depth", 10**6, "must be at most 64"),
    ("scan", "time_budget", 1e300, "must be at most 3600"),
    ("audit", "max_bytes", 2**62, "must be at most 1073741824"),
    ("audit", "keep", 0, "must be at least 1, not 0"),
    ("audit", "keep", 10**9, "must be at most 1000"),
]


def numeric_keys(schema: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(key path, sub-schema) of every number or integer, at any depth (``$defs`` too)."""
    types = schema.get("type")
    if NUMERIC.intersection([types] if isinstance(types, str) else types or []):
        yield path, schema
    for key, sub in {**schema.get("properties", {}), **schema.get("$defs", {})}.items():
        yield from numeric_keys(sub, f"{path}.{key}" if path else key)
    for sub in (schema.get("additionalProperties"), schema.get("items")):
        if isinstance(sub, dict):
            yield from numeric_keys(sub, f"{path}.*")


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_number_in_the_schemas_has_a_minimum_and_a_maximum(name: str) -> None:
    found = list(numeric_keys(load_schema(name)))
    assert found
    for path, sub in found:
        assert "minimum" in sub or "exclusiveMinimum" in sub, path
        assert "maximum" in sub, path


@pytest.mark.parametrize(("section", "key", "value", "expected"), OUT_OF_BOUNDS)
def test_a_value_out_of_bounds_is_named_with_its_key_path(section: str, key: str, value: Any,
                                                         expected: str) -> None:
    data = small()
    data[section] = {key: value}
    problems = validate_data(data, "aim_config.json")
    assert len(problems) == 1 and f"{section}.{key}: " in problems[0], problems
    assert expected in problems[0]


def test_a_huge_check_timeout_fails_config_check_and_status_does_not_crash(
        tmp_path: Path) -> None:
    data = small()
    data["health"] = {"check_timeout": 1e300}
    ws = write_data(tmp_path / "ws", data)
    message = assert_clean_error(aim("config.check", "--root", str(ws.root)), 2)
    line = line_of(ws, '"check_timeout"')
    assert (f"aim_config.json:{line}: health.check_timeout: must be at most 3600, not "
            "1e+300") in message
    status = aim("status", "--root", str(ws.root), env={"AIM_LOG_DIR": str(tmp_path)})
    assert status.returncode == 0, status.stderr
    assert "health.check_timeout: must be at most 3600, not 1e+300" in status.stdout
    assert not list(tmp_path.glob("aim-crash-*"))


def test_a_step_timeout_of_1e300_is_refused_when_the_workflow_loads(tmp_path: Path) -> None:
    path = tmp_path / "slow.yaml"
    path.write_text("version: 1\nname: slow\nsteps:\n  - id: wait\n    uses: backup.create\n"
                    "    with: {paths: []}\n    timeout: 1.0e+300\n", encoding="utf-8")
    message = assert_clean_error(aim("workflow.check", str(path)), 2)
    assert f"{path}:7: steps[0].timeout: must be at most 86400, not 1e+300" in message
