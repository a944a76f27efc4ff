"""Which command runs a workspace's tests, for each kind of configuration a repository has."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aim.errors import InputError
from aim.testsuite.detect import TestCommand, detect_test_command
from aim.testsuite.run import TestRun, compare, failing_ids, run_tests, summary_line

PYTEST_OUTPUT = """\
============================= test session starts ==============================
collected 3 items

tests/test_a.py .F.                                                      [100%]
=================================== FAILURES ===================================
___________________________________ test_two ___________________________________
E   assert 1 == 2
=========================== short test summary info ============================
FAILED tests/test_a.py::test_two - assert 1 == 2
========================= 1 failed, 2 passed in 0.03s ==========================
"""
COLLECTION_ERRORS = """\
==================================== ERRORS ====================================
_____________________ ERROR collecting tests/test_cli.py _______________________
E   ModuleNotFoundError: No module named 'invoke'
=========================== short test summary info ============================
ERROR tests/test_cli.py
ERROR tests/test_tasks.py
!!!!!!!!!!!!!!!!!!! Interrupted: 2 errors during collection !!!!!!!!!!!!!!!!!!!!
============================== 2 errors in 0.21s ===============================
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """A PATH with python3, tox, nox and npm on it (and nothing else)."""
    folder = tmp_path / "bin"
    for name in ("python3", "tox", "nox", "npm"):
        executable(folder / name)
    return folder


@pytest.mark.parametrize(("files", "source"), [
    ({"pytest.ini": "[pytest]\n"}, "pytest.ini"),
    ({"pyproject.toml": "[project]\nname = 'x'\n\n[tool.pytest.ini_options]\naddopts = '-q'\n"},
     "[tool.pytest.ini_options] in pyproject.toml"),
    ({"setup.cfg": "[metadata]\nname = x\n\n[tool:pytest]\ntestpaths = tests\n"},
     "[tool:pytest] in setup.cfg"),
    ({"tox.ini": "[tox]\nenvlist = py\n\n[pytest]\ntestpaths = tests\n"}, "[pytest] in tox.ini"),
    ({"tests/unit/test_core.py": "def test_x():\n    pass\n"}, "test_*.py files in tests/"),
])
def test_pytest_is_found_from_each_kind_of_configuration(
        tmp_path: Path, bin_dir: Path, files: dict[str, str], source: str) -> None:
    command = detect_test_command(write(tmp_path / "ws", files), path_env=str(bin_dir))
    assert command is not None
    assert (command.kind, command.source) == ("pytest", source)
    assert command.argv == (str(bin_dir / "python3"), "-m", "pytest")


@pytest.mark.parametrize(("files", "kind", "program"), [
    ({"tox.ini": "[tox]\nenvlist = py311\n"}, "tox", ["tox"]),
    ({"noxfile.py": "import nox\n"}, "nox", ["nox"]),
    ({"package.json": json.dumps({"scripts": {"test": "jest"}})}, "npm", ["npm", "test"]),
])
def test_tox_nox_and_npm_are_found(tmp_path: Path, bin_dir: Path, files: dict[str, str],
                                   kind: str, program: list[str]) -> None:
    command = detect_test_command(write(tmp_path / "ws", files), path_env=str(bin_dir))
    assert command is not None and command.kind == kind
    assert command.argv == (str(bin_dir / program[0]), *program[1:])


def test_the_workspace_environment_comes_before_path(tmp_path: Path, bin_dir: Path) -> None:
    root = write(tmp_path / "ws", {"pytest.ini": "[pytest]\n", "tox.ini": "[tox]\n"})
    executable(root / "venv" / "bin" / "python3")
    command = detect_test_command(root, path_env=str(bin_dir))
    assert command is not None and command.shown == "venv/bin/python3 -m pytest"
    executable(root / ".venv" / "bin" / "python")
    command = detect_test_command(root, path_env=str(bin_dir))
    assert command is not None and command.shown == ".venv/bin/python -m pytest"


def test_a_configured_command_wins_and_nothing_found_is_none(tmp_path: Path) -> None:
    root = write(tmp_path / "ws", {"pytest.ini": "[pytest]\n"})
    command = detect_test_command(root, "make check")
    assert command is not None and (command.kind, command.shell) == ("config", "make check")
    # npm's placeholder script and a pyproject without pytest settings run no tests
    empty = write(tmp_path / "empty", {
        "package.json": json.dumps({"scripts": {"test": 'echo "Error: no test specified" '
                                                        "&& exit 1"}}),
        "pyproject.toml": "[project]\nname = 'x'\n", "tests/helpers.py": ""})
    assert detect_test_command(empty) is None


@pytest.mark.parametrize(("name", "text", "where"), [
    ("pyproject.toml", "[tool.pytest.ini_options\n", ": invalid TOML (Expected ']'"),
    ("setup.cfg", "testpaths = tests\n", ":1: 'testpaths = tests' comes before any [section]"),
    ("tox.ini", "[tox]\nenvlist = py\n  deps\n!!!\n", ":4: cannot be read as an INI line: '!!!'"),
    ("package.json", '{"scripts": {"test": "jest",}}', ":1:29: invalid JSON (Expecting"),
])
def test_a_broken_configuration_file_is_bad_input_naming_it(
        tmp_path: Path, name: str, text: str, where: str) -> None:
    root = write(tmp_path / "ws", {name: text})
    with pytest.raises(InputError) as caught:
        detect_test_command(root)
    message = str(caught.value)
    assert message.startswith(f"{root / name}{where}"), message
    assert "set deploy.test_command in aim_config.json" in message and "\n" not in message


def test_the_summary_line_and_failing_tests_are_read_from_pytest_output() -> None:
    assert summary_line(PYTEST_OUTPUT) == "1 failed, 2 passed in 0.03s"
    assert failing_ids(PYTEST_OUTPUT) == ("tests/test_a.py::test_two",)
    assert summary_line(COLLECTION_ERRORS) == "2 errors in 0.21s"
    assert failing_ids(COLLECTION_ERRORS) == ("tests/test_cli.py", "tests/test_tasks.py")
    assert summary_line("building\nok: all 12 checks\n") == "ok: all 12 checks"


def test_only_what_the_deploy_made_fail_is_a_regression(tmp_path: Path) -> None:
    root = write(tmp_path / "ws", {"tests/test_a.py": "def test_a():\n    pass\n"})

    def ran(script: str) -> TestRun:
        return run_tests(TestCommand("config", "test", (), script, script), root, 30)

    ok, broken = ran("echo '1 passed'"), ran("echo 'FAILED t.py::a'; echo '1 failed'; exit 1")
    worse = ran("printf 'FAILED t.py::a\\nFAILED t.py::b\\n2 failed\\n'; exit 1")
    assert compare(ok, ok)[0] == "passed"
    assert compare(ok, broken) == ("regressed", ("t.py::a",))
    assert compare(broken, broken) == ("failing_before", ())
    assert compare(broken, worse) == ("regressed", ("t.py::b",))
    missing = ran("exec /no/such/program")
    assert missing.exit_code == 127 and compare(missing, missing)[0] == "failing_before"
