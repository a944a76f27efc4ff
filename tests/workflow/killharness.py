"""The kill harness: SIGKILL ``aim deploy`` on the shipped sample, then roll back or resume.

A trial copies a pristine sample sandbox (workspace and sandbox keyring file, which survives
the kill), runs ``aim deploy`` until it is killed — right after its N-th journal record
(``AIM_FAULT_KILL_AFTER_RECORD``, see aim/faults.py) or after a random delay — then recovers
with ``aim rollback``, or with ``aim deploy --resume`` followed by ``aim rollback`` (a run
killed after its last record, as it exits, has nothing to resume: it is rolled back), and checks
the user-visible outcome: every command exits 0, the workspace and the keyring are
byte-identical to before, ``aim runs`` shows the deploy rolled back, and no temp file is left.

The keyring is compared without AIM+'s own ``aim-checkpoint/<run-id>`` services, the keyring
counterpart of the state folder (which the workspace picture leaves out too): they keep the
pre-images that let a rollback itself be undone.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aim.secrets.backends import SANDBOX_NOTE
from tests.deploy.deployutil import Sandbox, copy_sandbox, fresh_sample, picture

# A keyring that already holds one of the sample's secrets (restored from its pre-image) and an
# unrelated entry (never touched).
SEEDED = {"aim": {"GEMINI_API_KEY": "existing-gemini-value-not-real"},
          "other-tool": {"token": "unrelated-value-not-real"}}
CHECKPOINT_SERVICE = "aim-checkpoint/"
# What an interrupted write leaves: fsio's ".NAME.xxxxxxxx.tmp", the blob store's ".blob.*",
# the lock's ".lock.*", a backup's staging folder ".ID.tmp".
TEMP = re.compile(r"^\.(?:.+\.tmp|blob\..+|lock\..+)$")


def pristine(dest: Path) -> Sandbox:
    """An undeployed sample with a seeded sandbox keyring, to copy for every trial."""
    sandbox = fresh_sample(dest)
    sandbox.keyring.write_text(json.dumps({"note": SANDBOX_NOTE, "entries": SEEDED}))
    sandbox.keyring.chmod(0o600)
    return sandbox


def user_keyring(sandbox: Sandbox) -> dict[str, dict[str, str]]:
    """The keyring entries without AIM+'s checkpoint services."""
    return {service: names for service, names in sandbox.entries().items()
            if not service.startswith(CHECKPOINT_SERVICE)}


def leftover_temps(sandbox: Sandbox) -> list[str]:
    """Temp files anywhere in the workspace (state folder included) or beside the keyring."""
    found = [p for p in sandbox.keyring.parent.iterdir() if TEMP.match(p.name)]
    for folder, dirs, files in os.walk(sandbox.root):
        found += [Path(folder, name) for name in [*dirs, *files] if TEMP.match(name)]
    return sorted(str(p.relative_to(sandbox.keyring.parent)) for p in found)


def deploy_args(sandbox: Sandbox, *extra: str) -> list[str]:
    return [sys.executable, "-m", "aim", "deploy", "--root", str(sandbox.root), "--vault",
            str(sandbox.root / "vault" / "vault.json"), *extra]


def run_env(sandbox: Sandbox, **extra: str) -> dict[str, str]:
    return {**os.environ, **sandbox.env, **extra}


def kill_at_record(sandbox: Sandbox, record: str) -> int:
    """``aim deploy``, SIGKILLed by itself right after the journal record ``record`` (a number
    or ``TYPE@STEP#K``, see aim/faults.py); its return code."""
    return subprocess.run(deploy_args(sandbox), capture_output=True, text=True, timeout=120,
                          env=run_env(sandbox, AIM_FAULT_KILL_AFTER_RECORD=record)).returncode


def wait_for_the_run(proc: subprocess.Popen[bytes], sandbox: Sandbox) -> float:
    """When (``time.monotonic()``) the run's journal appeared, or the process ended."""
    runs = sandbox.root / ".aim" / "runs"
    while proc.poll() is None and not any(runs.glob("*/journal.jsonl")):
        time.sleep(0.002)
    return time.monotonic()


def kill_after(sandbox: Sandbox, delay: float) -> int:
    """``aim deploy``, SIGKILLed ``delay`` seconds after its run began (its journal appeared),
    if still running; its return code."""
    proc = subprocess.Popen(deploy_args(sandbox), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=run_env(sandbox))
    wait_for_the_run(proc, sandbox)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    return proc.wait()


def journal_records(sandbox: Sandbox) -> list[dict[str, Any]]:
    """The records of the sandbox's one deploy run."""
    [journal] = (sandbox.root / ".aim" / "runs").glob("*-deploy-*/journal.jsonl")
    return [json.loads(line) for line in journal.read_text().splitlines()]


def run_ended(sandbox: Sandbox) -> bool:
    """True when the deploy run's journal ends with its last record (``run_end``)."""
    return [r["t"] for r in journal_records(sandbox)][-1:] == ["run_end"]


@dataclass
class Outcome:
    """What one trial gave: what it counted and its problems (none when all is well)."""

    name: str
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def expect(self, done: subprocess.CompletedProcess[str], what: str) -> bool:
        if done.returncode != 0:
            tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
            self.problems.append(f"{what} exit {done.returncode}: {' | '.join(tail)}")
        return done.returncode == 0


@dataclass
class Tally:
    """The counts the harness reports, and every failed trial."""

    counts: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.counts.update(outcome.counts)
        if outcome.problems:
            self.failures.append(f"{outcome.name}: {'; '.join(outcome.problems)}")

    def summary(self) -> str:
        keys = ("kills_at_records", "random_kills", "killed_before_the_run",
                "finished_before_the_kill", "ended_before_the_kill", "rollbacks", "resumes",
                "identical", "leftover_temps")
        return ", ".join(f"{key} {self.counts[key]}" for key in keys)


def recover(sandbox: Sandbox, outcome: Outcome, resume: bool) -> None:
    """Roll the killed deploy back (after resuming it to the end, with ``resume``)."""
    if resume:
        outcome.counts["resumes"] += 1
        resumed = subprocess.run(deploy_args(sandbox, "--resume"), capture_output=True,
                                 text=True, timeout=120, env=run_env(sandbox))
        outcome.expect(resumed, "aim deploy --resume")
    outcome.counts["rollbacks"] += 1
    outcome.expect(sandbox.aim("rollback"), "aim rollback")
    runs = sandbox.aim("runs", "--json")
    if outcome.expect(runs, "aim runs"):
        deploys = [r["status"] for r in json.loads(runs.stdout) if r["workflow"] == "deploy"]
        if deploys[-1:] != ["rolled_back"]:
            outcome.problems.append(f"aim runs shows the deploys as {deploys}")


def trial(base: Path, source: Sandbox, name: str, kill: Callable[[Sandbox], int],
          resume: bool, kind: str) -> Outcome:
    """One kill (``kill(sandbox)`` returns the deploy's return code) and its recovery."""
    outcome = Outcome(name, Counter({kind: 1}))
    sandbox = copy_sandbox(source, base / name)
    before = (picture(sandbox), user_keyring(sandbox))
    killed = kill(sandbox) == -signal.SIGKILL
    outcome.counts["finished_before_the_kill"] += not killed
    if not (sandbox.root / ".aim" / "runs").is_dir():  # killed before the run began
        outcome.counts["killed_before_the_run"] += 1
    else:
        # a random kill can land after the run's last record, as the process exits: then
        # there is nothing to resume (as for a kill at the last record)
        ended = killed and run_ended(sandbox)
        outcome.counts["ended_before_the_kill"] += ended
        recover(sandbox, outcome, resume and killed and not ended)
    if (picture(sandbox), user_keyring(sandbox)) == before:
        outcome.counts["identical"] += 1
    else:
        outcome.problems.append("the workspace or the keyring differs from before")
    leftovers = leftover_temps(sandbox)
    outcome.counts["leftover_temps"] += len(leftovers)
    if leftovers:
        outcome.problems.append(f"temp files left: {', '.join(leftovers)}")
    return outcome


def run_trials(trials: list[Callable[[], Outcome]], tally: Tally, jobs: int) -> None:
    """Run the trials, ``jobs`` at a time (each is a few processes), into ``tally``."""
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for outcome in pool.map(lambda run: run(), trials):
            tally.add(outcome)


def write_report(tally: Tally, seconds: float, path: str | None) -> None:
    """Print the counts, and keep them as JSON in ``path`` when given."""
    print(f"kill harness: {tally.summary()}; {len(tally.failures)} failed trial(s); "
          f"{seconds:.0f}s", file=sys.stderr)
    if path:
        Path(path).write_text(json.dumps({**tally.counts, "failures": tally.failures,
                                          "seconds": round(seconds, 1)}, indent=2) + "\n")


def timed_deploy(sandbox: Sandbox) -> float:
    """Seconds an uninterrupted deploy of ``sandbox`` runs, from its journal's appearance."""
    proc = subprocess.Popen(deploy_args(sandbox), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=run_env(sandbox))
    started = wait_for_the_run(proc, sandbox)
    assert proc.wait(timeout=120) == 0
    return time.monotonic() - started
