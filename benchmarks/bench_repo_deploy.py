"""``aim deploy`` of a repository-sized workspace beside the sample's, through the real CLI.

Both workspaces are deployed by the installed ``aim`` program, run from inside the workspace
(where the repository's own ``aim/`` package sits) with a sandbox keyring file and the fake
demo secrets, HOME in the benchmark's folder.  The figures: each deploy's wall time, their
ratio (target: the repository at most twice the sample), and the slowest steps of the
repository's deploy from its run journal.  A deploy that fails is reported as failed, with its
exit code and last error line, never as a time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RATIO_TARGET = 2.0
SLOWEST = 6
NOTE_CHARS = 240


@dataclass(frozen=True)
class Deploy:
    """One ``aim deploy`` run: wall time, exit code, last ``error:`` line, run journal."""

    seconds: float
    code: int
    error: str
    journal: list[dict[str, Any]]

    @property
    def failed(self) -> bool:
        return self.code != 0


def _env(sandbox: Path, root: Path) -> dict[str, str]:
    """The environment of a trial run: no AIM_/INVOKE_ settings or real keys, HOME in here,
    and the commands and folders the workspace's health settings require."""
    from aim.sample import demo_secrets
    from tests.machine import developer_machine

    secrets = demo_secrets(root)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AIM_", "INVOKE_")) and k not in secrets}
    home = sandbox / "home"
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_STATE_HOME=str(home / "state"),
               AIM_KEYRING=f"sandbox:{sandbox / 'keyring.json'}", **secrets)
    env.update(developer_machine(sandbox / "machine", env.get("PATH", "")))
    return env


def _program() -> list[str]:
    """The installed ``aim`` script (``python -m aim`` from the workspace would import the
    workspace's own package)."""
    script = Path(sys.executable).with_name("aim")
    if not script.is_file():
        raise SystemExit(f"no aim program beside {sys.executable}: pip install -e . first")
    return [str(script)]


def _journal(root: Path) -> list[dict[str, Any]]:
    from aim.workflow.journal import read_journal

    runs = sorted((root / ".aim" / "runs").glob("*-deploy-*"))
    return read_journal(runs[-1]) if runs else []


def deploy(sandbox: Path, root: Path) -> Deploy:
    """``aim deploy --root ROOT --vault ROOT/vault/vault.json``, timed from outside."""
    command = [*_program(), "deploy", "--root", str(root),
               "--vault", str(root / "vault" / "vault.json")]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=root, env=_env(sandbox, root), capture_output=True,
                          text=True, timeout=900)
    elapsed = time.perf_counter() - started
    errors = [line for line in (done.stderr + done.stdout).splitlines()
              if line.startswith("error:")]
    last = errors[-1] if errors else (done.stderr.strip().splitlines() or ["(no output)"])[-1]
    return Deploy(elapsed, done.returncode, last if done.returncode else "", _journal(root))


def step_times(journal: list[dict[str, Any]]) -> list[tuple[str, float, str]]:
    """(step, seconds, status) of every step that ran, nested steps included, slowest first."""
    ends = [r for r in journal if r.get("t") == "step_end" and r.get("status") != "skipped"]
    return sorted(((r["step"], float(r.get("duration") or 0.0), r["status"]) for r in ends),
                  key=lambda s: -s[1])


def _leaves(steps: list[tuple[str, float, str]]) -> list[tuple[str, float, str]]:
    """The steps that are not a group of others (``migrate`` is ``migrate.read`` + …)."""
    names = {name for name, _, _ in steps}
    return [s for s in steps if not any(n.startswith(s[0] + ".") for n in names)]


def _outside_steps(run: Deploy) -> float:
    """Wall time not spent in a top-level step: start-up, loading, rollback, exit."""
    top = [seconds for step, seconds, _ in step_times(run.journal) if "." not in step]
    return run.seconds - sum(top)


def _deploy_figure(label: str, run: Deploy) -> dict[str, Any]:
    name = f"aim deploy (CLI) of {label}"
    if run.failed:
        return {"name": name, "value": None, "unit": "s", "error": f"exit {run.code}: {run.error}",
                "note": f"FAILED, exit {run.code} after {run.seconds:.1f} s: "
                        f"{_short(run.error)}"}
    return {"name": name, "value": run.seconds, "unit": "s", "note": "wall time, real CLI"}


def _short(text: str) -> str:
    return text if len(text) <= NOTE_CHARS else text[:NOTE_CHARS] + "…"


def _ratio_figure(sample: Deploy, repo: Deploy) -> dict[str, Any]:
    name = "deploy time: repository workspace / sample"
    if sample.failed or repo.failed:
        which = "repository" if repo.failed else "sample"
        return {"name": name, "value": None, "unit": "x", "target": RATIO_TARGET,
                "error": f"no ratio: the {which} deploy failed", "note": f"the {which} deploy "
                f"failed (exit {(repo if repo.failed else sample).code})"}
    return {"name": name, "value": repo.seconds / sample.seconds, "unit": "x",
            "target": RATIO_TARGET, "note": f"{repo.seconds:.2f} s / {sample.seconds:.2f} s"}


# The workspace's own test suite, run before and after the deploy: its time is the
# repository's, not AIM+'s (the sample has no tests), so it is also shown taken out.
TEST_STEPS = ("tests_before", "test")


def _ratio_without_tests(sample: Deploy, repo: Deploy) -> dict[str, Any] | None:
    if sample.failed or repo.failed:
        return None
    tests = sum(seconds for step, seconds, _ in step_times(repo.journal) if step in TEST_STEPS)
    return {"name": "  the same, without the workspace's own test runs",
            "value": (repo.seconds - tests) / sample.seconds, "unit": "x",
            "target": RATIO_TARGET,
            "note": f"{repo.seconds - tests:.2f} s / {sample.seconds:.2f} s "
                    f"({tests:.2f} s of the repository's tests taken out)"}


def _step_figures(repo: Deploy) -> list[dict[str, Any]]:
    figures = [{"name": f"  repository step {step}", "value": seconds, "unit": "s",
                "note": status}
               for step, seconds, status in _leaves(step_times(repo.journal))[:SLOWEST]]
    if repo.journal:
        figures.append({"name": "  repository outside the steps", "value": _outside_steps(repo),
                        "unit": "s", "note": "start-up, workflow loading, rollback, exit"
                        if repo.failed else "start-up, workflow loading, exit"})
    return figures


def run(workdir: Path) -> list[dict[str, Any]]:
    from aim.sample import prepare_sandbox
    from tests.repo_workspace import build_repository

    sample_root = prepare_sandbox(workdir / "sample")
    facts = build_repository(workdir / "repository" / "workspace")
    sample = deploy(workdir / "sample", sample_root)
    repo = deploy(workdir / "repository", facts.root)
    figures = [_deploy_figure("the sample", sample),
               _deploy_figure(f"the repository ({facts.files} files)", repo),
               _ratio_figure(sample, repo)]
    without = _ratio_without_tests(sample, repo)
    return figures + ([without] if without else []) + _step_figures(repo)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    from benchmarks.runner import main as runner_main

    runner_main("repo_deploy")
