"""The SSH side of the fleet, on Fabric and paramiko (the optional extra ``fleet``): host-key
policies, connecting, and running a command with its stdin written at once (see
:mod:`aim.fleet.transport`, which imports this module when a fleet command first connects).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fabric import Config, Connection
from fabric.runners import Remote
from invoke.exceptions import CommandTimedOut
from paramiko import HostKeys, MissingHostKeyPolicy, SSHConfig
from paramiko.ssh_exception import (
    AuthenticationException,
    BadHostKeyException,
    NoValidConnectionsError,
)

from aim.fleet.inventory import Host
from aim.fleet.outcome import Exec
from aim.fleet.transport import (
    ACCEPT_FLAG,
    SshSettings,
    Unreachable,
    known_hosts_file,
    known_hosts_lock,
)


def read_ssh_config(path: Path) -> Any:
    """The parsed ssh config at ``path`` (an empty one when there is no such file)."""
    return SSHConfig.from_path(str(path)) if path.is_file() else SSHConfig()


class Refuse(MissingHostKeyPolicy):  # type: ignore[misc]
    """Refuse a host whose key is not in known_hosts (the default)."""

    def __init__(self, known: Path) -> None:
        self.known = known

    def missing_host_key(self, client: Any, hostname: str, key: Any) -> None:
        raise Unreachable(
            f"host key of {hostname} ({key.get_name()} {key.fingerprint}) is not in "
            f"{self.known}: nothing was run there. Check the key with the host's owner and "
            f"add it (ssh-keyscan, or one 'ssh' to the host), or pass {ACCEPT_FLAG} to "
            "trust hosts seen for the first time")

class AcceptNew(MissingHostKeyPolicy):  # type: ignore[misc]
    """Trust a host seen for the first time and add its key to known_hosts."""

    def __init__(self, known: Path) -> None:
        self.known = known

    def missing_host_key(self, client: Any, hostname: str, key: Any) -> None:

        client.get_host_keys().add(hostname, key.get_name(), key)
        with known_hosts_lock:  # once per key, even when many hosts share it
            known = HostKeys(str(self.known)) if self.known.is_file() else HostKeys()
            if known.check(hostname, key):
                return
            self.known.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with open(self.known, "a", encoding="utf-8") as handle:
                handle.write(f"{hostname} {key.get_name()} {key.get_base64()}\n")


def connect(host: Host, settings: SshSettings, ssh_config: Any) -> Any:
    """An open fabric ``Connection`` to ``host``; Unreachable (with the reason) otherwise."""
    config = Config(ssh_config=ssh_config)
    timeout = max(1, round(settings.connect_timeout))
    conn = Connection(host.ssh, config=config, connect_timeout=timeout,
                      connect_kwargs={"banner_timeout": timeout, "auth_timeout": timeout})
    known = known_hosts_file(conn.ssh_config)
    if known.is_file():
        conn.client.load_system_host_keys(str(known))  # read-only: never rewritten by paramiko
    conn.client.set_missing_host_key_policy((AcceptNew if settings.accept_new else Refuse)(known))
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


class StdinRemote(Remote):  # type: ignore[misc]
    """fabric's Remote runner that writes ``payload`` in one piece, then closes stdin."""

    def __init__(self, context: Any, payload: bytes) -> None:
        super().__init__(context=context, inline_env=True)
        self.payload = payload

    def send_start_message(self, command: str) -> None:
        super().send_start_message(command)
        if self.payload:
            self.channel.sendall(self.payload)
        self.channel.shutdown_write()


def run(conn: Any, command: str, *, stdin: bytes = b"", timeout: float | None = None) -> Exec:
    """Run ``command`` on ``conn`` with ``stdin``; a transport that drops gives ``exited=-1``."""
    started = time.monotonic()
    runner = StdinRemote(conn, stdin)
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
