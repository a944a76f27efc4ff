"""The secret operations the CLI offers, each written to the audit trail (name and operation,
never the value)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aim.audit.trail import open_trail
from aim.errors import InputError, NotFound
from aim.secrets.configured import known_names
from aim.secrets.names import SecretName, check_name
from aim.secrets.store import SecretStore
from aim.workspace import Workspace

SHELLS = ("sh", "fish", "powershell")


@dataclass(frozen=True)
class SecretStatus:
    """Whether a known secret name has a value in the keyring (never the value itself)."""

    name: str
    env: str
    present: bool

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "env": self.env, "present": self.present}


def audit_access(ws: Workspace, operation: str, names: Iterable[str],
                 service: str | None = None) -> None:
    """Append a ``secret_access`` event for each of ``names``: which secret (of which
    service, when not 'aim'), which operation; through one opened trail."""
    extra = {"service": service} if service else {}
    with open_trail(ws) as log:
        for name in names:
            log.append("secret_access", details={"name": name, "operation": operation, **extra})


def set_secret(ws: Workspace, name: str, value: str, store: SecretStore | None = None) -> None:
    """Store ``value`` under ``name`` in the keyring."""
    check_name(name)
    if not value:
        raise InputError(f"secret {name}: the value is empty; nothing was stored")
    (store or SecretStore()).set(name, value)
    audit_access(ws, "set", [name])


def get_secret(ws: Workspace, name: str, store: SecretStore | None = None) -> str:
    """The value of ``name``; NotFound when the keyring has none."""
    value = (store or SecretStore()).get(check_name(name))
    audit_access(ws, "get", [name])
    if value is None:
        raise NotFound(f"secret {name} is not in the keyring (service 'aim'); set it with "
                       f"'aim secrets.set {name}'")
    return value


def delete_secret(ws: Workspace, name: str, store: SecretStore | None = None) -> bool:
    """Remove ``name`` from the keyring; False when it was not there."""
    removed = (store or SecretStore()).delete(check_name(name))
    audit_access(ws, "delete", [name])
    return removed


def secret_status(ws: Workspace, extra: list[str],
                  store: SecretStore | None = None) -> list[SecretStatus]:
    """Each known name (aim_config.json's ``secrets``, then ``extra``): present or missing."""
    store = store or SecretStore()
    rows = [SecretStatus(ref.name, ref.env, store.get(ref.name) is not None)
            for ref in known_names(ws.root, extra)]
    audit_access(ws, "list", [row.name for row in rows])
    return rows


def export_lines(ws: Workspace, extra: list[str], shell: str = "sh",
                 store: SecretStore | None = None) -> tuple[list[str], list[str]]:
    """Shell lines that set each known secret's variable, and the names that have no value."""
    if shell not in SHELLS:
        raise InputError(f"--shell {shell!r}: use one of {', '.join(SHELLS)}")
    store = store or SecretStore()
    lines, missing = [], []
    refs = known_names(ws.root, extra)
    for ref in refs:
        value = store.get(ref.name)
        if value is None:
            missing.append(ref.name)
        else:
            lines.append(export_line(ref, value, shell))
    audit_access(ws, "export", [ref.name for ref in refs])
    return lines, missing


def export_line(ref: SecretName, value: str, shell: str) -> str:
    """One assignment of ``value`` to ``ref.env``, quoted for ``shell``."""
    if shell == "fish":
        quoted = value.replace("\\", "\\\\").replace("'", "\\'")
        return f"set -gx {ref.env} '{quoted}'"
    if shell == "powershell":
        quoted = value.replace("'", "''")
        return f"$env:{ref.env} = '{quoted}'"
    quoted = value.replace("'", "'\"'\"'")  # close, a quoted ', reopen: POSIX sh has no escape
    return f"export {ref.env}='{quoted}'"
