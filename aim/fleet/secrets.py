"""The secrets a fleet command pushes: read from the controller's keyring, sent on stdin.

Values are read with :class:`~aim.secrets.store.SecretStore` (so the redaction filter knows
them at once) and become one JSON object, the stdin of each host's ``aim migrate|deploy
--secrets-from stdin``.  They are never put on a command line, in the environment of a remote
command, in the fleet journal or in any output.
"""

from __future__ import annotations

import json
from typing import Any

from aim.errors import InputError
from aim.fleet.inventory import Inventory
from aim.secrets.store import SecretStore


def read_values(inventory: Inventory, store: Any = None) -> dict[str, str]:
    """``{name: value}`` for every name of the inventory's ``secrets:``; InputError names a
    secret this machine's keyring does not hold."""
    if not inventory.secrets:
        return {}
    if store is None:
        store = SecretStore()
    values: dict[str, str] = {}
    for index, name in enumerate(inventory.secrets):
        value = store.get(name)
        if value is None:
            line = inventory.secret_lines[index] if inventory.secret_lines else 1
            raise InputError(f"{inventory.path}:{line}: secrets[{index}]: {name!r} is not in "
                             "this machine's keyring (service aim), so it cannot be given to "
                             f"the hosts; set it with 'aim secrets.set {name}' or remove it "
                             "from secrets:. Nothing was run on any host")
        values[name] = value
    return values


def payload(values: dict[str, str]) -> bytes:
    """The stdin of a remote ``--secrets-from stdin``: one JSON object (empty: nothing)."""
    return json.dumps(values).encode("utf-8") if values else b""
