"""Which command runs the workspace's tests, found from its own configuration files.

In order: ``deploy.test_command`` of aim_config.json (a shell command, as written), pytest
(pytest.ini, ``[tool.pytest.ini_options]`` in pyproject.toml, ``[tool:pytest]`` in setup.cfg,
``[pytest]`` in tox.ini, or a tests/ folder holding test_*.py), tox (tox.ini), nox
(noxfile.py), and ``scripts.test`` of package.json (``npm test``).  Programs are looked up in
the workspace's own environment first (``.venv``, then ``venv``), then on PATH.
"""

from __future__ import annotations

import configparser
import importlib
import json
import os
import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from aim.config.jsonsource import decode_json
from aim.errors import InputError
from aim.limits import read_limited

KINDS = ("config", "pytest", "tox", "nox", "npm")
VENVS = (".venv", "venv")
# What ``npm init`` writes: a placeholder that always fails, not a test suite.
NPM_PLACEHOLDER = "no test specified"
NONE_FOUND = ("no deploy.test_command in aim_config.json, and no pytest, tox, nox or npm test "
              "configuration in the workspace; set deploy.test_command in aim_config.json to "
              "run its tests")


@dataclass(frozen=True)
class TestCommand:
    """How to run the tests: an argument list, or (configured by the user) a shell string."""

    __test__ = False  # not a pytest test class

    kind: str
    source: str
    argv: tuple[str, ...] = ()
    shell: str | None = None
    shown: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["argv"] = list(self.argv)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TestCommand:
        return cls(str(data["kind"]), str(data["source"]), tuple(data.get("argv") or ()),
                   data.get("shell"), str(data.get("shown") or ""))


def _scripts(root: Path) -> list[Path]:
    names = ("Scripts",) if os.name == "nt" else ("bin",)
    return [root / venv / name for venv in VENVS for name in names]


def find_program(root: Path, names: tuple[str, ...], path_env: str | None) -> Path | None:
    """The first of ``names`` in the workspace's environment, else on PATH."""
    for folder in _scripts(root):
        for name in names:
            found = shutil.which(name, path=str(folder))
            if found:
                return Path(found)
    for name in names:
        found = shutil.which(name, path=path_env)
        if found:
            return Path(found)
    return None


def _shown(root: Path, argv: list[str]) -> str:
    """The command as the user would type it: programs inside the workspace root-relative."""
    first = Path(argv[0])
    if root in first.parents:
        argv = [first.relative_to(root).as_posix(), *argv[1:]]
    return " ".join(argv)


def _command(root: Path, kind: str, source: str, argv: list[str]) -> TestCommand:
    return TestCommand(kind, source, tuple(argv), None, _shown(root, argv))


def _python(root: Path, path_env: str | None) -> str:
    names = ("python", "python3") if os.name == "nt" else ("python3", "python")
    found = find_program(root, names, path_env)
    return str(found) if found else names[0]


def _program(root: Path, name: str, path_env: str | None) -> str:
    found = find_program(root, (name,), path_env)
    return str(found) if found else name


FIX = "fix it, or set deploy.test_command in aim_config.json"


def _ini_sections(path: Path) -> list[str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        text = path.read_text(encoding="utf-8")
        parser.read_string(text, str(path))
    except configparser.MissingSectionHeaderError as err:
        raise InputError(f"{path}:{err.lineno}: {err.line.strip()!r} comes before any "
                         f"[section] header; {FIX}") from None
    except configparser.ParsingError as err:
        line = err.errors[0][0] if err.errors else 0
        shown = text.splitlines()[line - 1].strip() if line else ""
        raise InputError(f"{path}:{line}: cannot be read as an INI line: {shown!r}; {FIX}"
                         ) from None
    except (configparser.Error, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot be read as an INI file "
                         f"({' '.join(str(err).split())}); {FIX}") from None
    return parser.sections()


def _pyproject_has_pytest(path: Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        toml: Any = importlib.import_module("tomllib")
    except ModuleNotFoundError:  # Python 3.10 has no TOML parser: the table's header tells
        return re.search(r"^\s*\[tool\.pytest\.ini_options\]", text, re.M) is not None
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as err:
        raise InputError(f"{path}: invalid TOML ({err}); {FIX}") from None
    return "ini_options" in data.get("tool", {}).get("pytest", {})


def _has_test_files(root: Path) -> bool:
    tests = root / "tests"
    return tests.is_dir() and any(p.is_file() for p in tests.rglob("test_*.py"))


def pytest_source(root: Path) -> str | None:
    """Where the workspace configures pytest (or keeps pytest-style tests), or None."""
    if (root / "pytest.ini").is_file():
        return "pytest.ini"
    if (root / "pyproject.toml").is_file() and _pyproject_has_pytest(root / "pyproject.toml"):
        return "[tool.pytest.ini_options] in pyproject.toml"
    if (root / "setup.cfg").is_file() and "tool:pytest" in _ini_sections(root / "setup.cfg"):
        return "[tool:pytest] in setup.cfg"
    if (root / "tox.ini").is_file() and "pytest" in _ini_sections(root / "tox.ini"):
        return "[pytest] in tox.ini"
    if _has_test_files(root):
        return "test_*.py files in tests/"
    return None


def npm_test_script(root: Path) -> str | None:
    """``scripts.test`` of package.json, unless it is npm's placeholder."""
    path = root / "package.json"
    if not path.is_file():
        return None
    try:
        data = decode_json(read_limited(path).decode("utf-8"), str(path))
    except json.JSONDecodeError as err:
        raise InputError(f"{path}:{err.lineno}:{err.colno}: invalid JSON ({err.msg}); {FIX}"
                         ) from None
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text ({err.reason}); {FIX}") from None
    script = data.get("scripts", {}).get("test") if isinstance(data, dict) else None
    if not isinstance(script, str) or not script.strip() or NPM_PLACEHOLDER in script:
        return None
    return script


def _pytest(root: Path, path_env: str | None) -> TestCommand | None:
    source = pytest_source(root)
    if source is None:
        return None
    return _command(root, "pytest", source, [_python(root, path_env), "-m", "pytest"])


def _tox(root: Path, path_env: str | None) -> TestCommand | None:
    if not (root / "tox.ini").is_file():
        return None
    return _command(root, "tox", "tox.ini", [_program(root, "tox", path_env)])


def _nox(root: Path, path_env: str | None) -> TestCommand | None:
    if not (root / "noxfile.py").is_file():
        return None
    return _command(root, "nox", "noxfile.py", [_program(root, "nox", path_env)])


def _npm(root: Path, path_env: str | None) -> TestCommand | None:
    script = npm_test_script(root)
    if script is None:
        return None
    return _command(root, "npm", f"scripts.test in package.json ({script})",
                    [_program(root, "npm", path_env), "test"])


DETECTORS: tuple[Callable[[Path, str | None], TestCommand | None], ...] = (
    _pytest, _tox, _nox, _npm)


def detect_test_command(root: Path, configured: str | None = None,
                        path_env: str | None = None) -> TestCommand | None:
    """The command that runs the workspace's tests, or None when nothing says how.

    ``configured`` is ``deploy.test_command`` of aim_config.json; it wins when set.  A
    configuration file that cannot be parsed is bad input (InputError naming it).
    """
    if configured:
        return TestCommand("config", "deploy.test_command in aim_config.json", (), configured,
                           configured)
    for detector in DETECTORS:
        found = detector(root, path_env)
        if found is not None:
            return found
    return None
