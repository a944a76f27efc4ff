"""Keyring secrets: the store, its backends, and the ``secrets.*`` tasks.

CI runs this file twice: with the isolated in-memory keyring, and with AIM_TEST_KEYRING=system
against a real Secret Service (``.ci/with-secret-service``).  Names are unique per test and
removed afterwards, so both passes leave the keyring as they found it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shlex
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from aim import redact
from aim.errors import InputError, KeyringUnavailable
from aim.secrets import SecretStore, keyrings
from tests.cli.clitool import aim, assert_clean_error
from tests.conftest import REAL_KEYRING

pytestmark = pytest.mark.secret_service

# Until aim.audit is in the tree, a subprocess gets this minimal AuditLog with the same API.
AUDIT_STANDIN = """
import json, sys, types
class AuditLog:
    def __init__(self, path):
        self.path = path
    def append(self, kind, run_id=None, details=None):
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"type": kind, "run_id": run_id, "details": details}) + "\\n")
module = types.ModuleType("aim.audit")
module.AuditLog = AuditLog
sys.modules["aim.audit"] = module
"""


@pytest.fixture
def name() -> Iterator[str]:
    """A secret name no other test (or earlier run) uses; deleted afterwards."""
    unique = f"AIM_TEST_{uuid.uuid4().hex[:10].upper()}"
    yield unique
    SecretStore().delete(unique)


def canary() -> str:
    return f"sk-canary-{uuid.uuid4().hex}"


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for ``aim`` subprocesses: a keyring that outlives one process.

    The real keyring in CI's second pass; otherwise a sandbox file outside the workspace
    (the in-memory keyring lives only as long as one process).
    """
    env = {"AIM_KEYRING": os.environ["AIM_KEYRING"]}
    if env["AIM_KEYRING"] == "memory":
        env["AIM_KEYRING"] = f"sandbox:{tmp_path / 'keyring' / 'keyring.json'}"
    if importlib.util.find_spec("aim.audit") is None:
        standin = tmp_path / "audit-standin"
        standin.mkdir()
        (standin / "sitecustomize.py").write_text(AUDIT_STANDIN)
        env["PYTHONPATH"] = os.pathsep.join([str(standin), os.environ.get("PYTHONPATH", "")])
    return env


def test_set_get_delete_round_trip(name: str) -> None:
    store = SecretStore()
    value = canary()
    assert store.get(name) is None
    store.set(name, value)
    assert SecretStore().get(name) == value
    store.set(name, value + "-2")
    assert store.get(name) == value + "-2"
    assert store.delete(name) is True
    assert store.get(name) is None
    assert store.delete(name) is False


def test_services_are_separate(name: str) -> None:
    SecretStore().set(name, canary())
    other = SecretStore("aim-test-other")
    assert other.get(name) is None
    assert other.delete(name) is False


def test_a_value_read_is_masked_from_then_on(name: str) -> None:
    value = canary()
    SecretStore().set(name, value)
    redact.forget_all()
    assert redact.redact(f"token={value}") == f"token={value}"
    assert SecretStore().get(name) == value
    assert redact.redact(f"token={value}") == "token=***"


def test_a_value_written_is_masked(name: str) -> None:
    value = canary()
    SecretStore().set(name, value)
    assert value not in redact.redact(json.dumps({"key": value}))


def test_fail_backend_is_a_clean_keyring_unavailable_error(tmp_path: Path) -> None:
    result = aim("secrets.get", "OPENAI_API_KEY", "--root", str(tmp_path),
                 env={"AIM_KEYRING": "system",
                      "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    message = assert_clean_error(result, 2)
    assert "no usable keyring" in message
    assert "gnome-keyring" in message and "Secret Service" in message
    assert "invoke sample" in message
    assert message.count("\n") == 1  # one paragraph
    assert not list(tmp_path.rglob("*.json"))  # no plaintext fallback was written


def test_no_d_bus_session_is_a_clean_keyring_unavailable_error(tmp_path: Path) -> None:
    result = aim("secrets.set", "OPENAI_API_KEY", "--root", str(tmp_path), stdin=canary(),
                 env={"AIM_KEYRING": "system",
                      "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
                      "DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path / 'no-bus'}"})
    message = assert_clean_error(result, 2)
    assert "no usable keyring: keyring could not load a backend" in message
    assert "dbus-run-session" in message
    assert not list(tmp_path.rglob("*.json"))


def test_keyring_locked_is_retried_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from keyring.errors import KeyringLocked

    monkeypatch.setattr(keyrings, "LOCKED_RETRY_DELAY", 0.01)

    class UnlocksLate:
        """A keyring whose collection is still being unlocked for ``locked`` calls."""

        def __init__(self, locked: int) -> None:
            self.locked = locked

        def get_password(self, service: str, username: str) -> str | None:
            if self.locked:
                self.locked -= 1
                raise KeyringLocked("Failed to unlock the collection!")
            return "value-after-unlock"

    assert SecretStore(backend=UnlocksLate(1)).get("X") == "value-after-unlock"
    with pytest.raises(KeyringUnavailable, match="stayed locked after a retry"):
        SecretStore(backend=UnlocksLate(2)).get("X")


def test_our_backends_are_never_chosen_by_keyring_itself() -> None:
    from keyring.backend import KeyringBackend

    from aim.secrets.backends import MemoryKeyring, SandboxKeyring

    viable = set(KeyringBackend.get_viable_backends())
    assert MemoryKeyring not in viable and SandboxKeyring not in viable


def test_sandbox_keyring_is_a_visible_0600_file(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sandbox" / "keyring.json"
    monkeypatch.setenv("AIM_KEYRING", f"sandbox:{path}")
    value = canary()
    SecretStore().set("SAMPLE_KEY", value)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data["entries"]["aim"]["SAMPLE_KEY"] == value and "PLAINTEXT" in data["note"]
    assert SecretStore().get("SAMPLE_KEY") == value
    assert SecretStore().delete("SAMPLE_KEY") is True
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["entries"] == {}


def test_unknown_keyring_choice_is_bad_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIM_KEYRING", "plaintext")
    with pytest.raises(InputError, match="AIM_KEYRING='plaintext': unknown keyring"):
        SecretStore().get("X")


def test_cli_set_get_export_and_no_value_in_any_file(tmp_path: Path, name: str,
                                                     cli_env: dict[str, str]) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    value = canary() + " it's $HOME"  # quotes, spaces and $ must survive export and eval
    stored = aim("secrets.set", name, "--root", str(ws), stdin=value + "\n", env=cli_env)
    assert stored.returncode == 0, stored.stderr
    assert value not in stored.stdout + stored.stderr

    hidden = aim("secrets.get", name, "--root", str(ws), env=cli_env)
    assert hidden.returncode == 0, hidden.stderr
    assert f"{name} is set" in hidden.stdout and value not in hidden.stdout + hidden.stderr

    shown = aim("secrets.get", name, "--reveal", "--root", str(ws), env=cli_env)
    assert shown.stdout == value + "\n"

    export = shlex.join([sys.executable, "-m", "aim", "secrets.export", "--names", name,
                         "--root", str(ws)])
    script = f'eval "$({export})"; printenv {name}'
    exported = subprocess.run(["sh", "-c", script], capture_output=True, text=True,
                              env={**os.environ, **cli_env}, timeout=60)
    assert exported.stdout == value + "\n", exported.stderr

    audit = (ws / ".aim" / "audit.jsonl").read_text()
    assert "secret_access" in audit and name in audit
    assert all(op in audit for op in ('"set"', '"get"', '"export"'))
    for path in ws.rglob("*"):
        if path.is_file():
            assert value.split()[0].encode() not in path.read_bytes(), path


def test_cli_list_shows_names_and_status_only(tmp_path: Path, name: str,
                                              cli_env: dict[str, str]) -> None:
    value = canary()
    missing = name + "_MISSING"
    (tmp_path / "aim_config.json").write_text(json.dumps(
        {"version": 1, "secrets": {name: {"env": name, "description": "test key"}}}))
    aim("secrets.set", name, "--root", str(tmp_path), stdin=value, env=cli_env)
    listed = aim("secrets.list", "--names", missing, "--root", str(tmp_path), "--json",
                 env=cli_env)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [
        {"name": name, "env": name, "present": True},
        {"name": missing, "env": missing, "present": False}]
    assert value not in listed.stdout + listed.stderr


def test_cli_delete_and_get_of_a_missing_secret(tmp_path: Path, name: str,
                                                cli_env: dict[str, str]) -> None:
    aim("secrets.set", name, "--root", str(tmp_path), stdin=canary(), env=cli_env)
    deleted = aim("secrets.delete", name, "--root", str(tmp_path), env=cli_env)
    assert deleted.returncode == 0 and f"deleted {name}" in deleted.stdout
    missing = aim("secrets.get", name, "--root", str(tmp_path), env=cli_env)
    assert f"secret {name} is not in the keyring" in assert_clean_error(missing, 2)


def test_cli_refuses_an_empty_value_and_a_bad_name(tmp_path: Path,
                                                   cli_env: dict[str, str]) -> None:
    empty = aim("secrets.set", "SOME_KEY", "--root", str(tmp_path), stdin="\n", env=cli_env)
    assert "the value is empty" in assert_clean_error(empty, 2)
    bad = aim("secrets.set", "bad name", "--root", str(tmp_path), stdin="x" * 8, env=cli_env)
    assert "secret name 'bad name'" in assert_clean_error(bad, 2)
    flag = aim("secrets.get", "--help", "--root", str(tmp_path), env=cli_env)
    assert "'aim --help TASK'" in assert_clean_error(flag, 2)


def test_help_does_not_import_keyring() -> None:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "aim", "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "secrets.set" in result.stdout
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()]
    assert "keyring" not in imported and "aim.secrets" not in imported


def test_this_pass_uses_the_keyring_it_asked_for() -> None:
    from aim.secrets.backends import MemoryKeyring

    backend = SecretStore().backend
    if REAL_KEYRING:  # CI's second pass: a real keyring backend, not our stand-ins
        assert type(backend).__module__.startswith("keyring.backends."), backend
    else:
        assert isinstance(backend, MemoryKeyring)


@pytest.fixture
def set_secret_action() -> Iterator[str]:
    """A throw-away action that sets a keyring secret, removed from the catalogue after."""
    from aim.actions import registry
    from aim.workflow.context import StepContext

    def set_secret(ctx: StepContext, name: str, value: str) -> dict[str, object]:
        """Set a secret (test action)."""
        ctx.checkpoint.secret(name)
        ctx.secrets().set(name, value)
        return {}

    registry.load_catalog()
    registry.action("test.secrets-set")(set_secret)
    yield "test.secrets-set"
    del registry._REGISTRY["test.secrets-set"]


def test_a_failed_run_puts_the_keyring_back(tmp_path: Path, name: str,
                                            set_secret_action: str) -> None:
    from aim.workflow.context import Hooks
    from aim.workflow.defaults import secret_store
    from aim.workflow.secret_slots import checkpoint_service
    from tests.workflow.wfutil import make_workspace, run, write_workflow

    old, new = canary(), canary()
    SecretStore().set(name, old)
    ws = make_workspace(tmp_path / "ws")
    wf = write_workflow(tmp_path, "keys", f"""
        version: 1
        name: keys
        steps:
          - {{id: a, uses: {set_secret_action}, with: {{name: {name}, value: {new}}}}}
          - {{id: b, uses: {set_secret_action}, with: {{name: {name}_NEW, value: {new}}}}}
          - {{id: c, uses: shell, with: {{run: "false", writes: []}}}}
    """)
    result = run(ws, wf, Hooks(secret_store=secret_store))
    assert result.rolled_back
    assert SecretStore().get(name) == old
    assert SecretStore().get(f"{name}_NEW") is None
    # the copy of the old value lived only as long as the run could be undone with it
    assert SecretStore(checkpoint_service(result.run_id)).get(f"a:{name}") is None
    for path in ws.root.rglob("*"):
        if path.is_file():
            assert old.encode() not in path.read_bytes() and new.encode() not in path.read_bytes()
