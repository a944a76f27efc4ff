"""SSH through Fabric: a ``Connection`` per host, host keys checked, stdin written at once.

Fabric accepts any host key by default (paramiko's ``AutoAddPolicy``, no known_hosts).  Here
the user's known_hosts (``~/.ssh/known_hosts``, or ``UserKnownHostsFile`` of ~/.ssh/config)
is loaded and an unknown key is refused, unless ``accept_new`` (``--accept-new-host-keys``)
says to trust a host seen for the first time — its key is then added to that file, like
OpenSSH's ``StrictHostKeyChecking=accept-new``.  A key that differs from the known one is
always refused.

invoke feeds a command's stdin one byte per 10 ms from a thread; secrets are instead written
to the channel in one piece right after the command starts, and stdin is then closed, so the
remote ``aim`` reads them at once.  Fabric is imported only inside these functions.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aim.fleet.inventory import Host
from aim.fleet.outcome import Exec

ACCEPT_FLAG = "--accept-new-host-keys"
_known_hosts_lock = threading.Lock()


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
        from paramiko import SSHConfig

        path = self.ssh_config_path or Path(os.path.expanduser("~/.ssh/config"))
        return SSHConfig.from_path(str(path)) if path.is_file() else SSHConfig()


def _policies() -> tuple[type[Any], type[Any]]:
    """The two missing-host-key policies (classes made lazily: paramiko is optional)."""
    from paramiko import MissingHostKeyPolicy

    class Refuse(MissingHostKeyPolicy):  # type: ignore[misc]
        def __init__(self, known: Path) -> None:
            self.known = known

        def missing_host_key(self, client: Any, hostname: str, key: Any) -> None:
            raise Unreachable(
                f"host key of {hostname} ({key.get_name()} {key.fingerprint}) is not in "
                f"{self.known}: nothing was run there. Check the key with the host's owner and "
                f"add it (ssh-keyscan, or one 'ssh' to the host), or pass {ACCEPT_FLAG} to "
                "trust hosts seen for the first time")

    class AcceptNew(MissingHostKeyPolicy):  # type: ignore[misc]
        def __init__(self, known: Path) -> None:
            self.known = known

        def missing_host_key(self, client: Any, hostname: str, key: Any) -> None:
            from paramiko import HostKeys

            client.get_host_keys().add(hostname, key.get_name(), key)
            with _known_hosts_lock:  # once per key, even when many hosts share it
                known = HostKeys(str(self.known)) if self.known.is_file() else HostKeys()
                if known.check(hostname, key):
                    return
                self.known.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                with open(self.known, "a", encoding="utf-8") as handle:
                    handle.write(f"{hostname} {key.get_name()} {key.get_base64()}\n")

    return Refuse, AcceptNew


def known_hosts_file(ssh_config: dict[str, Any]) -> Path:
    """The known_hosts file for a host: its ``UserKnownHostsFile``, else ~/.ssh/known_hosts."""
    files = ssh_config.get("userknownhostsfile")
    first = files.split()[0] if isinstance(files, str) else None
    return Path(os.path.expanduser(first or "~/.ssh/known_hosts"))


def connect(host: Host, settings: SshSettings, ssh_config: Any) -> Any:
    """An open fabric ``Connection`` to ``host``; Unreachable (with the reason) otherwise."""
    from fabric import Config, Connection

    config = Config(ssh_config=ssh_config)
    timeout = max(1, round(settings.connect_timeout))
    conn = Connection(host.ssh, config=config, connect_timeout=timeout,
                      connect_kwargs={"banner_timeout": timeout, "auth_timeout": timeout})
    known = known_hosts_file(conn.ssh_config)
    if known.is_file():
        conn.client.load_system_host_keys(str(known))  # read-only: never rewritten by paramiko
    refuse, accept_new = _policies()
    conn.client.set_missing_host_key_policy((accept_new if settings.accept_new else refuse)(known))
    try:
        conn.open()
    except Unreachable:
        conn.close()
        raise
    except Exception as err:  # paramiko and sockets fail in many ways; each is "unreachable"
        conn.close()
        raise Unreachable(describe(err, host, conn)) from None
    return conn


def describe(err: BaseException, host: Host, conn: Any) -> str:
    """Why a connection failed, in a user's words."""
    from paramiko.ssh_exception import (
        AuthenticationException,
        BadHostKeyException,
        NoValidConnectionsError,
    )

    where = f"{conn.user}@{conn.host}:{conn.port}"
    if isinstance(err, BadHostKeyException):
        return (f"the host key of {where} is not the one in known_hosts (it changed, or "
                "someone is in between): nothing was run there; check with the host's owner")
    if isinstance(err, AuthenticationException):
        return f"{where} refused our SSH keys ({err}); add one to its authorized_keys"
    if isinstance(err, NoValidConnectionsError):
        return f"nothing answers on {where} (connection refused); is sshd running there?"
    if isinstance(err, TimeoutError | OSError) and "timed out" in str(err):
        return f"{where} did not answer within the connect timeout"
    return f"cannot connect to {where}: {type(err).__name__}: {err}"


def _stdin_runner(payload: bytes) -> type[Any]:
    from fabric.runners import Remote

    class StdinRemote(Remote):  # type: ignore[misc]
        """fabric's Remote runner that writes ``payload`` in one piece, then closes stdin."""

        def send_start_message(self, command: str) -> None:
            super().send_start_message(command)
            if payload:
                self.channel.sendall(payload)
            self.channel.shutdown_write()

    return StdinRemote


def run(conn: Any, command: str, *, stdin: bytes = b"", timeout: float | None = None) -> Exec:
    """Run ``command`` on ``conn`` with ``stdin``; a transport that drops gives ``exited=-1``."""
    from invoke.exceptions import CommandTimedOut

    started = time.monotonic()
    runner = _stdin_runner(stdin)(context=conn, inline_env=True)
    try:
        result = runner.run(command, hide=True, warn=True, in_stream=False, pty=False,
                            timeout=timeout)
    except CommandTimedOut as err:
        return Exec(-1, err.result.stdout, err.result.stderr, time.monotonic() - started,
                    timed_out=True)
    except Exception as err:  # the transport failed under a started command: outcome unknown
        return Exec(-1, "", f"error: {type(err).__name__}: {err}", time.monotonic() - started)
    exited = -1 if result.exited is None else int(result.exited)
    return Exec(exited, result.stdout, result.stderr, time.monotonic() - started)
