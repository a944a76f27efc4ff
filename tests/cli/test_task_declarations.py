"""Each declared task runs a body of the same name and flags, imported only when it runs."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

from aim.cli.collection import build
from aim.cli.lazy import implemented_by, target_of


def _declared() -> list[tuple[str, object]]:
    ns = build()
    return [(name, ns[name].body) for name in ns.task_names]


def test_every_declared_body_exists_with_the_declared_flags() -> None:
    declared = [(name, body, target_of(body)) for name, body in _declared()]
    assert sum(1 for _, _, target in declared if target) >= 30
    for name, body, target in declared:
        if target is None:
            continue
        module, _, function = target.partition(":")
        implementation = inspect.signature(getattr(importlib.import_module(module), function))
        declared = inspect.signature(body)
        if any(p.kind is p.VAR_KEYWORD for p in implementation.parameters.values()):
            # a body of ``c, **flags`` takes every declared flag by name
            assert list(implementation.parameters) == ["c", "flags"], name
        else:
            assert implementation == declared, name


def test_a_declared_task_calls_its_body_with_the_flags_given(tmp_path, monkeypatch) -> None:
    (tmp_path / "bodies.py").write_text("def greet(c, name, loud=False):\n"
                                        "    return f'{name}!' if loud else name\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    @implemented_by("bodies:greet")
    def greet(c: object, name: str, loud: bool = False) -> None:
        """Say a name."""

    assert greet(None, "aim", loud=True) == "aim!"
    assert inspect.getdoc(greet) == "Say a name."
    assert list(inspect.signature(greet).parameters) == ["c", "name", "loud"]


def test_the_program_starts_without_loading_any_task_body_or_the_library() -> None:
    library = ("_commands", "aim.cli.running", "aim.workflow.runner", "aim.config.load",
               "jsonschema", "keyring")
    probe = ("import sys\nsys.argv = ['aim', '--list']\n"
             "from aim.cli.program import main\ntry:\n    main()\nfinally:\n"
             f"    print('LOADED', sorted(m for m in sys.modules if m.endswith({library!r})),"
             " file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0 and "deploy" in done.stdout
    assert "LOADED []" in done.stderr
