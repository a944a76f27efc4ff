"""Checks that use modules of their own: the keyring, the backups.

Those modules are imported when the check runs, so ``aim health`` (and ``aim --help``) stay
fast.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from aim.backup import list_backups, verify_backup
from aim.checks import CheckResult, Status, one_line, result
from aim.errors import AimError, KeyringUnavailable
from aim.health.model import HealthContext
from aim.secrets import SecretStore

PROBE = "aim-health-probe"  # a keyring name nobody sets: reading it exercises the backend


def optional_module(name: str) -> ModuleType | None:
    """The module ``name``, or None when it (not one of its own imports) is missing.

    For code that has a fallback of its own (``aim.health.system.expand``).
    """
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name is not None and (name == err.name or name.startswith(err.name + ".")):
            return None
        raise


def check_keyring(hc: HealthContext) -> CheckResult:
    """The keyring backend answers (through aim.secrets)."""
    try:
        store = SecretStore("aim")
        store.get(PROBE)
    except KeyringUnavailable as err:
        return result("keyring", Status.WARN, "no usable keyring backend: secrets cannot be "
                      "stored or read", str(err))
    backend = getattr(store, "backend_name", None)
    return result("keyring", Status.OK, "keyring backend usable"
                  + (f" ({backend})" if isinstance(backend, str) else ""))


def check_rollback(hc: HealthContext) -> CheckResult:
    """The newest backup under .aim/backups exists and every file in it verifies."""
    folder = hc.ws.backups_dir
    if folder.exists() and not folder.is_dir():
        return result("rollback", Status.FAIL, f"{folder} is not a folder: no backup can be "
                      "made or restored", f"move it away (mv {folder} {folder}.old)")

    try:
        found = list_backups(hc.ws)
    except AimError as err:
        return result("rollback", Status.FAIL, f"the backups cannot be read: {err}",
                      f"move the damaged backup out of {folder}, then run 'aim backup'")
    if not found:
        return result("rollback", Status.WARN, f"no backup yet in {folder}: nothing to restore "
                      "from", "make one with 'aim backup'")
    last = found[-1]
    problems = verify_backup(hc.ws, last.id, last)
    if problems:
        return result("rollback", Status.FAIL, f"the newest backup {last.id} does not verify: "
                      + one_line("; ".join(problems), 300),
                      "make a fresh one with 'aim backup' (the damaged one can be deleted)")
    return result("rollback", Status.OK, f"the newest backup {last.id} verifies "
                  f"({len(last.entries)} entries)")
