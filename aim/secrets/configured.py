"""The secret names a workspace's aim_config.json names, with the variables they export as."""

from __future__ import annotations

from pathlib import Path

from aim.config.load import CONFIG_NAME, load_file
from aim.secrets.names import SecretName, check_name


def configured_names(root: Path) -> list[SecretName]:
    """The names in ``root/aim_config.json``'s ``secrets`` section ([] without the file).

    The config is validated on the way (ConfigError names file, line and key path).
    """
    path = root / CONFIG_NAME
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
