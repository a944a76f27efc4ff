"""Find and read an AI_MANGER install: ``AI_MANGER/config/toolstack.config.json``.

The file may be UTF-8 (with or without BOM) or UTF-16, with CRLF or LF.  What each key becomes
is the mapping's business (:mod:`aim.legacy.mapping`), which keeps every value.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aim.errors import InputError, NotFound, UnsafePath
from aim.legacy.textfile import DecodedText, read_json
from aim.workspace import LEGACY_DIR, under

CONFIG_RELATIVE = Path("config") / "toolstack.config.json"


@dataclass(frozen=True)
class LegacyInstall:
    """A read, type-checked legacy config."""

    dir: Path
    config_path: Path
    config: Mapping[str, Any]
    stored: DecodedText


def legacy_base(root: Path, legacy: str | None = None) -> Path:
    """The legacy folder (or file) ``legacy`` names: an absolute path is taken as it is (it is
    only read); a relative one, the default ``AI_MANGER`` too, must stay inside ``root`` with
    its symlinks followed (a deploy writes there), else UnsafePath."""
    given = legacy or LEGACY_DIR
    if os.path.isabs(given):
        return Path(given)
    try:
        return under(root, given)
    except UnsafePath as err:
        raise UnsafePath(f"the legacy folder {err} (to only read a legacy install that lives "
                         "elsewhere, remove the link and give the install's absolute path "
                         "with --legacy)") from None


def find_config(root: Path, legacy: str | None = None) -> Path:
    """The legacy config file under ``root`` (or at/under ``legacy``); NotFound says where
    it looked."""
    base = legacy_base(root, legacy)
    candidates = [base] if base.is_file() else [base / CONFIG_RELATIVE,
                                                base / CONFIG_RELATIVE.name]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise NotFound(f"no AI_MANGER config found: looked for {candidates[0]}; give the legacy "
                   "folder with --legacy DIR")


def read_legacy(root: Path, legacy: str | None = None) -> LegacyInstall:
    """Read the legacy install of the workspace ``root``; InputError unless it is a JSON
    object (any value inside is read as it is: the mapping decides what fits)."""
    path = find_config(root, legacy)
    config, stored = read_json(path, "the AI_MANGER config")
    if not isinstance(config, dict):
        raise InputError(f"{path}: the AI_MANGER config must be a JSON object {{\"Key\": value, "
                         f"...}}, not {type(config).__name__}; point --legacy at the right "
                         "file; nothing was changed")
    legacy_dir = path.parent.parent if path.parent.name == "config" else path.parent
    return LegacyInstall(legacy_dir, path, config, stored)
