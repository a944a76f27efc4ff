"""``${{ env.X }}`` of a secret variable is masked like a keyring value, everywhere it goes."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from aim.secrets.envvars import SecretEnv, looks_secret
from aim.workflow import expressions as expr
from tests.cli.clitool import aim
from tests.workflow.wfutil import write_workflow

WORKFLOW = """
    version: 1
    name: leak
    steps:
      - {id: say, uses: echo, with: {message: "key is ${{ env.%(var)s }}"}}
      - id: run
        uses: shell
        with: {run: "echo ${{ env.%(var)s }}", writes: []}
"""


def canary() -> str:
    return f"env-canary-{uuid.uuid4().hex}"


def _everything(root: Path) -> str:
    """Every file AIM+ wrote in the workspace, as text."""
    return "".join(p.read_text(errors="replace") for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("var", ["OPENAI_API_KEY", "GITHUB_TOKEN", "CLIENT_SECRET",
                                 "DBPASSWORD"])
def test_a_secret_looking_env_value_is_masked_in_output_journal_and_audit(
        tmp_path: Path, var: str) -> None:
    value = canary()
    wf = write_workflow(tmp_path / "wf", "leak", WORKFLOW % {"var": var})
    (tmp_path / "ws").mkdir()
    result = aim("workflow.run", str(wf), "--root", str(tmp_path / "ws"), "--json",
                 env={var: value})
    assert result.returncode == 0, result.stderr
    assert value not in result.stdout + result.stderr
    assert "key is ***" in result.stdout
    state = tmp_path / "ws" / ".aim"
    assert "journal.jsonl" in {p.name for p in state.rglob("*")}
    assert value not in _everything(state)


def test_a_variable_the_config_names_as_a_secret_is_masked(tmp_path: Path) -> None:
    value = canary()
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "aim_config.json").write_text(json.dumps(
        {"version": 1, "secrets": {"ACME": {"env": "ACME_CONN"}}}))
    wf = write_workflow(tmp_path / "wf", "leak", WORKFLOW % {"var": "ACME_CONN"})
    result = aim("workflow.run", str(wf), "--root", str(ws), env={"ACME_CONN": value})
    assert result.returncode == 0, result.stderr
    assert value not in result.stdout + result.stderr + _everything(ws / ".aim")


def test_the_dry_run_plan_masks_it_too(tmp_path: Path) -> None:
    value = canary()
    wf = write_workflow(tmp_path / "wf", "leak", WORKFLOW % {"var": "OPENAI_API_KEY"})
    (tmp_path / "ws").mkdir()
    result = aim("workflow.run", str(wf), "--root", str(tmp_path / "ws"), "--dry-run",
                 "--json", env={"OPENAI_API_KEY": value})
    assert result.returncode == 0, result.stderr
    assert value not in result.stdout + result.stderr and "***" in result.stdout


def test_an_ordinary_variable_is_not_masked() -> None:
    env = SecretEnv({"EDITOR": "nano-editor", "OPENAI_API_KEY": canary()})
    scope = {"env": env}
    assert expr.resolve("${{ env.EDITOR }}", scope) == "nano-editor"
    assert not looks_secret("EDITOR") and not looks_secret("AIM_KEYRING")
    assert all(looks_secret(n) for n in ("OPENAI_API_KEY", "X_TOKEN", "SMTP_PASSWD", "API_KEYS"))


def test_the_whole_environment_registers_every_secret_in_it() -> None:
    from aim.redact import redact

    value = canary()
    resolved = expr.resolve("${{ env }}", {"env": {"OPENAI_API_KEY": value, "EDITOR": "vi"}})
    assert resolved["OPENAI_API_KEY"] == value  # the parameter itself is the real value
    assert redact(json.dumps(resolved)) == json.dumps({"OPENAI_API_KEY": "***", "EDITOR": "vi"})
