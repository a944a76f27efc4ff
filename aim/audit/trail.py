"""A workspace's audit trail, opened with the retention settings of its aim_config.json: the
one way every command that records events opens it (and closes it when done)."""

from __future__ import annotations

from aim.audit.log import KEEP, MAX_BYTES, AuditLog
from aim.config.load import config_path, load_config
from aim.errors import AimError
from aim.workspace import Workspace


def audit_settings(ws: Workspace) -> tuple[int, int]:
    """``audit.max_bytes`` and ``audit.keep`` of the workspace's config, when it has a valid one.

    A missing or broken config must not stop the trail: the defaults apply then (the run's
    own config steps report the problem).
    """
    if not config_path(ws).is_file():
        return MAX_BYTES, KEEP
    try:
        settings = load_config(ws).audit
    except AimError:
        return MAX_BYTES, KEEP
    return settings.max_bytes, settings.keep


def open_trail(ws: Workspace) -> AuditLog:
    """The workspace's trail for appending (its state folder made if missing); use it as a
    context manager, or close it, when done."""
    ws.ensure_state_dir()
    max_bytes, keep = audit_settings(ws)
    return AuditLog(ws.audit_path, max_bytes=max_bytes, keep=keep)
