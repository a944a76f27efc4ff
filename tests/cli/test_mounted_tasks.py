"""AIM+'s tasks mounted in another repository's tasks.py, beside that repository's own tasks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.clitool import aim

MOUNT = "from aim.tasks import mount  # noqa: E402\nns = mount(__name__)\n"
ADD = ("from invoke import Collection  # noqa: E402\nfrom aim.tasks import collection as "
       "aim_tasks  # noqa: E402\nns = Collection(hello)\nns.add_collection(aim_tasks)\n")
OWN = '''from invoke import task


@task
def hello(c):
    """The repository's own task."""
    print("hello from the repository")


'''


def _invoke(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVOKE_")}
    env["AIM_KEYRING"] = "memory"
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120)


def _repository(tmp_path: Path, mounting: str) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "tasks.py").write_text(OWN + mounting)
    (repo / "invoke.yaml").write_text("aim:\n  root: workspace\n")
    (repo / "workspace").mkdir()
    assert aim("config.init", "--root", str(repo / "workspace")).returncode == 0
    return repo


@pytest.mark.parametrize("mounting", [MOUNT, ADD], ids=["mount", "add_collection"])
def test_a_foreign_tasks_py_keeps_its_tasks_and_runs_aims(tmp_path: Path,
                                                         mounting: str) -> None:
    repo = _repository(tmp_path, mounting)
    listed = _invoke(repo, "--list")
    assert listed.returncode == 0, listed.stderr
    assert "hello" in listed.stdout and "aim.validate" in listed.stdout
    assert "aim.workflow.list" in listed.stdout
    assert _invoke(repo, "hello").stdout == "hello from the repository\n"
    mounted = _invoke(repo, "aim.validate", "--root", "workspace")
    direct = aim("validate", "--root", str(repo / "workspace"))
    assert mounted.returncode == direct.returncode, mounted.stderr
    assert "Traceback" not in mounted.stderr
    reports = sorted((repo / "workspace" / "reports").glob("validation-*.md"))
    assert len(reports) == 2


def test_the_repositorys_invoke_config_names_the_workspace(tmp_path: Path) -> None:
    repo = _repository(tmp_path, MOUNT)
    assert _invoke(repo, "aim.backup").returncode == 0
    runs = _invoke(repo, "aim.runs", "--json")
    assert runs.returncode == 0, runs.stderr
    assert '"workflow": "backup"' in runs.stdout
    assert (repo / "workspace" / ".aim" / "backups").is_dir()
    assert not (repo / ".aim").exists()
