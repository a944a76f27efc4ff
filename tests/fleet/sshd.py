"""A private SSH fleet on 127.0.0.1 for the fleet tests: our own sshd, local users as hosts.

``Fleet`` starts ``/usr/sbin/sshd`` (Debian's openssh-server; .ci/run installs it) on a free
port of 127.0.0.1 with a config, host key and authorized_keys of its own — the machine's sshd,
its config and its keys are never used — and creates local users with ``useradd``, each with
its home (a copy of the sample workspace, a sandbox keyring file) in a fresh folder under /tmp
that is readable by them.  The controller side (client key, ``~/.ssh/config`` aliases,
``known_hosts``) lives in the test's own $HOME.  Everything is undone by ``close``: sshd is
stopped by its pid, the users are deleted, the folder is removed.

The hosts run the ``aim`` of this checkout's venv.  Its interpreter may live under a folder the
host users cannot enter (pyenv under /root, mode 0700); ``grant_traverse`` then adds the
search bit (o+x, never o+r: nothing is listed) to each folder on the way for the duration of
the tests, and ``close`` puts the old modes back.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from aim.sample import prepare_sandbox
from aim.secrets.backends import SandboxKeyring

SSHD = Path("/usr/sbin/sshd")
REPO = Path(__file__).resolve().parents[2]
AIM = Path(sys.executable).with_name("aim")
# An entry every host's keyring holds before the fleet runs: a rollback must keep it as it is.
OTHER = ("other-tool", "token", "unrelated-host-value-not-real")


@dataclass(frozen=True)
class FleetHost:
    """One host of the test fleet: a local user, its home and its workspace."""

    name: str
    user: str
    home: Path

    @property
    def root(self) -> Path:
        return self.home / "sandbox" / "workspace"

    @property
    def keyring(self) -> Path:
        return self.home / "keyring.json"

    @property
    def env(self) -> dict[str, str]:
        return {"AIM_KEYRING": f"sandbox:{self.keyring}"}


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def grant_traverse(paths: list[Path]) -> dict[Path, int]:
    """Add o+x to every folder on the way to ``paths``; returns the folders' old modes."""
    changed: dict[Path, int] = {}
    for path in paths:
        for folder in [*reversed(path.parents), path]:
            if not folder.is_dir() or folder in changed:
                continue
            mode = stat.S_IMODE(folder.stat().st_mode)
            if not mode & stat.S_IXOTH:
                changed[folder] = mode
                folder.chmod(mode | stat.S_IXOTH)
    return changed


def _run(*argv: str) -> None:
    subprocess.run(argv, check=True, capture_output=True, text=True, timeout=60)


@dataclass
class Fleet:
    """The sshd, the host users and the controller's SSH settings of one test module."""

    home: Path  # the controller's (the test's) $HOME
    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="aim-fleet-")))
    port: int = field(default_factory=free_port)
    hosts: list[FleetHost] = field(default_factory=list)
    sshd: subprocess.Popen[bytes] | None = None
    modes: dict[Path, int] = field(default_factory=dict)

    @property
    def client_key(self) -> Path:
        return self.home / ".ssh" / "id_fleet"

    @property
    def known_hosts(self) -> Path:
        return self.home / ".ssh" / "known_hosts"

    def start(self, count: int = 3) -> Fleet:
        """Create ``count`` hosts and start sshd; the controller trusts its host key."""
        self.base.chmod(0o755)
        tag = secrets.token_hex(2)
        self.modes = grant_traverse([AIM.resolve().parent, Path(sys.base_prefix), REPO])
        (self.home / ".ssh").mkdir(mode=0o700, parents=True, exist_ok=True)
        _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(self.client_key))
        for index in range(1, count + 1):
            self._add_user(f"h{index}", f"aimfleet{tag}{index}")
        self._start_sshd()
        self.trust()
        self._write_ssh_config()
        return self

    def _add_user(self, name: str, user: str) -> None:
        home = self.base / "hosts" / name
        home.parent.mkdir(exist_ok=True, mode=0o755)
        # '*' instead of useradd's locked '!': sshd without PAM refuses locked accounts
        _run("useradd", "--no-create-home", "--home-dir", str(home), "--shell", "/bin/sh",
             "--password", "*", user)
        host = FleetHost(name, user, home)
        self.hosts.append(host)  # so that close() deletes the user even if the rest fails
        self.reset(host)
        keys = self.base / "sshd" / "authorized_keys"
        keys.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.client_key.with_suffix(".pub"), keys / user)

    def reset(self, host: FleetHost) -> None:
        """Give ``host`` a fresh copy of the sample and a keyring holding one other entry."""
        if host.home.exists():
            shutil.rmtree(host.home)
        host.home.mkdir(mode=0o700)
        prepare_sandbox(host.home / "sandbox")
        SandboxKeyring(host.keyring).set_password(*OTHER)
        _run("chown", "-R", f"{host.user}:{host.user}", str(host.home))

    def _start_sshd(self) -> None:
        conf = self.base / "sshd"
        _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(conf / "host_key"))
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation dir
        users = " ".join(h.user for h in self.hosts)
        (conf / "sshd_config").write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {conf / 'host_key'}\n"
            f"PidFile {conf / 'sshd.pid'}\nAuthorizedKeysFile {conf}/authorized_keys/%u\n"
            "StrictModes no\nUsePAM no\nPasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
            f"AllowUsers {users}\nPermitRootLogin no\nMaxStartups 100:30:200\n"
            "MaxSessions 50\nPrintMotd no\n")
        self.sshd = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(conf / "sshd_config")],
                                     stdout=subprocess.DEVNULL,
                                     stderr=open(conf / "sshd.log", "wb"))  # noqa: SIM115
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(
                    ("127.0.0.1", self.port), timeout=1):
                return
            if self.sshd.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"sshd did not start: {(conf / 'sshd.log').read_text()}")

    def host_key_line(self) -> str:
        """The known_hosts line of our sshd's host key."""
        pub = (self.base / "sshd" / "host_key.pub").read_text().split()
        return f"[127.0.0.1]:{self.port} {pub[0]} {pub[1]}\n"

    def trust(self) -> None:
        """Put our sshd's host key into the controller's known_hosts."""
        self.known_hosts.write_text(self.host_key_line())

    def distrust(self) -> None:
        """Leave the controller's known_hosts without our sshd's key."""
        self.known_hosts.write_text("")

    def _write_ssh_config(self) -> None:
        blocks = [f"Host {h.name}\n  HostName 127.0.0.1\n  Port {self.port}\n  User {h.user}\n"
                  for h in self.hosts]
        (self.home / ".ssh" / "config").write_text(
            "".join(blocks) + f"Host *\n  IdentityFile {self.client_key}\n"
            "  IdentitiesOnly yes\n")

    def inventory(self, path: Path, hosts: list[dict[str, object]] | None = None,
                  secrets_: list[str] | None = None, extra: str = "",
                  aim: dict[str, str] | None = None) -> Path:
        """Write a fleet.yaml naming every host (by its ssh alias) and return its path;
        ``aim`` gives some hosts another aim command."""
        import yaml

        rows = [{"name": h.name, "ssh": h.name, "root": str(h.root),
                 "aim": (aim or {}).get(h.name, str(AIM)), "env": h.env} for h in self.hosts]
        data: dict[str, object] = {"version": 1, "hosts": rows + list(hosts or [])}
        if secrets_:
            data["secrets"] = secrets_
        path.write_text(yaml.safe_dump(data, sort_keys=False) + extra)
        return path

    def dropping_aim(self, after: float = 2.0) -> Path:
        """An aim command that, when it deploys, kills its own SSH session ``after`` seconds
        in (its sshd, as a dropped network would) while the deploy goes on."""
        script = self.base / "aim-drops-its-connection"
        script.write_text(
            "#!/bin/sh\n"
            'case " $* " in *" deploy "*)\n'
            "  pid=$$\n"  # walk up to the sshd process that serves this session
            '  while [ "$pid" -gt 1 ] && [ "$(cat /proc/$pid/comm)" != sshd ]; do\n'
            "    pid=$(awk '{print $4}' /proc/$pid/stat)\n"
            "  done\n"
            f'  ( sleep {after}; kill -9 "$pid" ) </dev/null >/dev/null 2>&1 &\n'
            ";; esac\n"
            f'exec {AIM} "$@"\n')
        script.chmod(0o755)
        return script

    def close(self) -> None:
        """Stop sshd, delete the users and their folder, put the folder modes back."""
        if self.sshd is not None:
            self.sshd.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.sshd.wait(10)
            if self.sshd.poll() is None:
                self.sshd.kill()
        for host in self.hosts:
            subprocess.run(["userdel", "--force", host.user], capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)
        for folder, mode in self.modes.items():
            folder.chmod(mode)
