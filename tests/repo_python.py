"""The code and project files of the repository-sized workspace: its own ``aim/`` package,
``tasks.py``, ``invoke.yaml``, ``pytest.ini``, CI, ``package.json``, the PowerShell of its
AI_MANGER install, and a ``tests/`` folder that only partly runs without its dependencies.
"""

from __future__ import annotations

import importlib.util

BUILD_PS1 = r"""#requires -Version 7.0
param(
  [string]$ConfigPath = ".\config\toolstack.config.json"
)
Import-Module InvokeBuild -ErrorAction Stop
Import-Module (Join-Path $PSScriptRoot 'modules\ToolStack.psm1') -Force
if (-not (Test-Path $ConfigPath)) { throw "Config not found: $ConfigPath" }
$Global:ToolStackConfig = Get-Content $ConfigPath | ConvertFrom-Json
Get-ChildItem (Join-Path $PSScriptRoot 'tasks') -Filter *.tasks.ps1 |
  ForEach-Object { . $_.FullName }

task Bootstrap -Depends PipxInstall, NpmInstall, CentralizeApply
task Rebuild   -Depends Bootstrap, AuditSetup
task PipxInstall { Install-PipxApps $ToolStackConfig.PipxApps }
task NpmInstall { Install-NpmGlobals $ToolStackConfig.NpmGlobal }
task CentralizeApply { Set-CentralCache $ToolStackConfig.CentralCache }
task AuditSetup { Register-AuditTask $ToolStackConfig.Audit }
task Pin.Sync { Sync-Pins $ToolStackConfig.Pins }
task Secrets.ExportEnv { Export-VaultEnv $ToolStackConfig.Secrets }
task Verify {
  cmd /c "git --version"   | Out-Host
  cmd /c "pipx --version"  | Out-Host
  cmd /c "aider --version" | Out-Host
}
task . Rebuild
"""

PSM1 = r"""function Install-PipxApps([string[]]$Apps) { foreach ($a in $Apps) { pipx install $a } }
function Install-NpmGlobals([string[]]$Pkgs) { foreach ($p in $Pkgs) { npm install -g $p } }
function Set-CentralCache([string]$Path) { $env:XDG_CACHE_HOME = $Path }
function Export-VaultEnv($Secrets) { Write-Host "exporting $($Secrets.EnvMap.Count) keys" }
Export-ModuleMember -Function *
"""

INIT = '''"""aim: the dev pipeline's tool registry and router (first generation)."""

from __future__ import annotations

from pathlib import Path

__version__ = "1.4.2"
CONFIG = Path(__file__).parent / "config" / "aim_config.json"
'''

REGISTRY = '''"""The tool registry of aim/config/aim_config.json."""

from __future__ import annotations

import json
from typing import Any

from aim import CONFIG


def load_registry() -> dict[str, Any]:
    return json.loads(CONFIG.read_text(encoding="utf-8"))


def tool_ids() -> list[str]:
    return sorted(load_registry()["registry"]["tools"])
'''

ROUTER = '''"""Pick the tool for a capability along its fallback chain."""

from __future__ import annotations

from aim.registry import load_registry


def route(capability: str, unavailable: frozenset[str] = frozenset()) -> str | None:
    chain = load_registry()["registry"]["capabilities"][capability]
    for tool in [chain["primaryTool"], *chain["fallbacks"]]:
        if tool not in unavailable:
            return str(tool)
    return None
'''

MAIN = '''"""python -m aim: list the registered tools."""

from aim.registry import tool_ids

print("aim (dev pipeline registry):", ", ".join(tool_ids()))
'''

TASKS = '''"""The repository's own invoke tasks."""

from invoke import task


@task
def test(c):
    """Run the test suite."""
    c.run("python -m pytest -q")


@task
def lint(c):
    """Lint the Python and the Markdown."""
    c.run("ruff check . && npx markdownlint docs")


@task
def tools(c):
    """List the tools of the registry."""
    c.run("python -m aim")
'''

CI = """name: ci
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {python-version: "3.11"}
      - run: pip install -r requirements.txt
      - run: python -m pytest -q
  toolstack:
    runs-on: windows-latest
    steps:
      - uses: actions/checkout@v4
      - shell: pwsh
        run: Invoke-Build -File .\\AI_MANGER\\build.ps1 Verify
"""

PACKAGE_JSON = """{
  "name": "dev-pipeline",
  "private": true,
  "scripts": {
    "lint:md": "markdownlint docs",
    "mcp:memory": "npx -y @modelcontextprotocol/server-memory"
  },
  "devDependencies": {"markdownlint-cli": "^0.41.0", "prettier": "^3.6.2"}
}
"""

# Test modules that import a package ``requirements.txt`` names but the machine lacks.
MISSING = ("mcp", "fastmcp", "httpx", "pydantic", "structlog", "tenacity", "aiosqlite",
           "sqlalchemy", "tiktoken", "anthropic", "openai", "watchdog")
AREAS = ("registry", "router", "vault", "audit", "mcp", "pipeline", "scanner", "budget", "queue",
         "session")
FAILING_TESTS = tuple(f"tests/test_{AREAS[i % 10]}_{MISSING[i % 12]}_{i:02d}.py"
                      for i in range(30))
PASSING = {
    "tests/test_registry_load.py": ("from aim.registry import tool_ids",
                                    ["assert 'aider' in tool_ids()",
                                     "assert tool_ids() == sorted(tool_ids())"]),
    "tests/test_router_chain.py": ("from aim.router import route",
                                   ["assert route('code-generation') == 'claude-cli'",
                                    "assert route('code-generation', frozenset({'claude-cli'})) "
                                    "== 'aider'"]),
    "tests/test_package.py": ("import aim",
                              ["assert aim.__version__ == '1.4.2'",
                               "assert aim.CONFIG.is_file()"]),
}
PASSING_TEST_COUNT = sum(len(body) for _, body in PASSING.values())


def missing_imports() -> list[str]:
    """The packages the failing test modules import (none is installed, or they would pass)."""
    return sorted(set(MISSING))


def _test_module(imports: str, bodies: list[str]) -> str:
    tests = [f"def test_{n}() -> None:\n    {body}\n" for n, body in enumerate(bodies)]
    return "\n\n".join([f"{imports}\n", *tests])


def suite_files() -> dict[str, str]:
    files = {"tests/__init__.py": "", "tests/conftest.py": '"""Shared fixtures."""\n'}
    for i, rel in enumerate(FAILING_TESTS):
        files[rel] = _test_module(f"import {MISSING[i % 12]}",
                                  [f"assert {MISSING[i % 12]}.__name__"])
    files.update({rel: _test_module(imports, body) for rel, (imports, body) in PASSING.items()})
    return files


def project_files() -> dict[str, str]:
    """Every hand-written code and project file, by root-relative path."""
    adapters = {f"aim/adapters/{tool}.ps1": f"param([string[]]$Args)\n& {tool} @Args\n"
                for tool in ("claude-cli", "aider", "codex", "jules")}
    return {
        "aim/__init__.py": INIT, "aim/__main__.py": MAIN, "aim/registry.py": REGISTRY,
        "aim/router.py": ROUTER, **adapters, "tasks.py": TASKS,
        "invoke.yaml": "run:\n  echo: true\ntasks:\n  auto_dash_names: false\n",
        "pytest.ini": "[pytest]\ntestpaths = tests\npythonpath = .\naddopts = -ra\n",
        "requirements.txt": "\n".join(["invoke>=2.2", *MISSING]) + "\n",
        ".github/workflows/ci.yml": CI, ".github/CODEOWNERS": "* @example/platform-team\n",
        "package.json": PACKAGE_JSON, ".gitignore": ".venv/\n__pycache__/\nnode_modules/\n",
        ".editorconfig": "root = true\n\n[*.ps1]\nend_of_line = crlf\n",
        "docs/img/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n',
        "data/fixtures/café-menu.csv": "item,price\ncafé,2.50\n",
        **suite_files(),
    }


def module(word: str, k: int) -> str:
    """A small source module of the pipeline packages."""
    return (f'"""The {word} helpers (module {k})."""\n\nfrom __future__ import annotations\n\n\n'
            f"def {word}_{k}(value: int) -> int:\n    return value + {k}\n")


def installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None
