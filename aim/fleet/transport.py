"""SSH through Fabric: a ``Connection`` per host, host keys checked, stdin written at once.

Fabric accepts any host key by default (paramiko's ``AutoAddPolicy``, no known_hosts).  Here
the user's known_hosts (``~/.ssh/known_hosts``, or ``UserKnownHostsFile`` of ~/.ssh/config)
is loaded and an unknown key is refused, unless ``accept_new`` (``--accept-new-host-keys``)
says to trust a host seen for the first time — its key is then added to that file, like
OpenSSH's ``StrictHostKeyChecking=accept-new``.  A key that differs from the known one is
always refused.

invoke feeds a command's stdin one byte per 10 ms from a thread; secrets are instead written
to the channel in one piece right after the command starts, and stdin is then closed, so the
remote ``aim`` reads them at once.  Fabric and paramiko are an optional extra: the code that
uses them is :mod:`aim.fleet.ssh`, imported when a fleet command first connects.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from aim.fleet.inventory import Host
from aim.fleet.outcome import Exec

ACCEPT_FLAG = "--accept-new-host-keys"
known_hosts_lock = threading.Lock()  # aim.fleet.ssh adds keys under it


class Unreachable(Exception):
    """The host could not be reached or refused us; ``str()`` says why and what to do."""


@dataclass(frozen=True)
class SshSettings:
    """How every connection of one fleet command is made."""

    connect_timeout: float = 10.0
    accept_new: bool = False
    ssh_config_path: Path | None = None  # default: ~/.ssh/config when it exists

    def ssh_config(self) -> Any:
        """The parsed ssh config (paramiko.SSHConfig), read once per fleet command."""
        path = self.ssh_config_path or Path(os.path.expanduser("~/.ssh/config"))
        return _ssh().read_ssh_config(path)


def known_hosts_file(ssh_config: dict[str, Any]) -> Path:
    """The known_hosts file for a host: its ``UserKnownHostsFile``, else ~/.ssh/known_hosts."""
    files = ssh_config.get("userknownhostsfile")
    first = files.split()[0] if isinstance(files, str) else None
    return Path(os.path.expanduser(first or "~/.ssh/known_hosts"))


def _ssh() -> ModuleType:
    """:mod:`aim.fleet.ssh`, imported on first use: Fabric is an optional extra."""
    from aim.fleet import ssh

    return ssh


def connect(host: Host, settings: SshSettings, ssh_config: Any) -> Any:
    """An open fabric ``Connection`` to ``host``; Unreachable (with the reason) otherwise."""
    return _ssh().connect(host, settings, ssh_config)


def run(conn: Any, command: str, *, stdin: bytes = b"", timeout: float | None = None) -> Exec:
    """Run ``command`` on ``conn`` with ``stdin``; a transport that drops gives ``exited=-1``."""
    result: Exec = _ssh().run(conn, command, stdin=stdin, timeout=timeout)
    return result
