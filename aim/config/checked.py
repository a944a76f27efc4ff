"""``config``: aim_config.json as a check, the same words in status, health, validate and the
production checklist; with the config itself when it loads, so a command reads it once."""

from __future__ import annotations

from aim.checks import Check, CheckResult, Status, guarded, result
from aim.config.load import config_path, load_config
from aim.config.model import AimConfig
from aim.errors import ConfigError
from aim.workspace import Workspace


def check_config(ws: Workspace) -> tuple[CheckResult, AimConfig | None]:
    """``config``: aim_config.json loads and validates; and the config, when it does."""
    try:
        config = load_config(ws)
    except ConfigError as err:
        fix = ("fix aim_config.json where the message says; 'aim config.check' checks it again"
               if config_path(ws).is_file() else
               "create it with 'aim migrate' (from AI_MANGER) or 'aim config.init'")
        return result("config", Status.FAIL, str(err), fix, title="config validates"), None
    return config_verdict(config), config


def guarded_config(ws: Workspace) -> tuple[CheckResult, AimConfig | None]:
    """:func:`check_config` run as a guarded check (an error in it is its ``fail``)."""
    loaded: list[AimConfig] = []

    def check() -> CheckResult:
        found, config = check_config(ws)
        loaded.extend([config] if config is not None else [])
        return found

    return guarded(Check("config", check)), (loaded[0] if loaded else None)


def config_verdict(config: AimConfig) -> CheckResult:
    """``config`` for a config that loaded."""
    return result("config", Status.OK, f"aim_config.json is valid: {len(config.tools)} tools, "
                  f"{len(config.capabilities)} capabilities, {len(config.secrets)} secret names",
                  title="config validates")
