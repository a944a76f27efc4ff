"""``aim deploy`` runs the workspace's own tests before its first change and after its last:
what the deploy makes fail undoes it; what was failing before is reported, not undone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.deploy.deployutil import Sandbox, outcome, picture
from tests.production.test_cli_and_timings import repository

PASSING = "def test_arithmetic():\n    assert 1 + 1 == 2\n"
# fails once the deploy has written its deprecation notice into AI_MANGER/README.md
UNCHANGED_README = ("from pathlib import Path\n\n\ndef test_legacy_readme_is_untouched():\n"
                    "    text = Path('AI_MANGER/README.md').read_text()\n"
                    "    assert 'Deprecated' not in text\n")
MISSING_IMPORT = "import a_dependency_that_is_not_installed\n\n\ndef test_x():\n    pass\n"


def with_tests(sandbox: Sandbox, tests: dict[str, str]) -> Sandbox:
    """Give the workspace a pytest.ini, tests, and its own .venv interpreter."""
    (sandbox.root / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n")
    for name, text in tests.items():
        (sandbox.root / "tests").mkdir(exist_ok=True)
        (sandbox.root / "tests" / name).write_text(text)
    python = sandbox.root / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')  # has pytest installed
    python.chmod(0o755)
    return sandbox


def deploy_report(sandbox: Sandbox) -> tuple[str, dict[str, Any]]:
    """The kept deploy report (reports/, or the run folder after a rollback)."""
    found = sandbox.reports() or sorted((sandbox.root / ".aim" / "runs").glob("*/deploy-*.md"))
    md = found[-1]
    return md.read_text(), json.loads(md.with_suffix(".json").read_text())


def test_tests_passing_before_and_after_are_both_in_the_report(fresh: Sandbox) -> None:
    with_tests(fresh, {"test_ok.py": PASSING})
    done = fresh.deploy()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "tests before the deploy: running `.venv/bin/python -m pytest` (pytest.ini)" in \
        done.stdout
    text, report = deploy_report(fresh)
    assert ("- tests: `.venv/bin/python -m pytest` (pytest.ini) passed: before the deploy: "
            "1 passed in ") in text
    assert report["tests"]["before"]["summary"].startswith("1 passed")
    assert report["tests"]["summary"].startswith("1 passed")
    assert report["baseline"]["exit_code"] == 0 and report["tests"]["exit_code"] == 0
    assert "| all tests passing | ok | " in text
    # complete: every item ran; what warns is not the tests (the sample's tools are absent)
    assert outcome(text).startswith("production validation complete, with warnings: ")
    assert "all tests passing" not in outcome(text)
    # pytest left no cache or bytecode in the workspace
    assert not (fresh.root / ".pytest_cache").exists()
    assert not list(fresh.root.rglob("__pycache__"))


def test_tests_failing_before_the_deploy_are_reported_and_do_not_undo_it(
        fresh: Sandbox) -> None:
    with_tests(fresh, {"test_ok.py": PASSING, "test_needs_dependency.py": MISSING_IMPORT})
    done = fresh.deploy()
    assert done.returncode == 0, done.stdout + done.stderr
    text, report = deploy_report(fresh)
    assert report["status"] == "success" and report["changed"] is True
    assert "failing before the deploy too, so not caused by it: before the deploy: " \
        "1 error in " in text
    assert "failing: tests/test_needs_dependency.py" in text
    assert "| all tests passing | warn | " in text
    assert outcome(text).startswith("production validation complete, with warnings: ")
    assert outcome(text).endswith(", all tests passing")
    assert report["tests"]["verdict"] == "failing_before"


def test_a_test_the_deploy_makes_fail_rolls_it_back_byte_for_byte(fresh: Sandbox) -> None:
    with_tests(fresh, {"test_ok.py": PASSING, "test_readme.py": UNCHANGED_README})
    before = picture(fresh)
    failed = fresh.deploy()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "failed at production" in failed.stderr and "rolled back" in failed.stderr
    assert picture(fresh) == before
    assert fresh.entries() == {}
    text, report = deploy_report(fresh)
    assert "production validation FAILED: all tests passing" in text
    assert "| all tests passing | fail | " in text
    assert ("FAILED because of the deploy: before the deploy: 2 passed in" in text
            and "after: 1 failed, 1 passed in" in text)
    assert "newly failing: tests/test_readme.py::test_legacy_readme_is_untouched" in text
    log = Path(report["tests"]["log"])
    assert f"(output: {log})" in text and log.name == "tests-after.log"
    assert "test_legacy_readme_is_untouched" in log.read_text()
    assert report["status"] == "failed"


def test_the_dry_run_shows_the_test_command(fresh: Sandbox) -> None:
    with_tests(fresh, {"test_ok.py": PASSING})
    before = picture(fresh)
    planned = fresh.deploy("--dry-run")
    assert planned.returncode == 0, planned.stderr
    assert ("would run `.venv/bin/python -m pytest` (pytest.ini) in the workspace root before "
            "the first change") in planned.stdout
    assert picture(fresh) == before


def test_no_test_command_is_said_plainly_and_validation_is_not_complete(
        fresh: Sandbox) -> None:
    planned = fresh.deploy("--dry-run")
    assert "tests: none found: no deploy.test_command in aim_config.json" in planned.stdout
    done = fresh.deploy()
    assert done.returncode == 0, done.stdout + done.stderr
    text, report = deploy_report(fresh)
    assert "production validation NOT COMPLETE: not run: all tests passing" in text
    assert report["production"]["complete"] is False


def test_a_repository_with_its_own_aim_package_deploys_with_aim_plus_measured(
        fresh: Sandbox) -> None:
    """The user's case: 'aim deploy' in a repository with aim/, tasks.py, invoke.yaml."""
    repository(fresh.root)
    with_tests(fresh, {"test_ok.py": PASSING})
    console = Path(sys.executable).parent / "aim"  # the installed program, as a user runs it
    done = subprocess.run([str(console), "deploy", "--vault", "vault/vault.json"],
                          cwd=fresh.root, env={**os.environ, **fresh.env},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    text, report = deploy_report(fresh)
    [cli] = [c for c in report["production"]["checks"] if c["name"] == "cli"]
    assert cli["status"] in ("ok", "warn") and "'aim --version': AIM+ " in cli["summary"]
    assert "workspace aim" not in text
    assert report["tests"]["verdict"] == "passed"


def test_a_secret_the_tests_print_reaches_no_report_log_or_terminal(fresh: Sandbox) -> None:
    value = fresh.env["OPENAI_API_KEY"]
    # fails before and after the deploy, printing a key from its environment
    with_tests(fresh, {"test_env.py": "import os\n\n\ndef test_env():\n"
                                      "    assert os.environ['OPENAI_API_KEY'] == ''\n"})
    done = fresh.deploy()
    assert done.returncode == 0, done.stdout + done.stderr
    text, report = deploy_report(fresh)
    assert report["tests"]["verdict"] == "failing_before"
    logs = list((fresh.root / ".aim" / "runs").glob("*/tests-*.log"))
    assert len(logs) == 2 and all("***" in log.read_text() for log in logs)
    for shown in (text, json.dumps(report), done.stdout, done.stderr,
                  *(log.read_text() for log in logs)):
        assert value not in shown
