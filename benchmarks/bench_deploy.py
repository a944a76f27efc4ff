"""A whole ``aim deploy`` of the shipped sample, and the production checklist's own timings.

The sample is deployed the way ``invoke sample`` does it (a sandbox keyring file, fake demo
secrets); the figures are the run's duration and each timing the performance item judges.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def _deploy(sandbox: Path) -> tuple[float, dict[str, float]]:
    from aim.production.timing import TARGETS
    from aim.sample import demo_secrets, prepare_sandbox
    from aim.workflow.defaults import default_hooks
    from aim.workflow.loader import load_workflow
    from aim.workflow.runner import RunOptions, run_workflow
    from aim.workspace import Workspace

    root = prepare_sandbox(sandbox)
    os.environ.update({"AIM_KEYRING": f"sandbox:{sandbox / 'keyring.json'}",
                       **demo_secrets(root)})
    ws = Workspace.at(root)
    options = RunOptions({"vault": str(root / "vault" / "vault.json")})
    started = time.perf_counter()
    result = run_workflow(ws, load_workflow("deploy"), options, default_hooks(ws, lambda _: None))
    elapsed = time.perf_counter() - started
    assert result.status == "success", (result.failed_step, result.reason)
    [production] = [step for step in result.steps if step.id == "production"]
    timings = production.outputs["report"]["timings"]
    return elapsed, {name: timings[name] for name in TARGETS}


def run(workdir: Path) -> list[dict[str, Any]]:
    from aim.production.timing import TARGETS

    saved = dict(os.environ)
    try:
        elapsed, timings = _deploy(workdir / "sandbox")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    figures: list[dict[str, Any]] = [
        {"name": "aim deploy of the sample (19 steps)", "value": elapsed, "unit": "s",
         "note": "backup, migrate, docs, link check, production checklist, report"}]
    figures += [{"name": f"production check: {name}", "value": value, "unit": "s",
                 "target": TARGETS[name], "note": "measured inside the deploy's checklist"}
                for name, value in timings.items()]
    return figures


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    from benchmarks.runner import main

    main("deploy")
