"""The secret names a workspace knows: the ``secrets`` section of its aim_config.json.

Only names (and the environment variable each feeds) are read here, never values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from aim.errors import InputError

CONFIG_FILE = "aim_config.json"
NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")


@dataclass(frozen=True)
class SecretName:
    """A secret's keyring name and the environment variable it is exported as."""

    name: str
    env: str


def check_name(name: str, where: str = "secret name") -> str:
    """``name`` if it can be a keyring name and a shell variable; InputError otherwise."""
    if name.startswith("-"):  # invoke takes a flag after a positional task argument as the value
        raise InputError(f"{name!r} is not a secret name: give the name first, e.g. 'aim "
                         "secrets.set OPENAI_API_KEY'; for a task's help run 'aim --help TASK'")
    if not NAME_PATTERN.fullmatch(name):
        raise InputError(f"{where} {name!r}: use letters, digits and '_' (not starting with a "
                         "digit, at most 128), e.g. OPENAI_API_KEY")
    return name


def configured_names(root: Path) -> list[SecretName]:
    """The names in ``root/aim_config.json``'s ``secrets`` section ([] without the file).

    The config is validated on the way (ConfigError names file, line and key path).
    """
    from aim.config.load import load_file

    path = root / CONFIG_FILE
    if not path.is_file():
        return []
    return [SecretName(ref.name, ref.env) for ref in load_file(path).secrets.values()]


def known_names(root: Path, extra: list[str]) -> list[SecretName]:
    """The configured names, then any ``extra`` ones (each once, config first)."""
    names = configured_names(root)
    seen = {n.name for n in names}
    for name in extra:
        if check_name(name) not in seen:
            names.append(SecretName(name, name))
            seen.add(name)
    return names
