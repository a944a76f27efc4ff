"""The secret names a workspace knows: the ``secrets`` section of its aim_config.json.

Only names (and the environment variable each feeds) are read here, never values.  This reads
the JSON directly; once the config loader is in place it can be swapped for
``AimConfig.secrets`` without changing callers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from aim.errors import ConfigError, InputError

CONFIG_FILE = "aim_config.json"
NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")


@dataclass(frozen=True)
class SecretName:
    """A secret's keyring name and the environment variable it is exported as."""

    name: str
    env: str


def check_name(name: str, where: str = "secret name") -> str:
    """``name`` if it can be a keyring name and a shell variable; InputError otherwise."""
    if not NAME_PATTERN.fullmatch(name):
        raise InputError(f"{where} {name!r}: use letters, digits and '_' (not starting with a "
                         "digit, at most 128), e.g. OPENAI_API_KEY")
    return name


def configured_names(root: Path) -> list[SecretName]:
    """The names in ``root/aim_config.json``'s ``secrets`` section ([] without the file)."""
    path = root / CONFIG_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return []
    except json.JSONDecodeError as err:
        raise ConfigError(f"{path}:{err.lineno}:{err.colno}: not valid JSON ({err.msg}); "
                          "fix the file (see 'aim validate')") from err
    section = data.get("secrets", {}) if isinstance(data, dict) else {}
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: 'secrets' must be an object of secret names")
    return [SecretName(check_name(name, f"{path}: secrets.{name}:"),
                       _env_of(path, name, entry)) for name, entry in section.items()]


def _env_of(path: Path, name: str, entry: object) -> str:
    env = entry.get("env", name) if isinstance(entry, dict) else name
    return check_name(str(env), f"{path}: secrets.{name}.env:")


def known_names(root: Path, extra: list[str]) -> list[SecretName]:
    """The configured names, then any ``extra`` ones (each once, config first)."""
    names = configured_names(root)
    seen = {n.name for n in names}
    for name in extra:
        if check_name(name) not in seen:
            names.append(SecretName(name, name))
            seen.add(name)
    return names
