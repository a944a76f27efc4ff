"""The fleet inventory (``fleet.yaml``): loaded safely, checked against its schema, frozen.

Every problem is reported as ``fleet.yaml:LINE: key.path: what is wrong`` (all of them at
once, like a workflow file), and nothing runs on any host before the inventory is clean.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aim.errors import InputError
from aim.schema_errors import Problem, Problems, add_schema_problems, did_you_mean, explain_common
from aim.yamlio import KeyPath, LineMap, YamlError, load_yaml

DEFAULT_FILE = "fleet.yaml"
DEFAULT_AIM = "aim"
DOCS = "see docs/fleet.md for the inventory format"
PORT = re.compile(r"^(?:[^@\s]+@)?(?:\[[^\]]+\]|[^:@\s]+)(?::(?P<port>[^:]*))?$")


class InventoryError(InputError):
    """A fleet inventory that cannot be read or does not validate (exit 2)."""


@dataclass(frozen=True)
class Host:
    """One host: where to reach it, its workspace, how AIM+ runs there, its variables."""

    name: str
    ssh: str
    root: str
    aim: str = DEFAULT_AIM
    env: tuple[tuple[str, str], ...] = ()
    line: int = 0

    @property
    def environment(self) -> dict[str, str]:
        return dict(self.env)


@dataclass(frozen=True)
class Inventory:
    """A validated inventory: hosts in file order, groups, the secret names to push."""

    path: Path
    hosts: tuple[Host, ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    secrets: tuple[str, ...] = ()
    secret_lines: tuple[int, ...] = ()  # the line of each name of ``secrets``, for messages

    @property
    def group_map(self) -> dict[str, tuple[str, ...]]:
        return dict(self.groups)

    def host(self, name: str) -> Host:
        return next(h for h in self.hosts if h.name == name)


def load_inventory(path: Path) -> Inventory:
    """Read, validate and freeze the inventory at ``path``; InventoryError lists every problem."""
    data, lines = _read(path)
    problems = Problems(path, lines, InventoryError, f"Nothing was run on any host; {DOCS}.")
    add_schema_problems(data, "fleet.schema.json", explain, problems)
    problems.raise_if_any()
    _check_references(data, problems)
    problems.raise_if_any()
    return _freeze(path, data, lines)


def _read(path: Path) -> tuple[dict[str, Any], LineMap]:
    try:
        data, lines = load_yaml(path)
    except FileNotFoundError:
        raise InventoryError(f"{path}: no fleet inventory here; write one (version: 1, hosts: "
                             f"a list of name, ssh, root) or name it with --inventory FILE; "
                             f"{DOCS}") from None
    except YamlError as err:
        raise InventoryError(f"{path}:{err.line}: {err}; fix the YAML ({DOCS})") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InventoryError(f"{path}: cannot read the inventory ({err})") from None
    if not isinstance(data, dict):
        raise InventoryError(f"{path}:1: an inventory is a mapping with 'version: 1' and "
                             f"'hosts:'; {DOCS}")
    return data, lines


def explain(error: Any) -> list[Problem]:
    """(key path, message) pairs for one schema error of an inventory."""
    common = explain_common(error)
    if common is not None:
        return common
    path: KeyPath = tuple(error.absolute_path)
    validator, expected, instance = error.validator, error.validator_value, error.instance
    if validator == "pattern":
        return [(path, f"{instance!r} is not allowed here: it must match {expected}")]
    if validator == "minItems":
        return [(path, f"needs at least {expected} item(s)")]
    if validator == "minLength":
        return [(path, "must not be empty")]
    if validator == "uniqueItems":
        return [(path, "names an item twice; give each once")]
    return [(path, str(error.message))]


def _check_references(data: Mapping[str, Any], problems: Problems) -> None:
    """Unique names, groups that name hosts, a root for every host, ports, no secret in env."""
    seen: dict[str, int] = {}
    has_root = "root" in data.get("defaults", {})
    secrets = set(data.get("secrets", []))
    for index, host in enumerate(data["hosts"]):
        name = host["name"]
        if name in seen:
            problems.add(("hosts", index, "name"), f"host {name!r} is already hosts[{seen[name]}]"
                         "; give each host its own name")
        seen.setdefault(name, index)
        if "root" not in host and not has_root:
            problems.add(("hosts", index), "missing required key 'root' (the workspace on "
                         "that host), and there is no defaults.root")
        _check_ssh(host["ssh"], ("hosts", index, "ssh"), problems)
        for key in secrets & set(host.get("env", {})):
            problems.add(("hosts", index, "env", key), "is a secret named in 'secrets:'; "
                         "secrets travel on stdin only, never in env: remove it here")
    for group, members in data.get("groups", {}).items():
        if group in seen:
            problems.add(("groups", group), f"{group!r} is also a host name; rename the group")
        for position, member in enumerate(members):
            if member not in seen:
                problems.add(("groups", group, position), f"no host named {member!r}"
                             f"{did_you_mean(member, seen)}; hosts: {', '.join(seen)}")


def _check_ssh(destination: str, where: KeyPath, problems: Problems) -> None:
    match = PORT.match(destination)
    port = match.group("port") if match else None
    if match is None:
        problems.add(where, f"{destination!r} is not an SSH destination: write user@host:port "
                     "(user and port optional) or a Host alias of ~/.ssh/config")
    elif port is not None and not (port.isdigit() and 0 < int(port) < 65536):
        problems.add(where, f"port {port!r} of {destination!r} is not a port number (1-65535)")


def _freeze(path: Path, data: Mapping[str, Any], lines: LineMap) -> Inventory:
    defaults = data.get("defaults", {})
    hosts = tuple(_host(raw, defaults, lines.line(("hosts", index)))
                  for index, raw in enumerate(data["hosts"]))
    groups = tuple((name, tuple(dict.fromkeys(members)))
                   for name, members in data.get("groups", {}).items())
    names = tuple(data.get("secrets", []))
    return Inventory(path, hosts, groups, names,
                     tuple(lines.line(("secrets", i)) for i in range(len(names))))


def _host(raw: Mapping[str, Any], defaults: Mapping[str, Any], line: int) -> Host:
    env = {**defaults.get("env", {}), **raw.get("env", {})}
    pairs = tuple((key, _text(value)) for key, value in env.items())
    return Host(raw["name"], raw["ssh"], str(raw.get("root") or defaults["root"]),
                str(raw.get("aim") or defaults.get("aim") or DEFAULT_AIM), pairs, line)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)
