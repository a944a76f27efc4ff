"""The bodies of the tasks declared in :mod:`aim.cli.secret_tasks`."""

from __future__ import annotations

import getpass
import json as jsonlib
import sys
from typing import TYPE_CHECKING, Any

from aim.cli import render
from aim.cli.common import workspace
from aim.secrets.ops import delete_secret, export_lines, get_secret, secret_status, set_secret
from aim.workflow.defaults import secret_store
from aim.workflow.lock import WorkspaceLock
from aim.workflow.secret_prune import list_copies, prune_copies

if TYPE_CHECKING:
    from aim.workflow.secret_prune import CopyStatus
    from aim.workspace import Workspace


def _names(names: str | None) -> list[str]:
    return [n.strip() for n in (names or "").split(",") if n.strip()]


def _reveal(text: str) -> None:
    """Print a secret value on purpose: the only output that bypasses redaction."""
    sys.stdout.write(text + "\n")


def _read_value(name: str) -> str:
    """The value from a hidden prompt, or from stdin when it is not a terminal."""
    if sys.stdin.isatty():
        return getpass.getpass(f"value for {name} (hidden): ")
    raw = sys.stdin.read()
    return raw[:-1] if raw.endswith("\n") else raw  # one trailing newline is the line's end


def set_(c: Any, name: str, root: str | None = None, dry_run: bool = False,
         json: bool = False) -> None:
    """Store a secret in the keyring (value from a hidden prompt or stdin, never a flag)."""
    result = {"name": name, "dry_run": dry_run}
    if not dry_run:
        value, ws = _read_value(name).removesuffix("\r"), workspace(c, root)
        with WorkspaceLock(ws, f"aim secrets.set {name}"):  # not in the middle of a run
            set_secret(ws, name, value)
    if json:
        render.emit_json(result)
    else:
        render.say(f"{'would store' if dry_run else 'stored'} {name} in the keyring")


def get(c: Any, name: str, root: str | None = None, reveal: bool = False,
        json: bool = False) -> None:
    """Say whether a secret is set; print its value only with --reveal."""
    value = get_secret(workspace(c, root), name)
    if json:
        data = {"name": name, "present": True, "value": value if reveal else "***"}
        _reveal(jsonlib.dumps(data, indent=2)) if reveal else render.emit_json(data)
    elif reveal:
        _reveal(value)
    else:
        render.say(f"{name} is set (value hidden; add --reveal to print it)")


def list_(c: Any, root: str | None = None, names: str | None = None, all: bool = False,
          json: bool = False) -> None:
    """List the known secret names and whether each is in the keyring (names only)."""
    ws = workspace(c, root)
    rows = secret_status(ws, _names(names))
    copies = _copies(ws) if all else []
    if json:
        data = [row.to_dict() for row in rows]
        render.emit_json({"secrets": data, "copies": [s.to_dict() for s in copies]} if all
                         else data)
        return
    if not rows:
        render.say("no secret names: add them to aim_config.json's 'secrets' or pass --names")
    else:
        render.say(render.table(["NAME", "ENV", "STATUS"],
                                [[r.name, r.env, "present" if r.present else "missing"]
                                 for r in rows]))
    if all:
        render.say("")
        render.say(_copies_table(copies))


def _copies(ws: Workspace) -> list[CopyStatus]:
    return list_copies(ws, secret_store)


def _copies_table(copies: list[CopyStatus]) -> str:
    """The copies runs keep, one row each: where, whose, and whether it could be pruned."""
    if not copies:
        return "no copies of old values are kept for rollbacks"
    lines = [[s.copy.service, s.copy.slot, s.copy.name,
              (f"prunable: {s.prunable}" if s.prunable else "kept for its rollback")
              + ("" if s.present else " (not in the keyring)")] for s in copies]
    return render.table(["SERVICE", "SLOT", "SECRET", "STATUS"], lines)


def prune(c: Any, root: str | None = None, run: str | None = None, all: bool = False,
          dry_run: bool = False, json: bool = False) -> None:
    """Remove the keyring copies of old values that no rollback needs any more."""
    gone = prune_copies(workspace(c, root), secret_store, dry_run=dry_run, run=run,
                        everything=all)
    if json:
        render.emit_json({"dry_run": dry_run, "copies": [copy.to_dict() for copy in gone]})
        return
    verb = "would remove" if dry_run else "removed"
    for copy in gone:
        render.say(f"{verb} {copy.service} {copy.slot}: {copy.released}")
    if not gone:
        render.say("nothing to prune: every kept copy can still serve its run's rollback "
                   "(see 'aim secrets.list --all')")


def delete(c: Any, name: str, root: str | None = None, dry_run: bool = False,
           json: bool = False) -> None:
    """Remove a secret from the keyring."""
    ws = workspace(c, root)
    if dry_run:
        present = any(row.present for row in secret_status(ws, [name]) if row.name == name)
        result = {"name": name, "dry_run": True, "present": present}
        message = f"would delete {name}" if present else f"{name} is not set: nothing to delete"
    else:
        with WorkspaceLock(ws, f"aim secrets.delete {name}"):
            removed = delete_secret(ws, name)
        result = {"name": name, "dry_run": False, "deleted": removed}
        message = f"deleted {name}" if removed else f"{name} was not set: nothing deleted"
    render.emit_json(result) if json else render.say(message)


def export(c: Any, shell: str = "sh", root: str | None = None, names: str | None = None,
           json: bool = False) -> None:
    """Print shell lines that set each known secret, for eval (the values, quoted)."""
    lines, missing = export_lines(workspace(c, root), _names(names), shell)
    if json:
        _reveal(jsonlib.dumps({"shell": shell, "lines": lines, "missing": missing}, indent=2))
        return
    for line in lines:
        _reveal(line)
    for name in missing:
        render.say(f"# {name} is not in the keyring; set it with 'aim secrets.set {name}'",
                   sys.stderr)


