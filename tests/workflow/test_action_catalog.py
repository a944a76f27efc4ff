"""The action catalogue names every shipped action and where it lives; a workflow loads only
the action modules its steps use."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys

import aim.actions
from aim.actions import registry


def test_the_catalogue_names_every_action_the_action_modules_register() -> None:
    for module in pkgutil.iter_modules(aim.actions.__path__):
        importlib.import_module(f"aim.actions.{module.name}")
    shipped = {name: f"{spec.func.__module__}:{spec.func.__qualname__}"
               for name, spec in registry.load_catalog().items()
               if spec.func.__module__.startswith("aim.")}
    assert shipped == registry.CATALOG


def test_a_workflow_of_file_steps_imports_no_other_action_module(tmp_path) -> None:
    workflow = tmp_path / "w.yaml"
    workflow.write_text("version: 1\nname: w\non_failure: stop\nsteps:\n"
                        "  - id: one\n    uses: file.write\n    with: {path: a.txt, content: x}\n")
    probe = ("import sys\n"
             "from pathlib import Path\n"
             "from aim.workflow.loader import load_workflow\n"
             f"load_workflow(Path({str(workflow)!r}))\n"
             "print(sorted(m for m in sys.modules if m.startswith('aim.actions.')))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    loaded = ast.literal_eval(done.stdout)
    assert "aim.actions.files" in loaded
    assert not {"aim.actions.deploy", "aim.actions.migrate", "aim.actions.docs"} & set(loaded)
