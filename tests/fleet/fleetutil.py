"""The controller side of the fleet tests: its workspace, keyring and ``aim fleet.*`` calls."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aim.redact import encoded_forms
from aim.secrets.backends import SandboxKeyring
from tests.fleet.sshd import Fleet


@dataclass
class Controller:
    """A controller workspace (``root``) with its fleet.yaml and sandbox keyring file."""

    fleet: Fleet
    root: Path

    @property
    def keyring(self) -> Path:
        return self.root.parent / "controller-keyring.json"

    @property
    def inventory(self) -> Path:
        return self.root / "fleet.yaml"

    def env(self) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(("AIM_", "SSH_")) and k != "COLUMNS"}
        return {**base, "HOME": str(self.fleet.home), "AIM_KEYRING": f"sandbox:{self.keyring}"}

    def aim(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """``aim ARGS`` in the controller workspace, as the controller's user."""
        return subprocess.run([sys.executable, "-m", "aim", *args], cwd=self.root,
                              env=self.env(), capture_output=True, text=True, timeout=timeout)

    def hosts_json(self, *args: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
        """``aim ARGS --json`` and its host objects by name."""
        done = self.aim(*args, "--json")
        assert "Traceback" not in done.stdout + done.stderr, done.stderr
        rows = json.loads(done.stdout)
        return done, {row["name"]: row for row in rows}

    def put_secrets(self, values: dict[str, str]) -> None:
        """The controller's own keyring entries (service aim)."""
        store = SandboxKeyring(self.keyring)
        for name, value in values.items():
            store.set_password("aim", name, value)

    def journal(self, fleet_run: str) -> list[dict[str, Any]]:
        path = self.root / ".aim" / "fleet" / fleet_run / "journal.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()]


def controller(fleet: Fleet, tmp_path: Path, **inventory: Any) -> Controller:
    """A controller workspace whose fleet.yaml names every host of ``fleet``."""
    root = tmp_path / "controller"
    root.mkdir()
    made = Controller(fleet, root)
    fleet.inventory(made.inventory, **inventory)
    return made


class Sampler:
    """Reads every process's command line and environment, every few ms, while it runs."""

    def __init__(self) -> None:
        self.seen: set[bytes] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            for pid in (p for p in os.listdir("/proc") if p.isdigit()):
                for part in ("cmdline", "environ"):
                    with contextlib.suppress(OSError):
                        self.seen.add(part.encode() + b":" + Path(f"/proc/{pid}/{part}")
                                      .read_bytes())
            self._stop.wait(0.01)

    def commands(self) -> list[bytes]:
        return [s[len(b"cmdline:"):] for s in self.seen if s.startswith(b"cmdline:")]


def forms(values: dict[str, str]) -> list[bytes]:
    """Every encoded form a secret value may leak in (as the redaction filter knows them)."""
    return [form.encode() for value in values.values() for form in encoded_forms(value)]


def files_holding(folder: Path, needles: list[bytes], skip: set[Path]) -> list[str]:
    """The files under ``folder`` (but ``skip``) that contain any of ``needles``."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and path not in skip:
            data = path.read_bytes()
            if any(needle in data for needle in needles):
                found.append(str(path))
    return found
