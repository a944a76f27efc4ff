"""Pre-flight: drift and scan checks weighed by their mode, and ``sync: true`` as a real step."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aim.preflight import run_check
from aim.workflow.defaults import preflight_hook
from aim.workflow.journal import read_journal
from aim.workspace import Workspace
from tests.cli.clitool import aim
from tests.versions.fakes import calls
from tests.workflow import pkgfakes
from tests.workflow.wfutil import Recorder, run, write_workflow

PINS = {"pipx": {"ruff": "0.5.0"}, "npm": {"@openai/codex": "1.2.0"}}
BEFORE = {"pipx": {"ruff": "0.4.0"}, "npm": {}}
SYNC_INSTALLS = [["pipx", "install", "--force", "ruff==0.5.0"],
                 ["npm", "install", "-g", "@openai/codex@1.2.0"]]
PUT_BACK = [["npm", "uninstall", "-g", "@openai/codex"],
            ["pipx", "install", "--force", "ruff==0.4.0"]]


def workspace(root: Path, **extra: Any) -> Workspace:
    """A workspace whose aim_config.json manages ruff (pipx) and codex (npm) with pins."""
    root.mkdir(parents=True, exist_ok=True)
    data = {"version": 1, "packages": {"pipx": ["ruff"], "npm": ["@openai/codex"]},
            "pins": PINS, **extra}
    (root / "aim_config.json").write_text(json.dumps(data, indent=2))
    return Workspace.at(root)


def changes(bin_dir: Path) -> list[list[str]]:
    """The calls that change something (listings left out)."""
    return [c for c in calls(bin_dir) if c[1] not in ("list", "ls")]


@pytest.fixture
def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Fake pipx and npm, first on PATH, with ruff 0.4.0 installed and codex missing."""
    bin_dir = pkgfakes.managers(tmp_path / "bin", BEFORE["pipx"], BEFORE["npm"])
    monkeypatch.setenv("PATH", pkgfakes.search_path(bin_dir))
    return bin_dir


# -- drift ------------------------------------------------------------------------------------

def test_drift_is_a_failure_in_fail_mode_and_a_warning_in_warn_mode(tmp_path: Path,
                                                                     fakes: Path) -> None:
    ws = workspace(tmp_path / "ws")
    failed = run_check("drift", "fail", ws)
    assert failed.status == "fail"
    assert failed.summary.startswith("2 package(s) drifted from their pins: ruff (pipx: 0.4.0, "
                                     "pinned 0.5.0), @openai/codex (npm: missing")
    assert "aim versions --sync" in failed.hint
    assert failed.evidence["drifted"] == ["ruff", "@openai/codex"]
    assert run_check("drift", "warn", ws).status == "warn"
    assert changes(fakes) == []  # checking installs nothing


def test_no_drift_is_ok(tmp_path: Path, fakes: Path) -> None:
    (fakes / "state.json").write_text(json.dumps(PINS))
    outcome = run_check("drift", "fail", workspace(tmp_path / "ws"))
    assert outcome.status == "ok" and "every managed package is at its pin" in outcome.summary


def test_a_missing_config_is_a_problem_not_a_silent_pass(tmp_path: Path, fakes: Path) -> None:
    ws = Workspace.at(tmp_path)
    for check in ("drift", "scan"):
        failed = run_check(check, "fail", ws)
        assert failed.status == "fail", check
        assert failed.summary.startswith(f"the {check} check could not run: ")
        assert "aim_config.json: no config file here" in failed.summary
        assert run_check(check, "warn", ws).status == "warn"


DRIFT_GUARDED = """
    version: 1
    name: guarded
    preflight: {{drift: {mode}}}
    steps:
      - {{id: write, uses: file.write, with: {{path: notes.txt, content: "changed"}}}}
"""


def test_drift_fail_mode_runs_no_step_and_warn_mode_runs(tmp_path: Path, fakes: Path) -> None:
    ws = workspace(tmp_path / "ws")
    recorder = Recorder()
    blocked = run(ws, write_workflow(tmp_path / "a", "guarded", DRIFT_GUARDED.format(
        mode="fail")), recorder.hooks(preflight=preflight_hook))
    assert (blocked.status, blocked.failed_step, blocked.steps) == (
        "failed", "preflight.drift", ())
    assert not (ws.root / "notes.txt").exists()
    journal = read_journal(ws.runs_dir / blocked.run_id)
    assert [(r["check"], r["status"]) for r in journal if r["t"] == "preflight"] == [
        ("drift", "fail")]
    went = run(ws, write_workflow(tmp_path / "b", "guarded", DRIFT_GUARDED.format(mode="warn")),
               recorder.hooks(preflight=preflight_hook))
    assert went.status == "success" and went.preflight[0].status == "warn"
    assert (ws.root / "notes.txt").read_text() == "changed"


def test_the_gate_weighs_the_versions_check_that_status_shows_as_a_warning(
        tmp_path: Path, fakes: Path) -> None:
    ws = workspace(tmp_path / "ws")
    flow = write_workflow(tmp_path / "a", "guarded", DRIFT_GUARDED.format(mode="fail"))
    blocked = run_cli(ws, fakes, "workflow.run", str(flow))
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert ("    fail  pre-flight drift: 2 package(s) drifted from their pins: ruff (pipx: 0.4.0, "
            "pinned 0.5.0), @openai/codex (npm: missing, pinned 1.2.0) — install the pinned "
            "versions with 'aim versions --sync'") in blocked.stdout
    # the same state, the same check: a warning where nothing asked for no drift
    shown = json.loads(run_cli(ws, fakes, "status", "--json").stdout)
    [versions] = [c for c in shown["checks"] if c["name"] == "versions"]
    assert versions["status"] == "warn" and versions["summary"] == \
        run_check("drift", "warn", ws).summary


# -- scan -------------------------------------------------------------------------------------

def scan_workspace(tmp_path: Path) -> Workspace:
    projects = tmp_path / "projects"
    projects.mkdir()
    return workspace(tmp_path / "ws", scan={"roots": [str(projects)],
                                            "cache_patterns": ["__pycache__"]})


def test_scan_findings_fail_in_fail_mode_and_warn_in_warn_mode(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    ws = scan_workspace(tmp_path)
    cache = tmp_path / "projects" / "app" / "__pycache__"
    cache.mkdir(parents=True)
    (cache / "m.cpython-311.pyc").write_bytes(b"x" * 2048)
    first, second = pkgfakes.managers(tmp_path / "one", {}, {}), tmp_path / "two"
    pkgfakes.managers(second, {}, {})  # a second pipx (and npm) on PATH: duplicates
    monkeypatch.setenv("PATH", f"{first}:{second}")
    failed = run_check("scan", "fail", ws)
    assert failed.status == "fail" and failed.summary.startswith("3 finding(s): ")
    assert f"{cache} (cache)" in failed.summary and "pipx (duplicate command)" in failed.summary
    assert failed.evidence["findings"] == 3 and failed.evidence["caches"] == [str(cache)]
    assert sorted(failed.evidence["duplicates"]) == ["npm", "pipx"]
    assert run_check("scan", "warn", ws).status == "warn"


def test_a_clean_scan_is_ok_and_a_workflow_with_scan_warn_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = scan_workspace(tmp_path)
    monkeypatch.setenv("PATH", str(pkgfakes.managers(tmp_path / "bin", {}, {})))
    clean = run_check("scan", "fail", ws)
    assert clean.status == "ok" and clean.evidence["findings"] == 0
    (tmp_path / "projects" / "__pycache__").mkdir()
    wf = write_workflow(tmp_path / "wf", "scanned", """
        version: 1
        name: scanned
        preflight: {scan: warn}
        steps:
          - {id: say, uses: echo, with: {message: hi}}
    """)
    result = run(ws, wf, Recorder().hooks(preflight=preflight_hook))
    assert result.status == "success" and [s.id for s in result.steps] == ["say"]
    assert (result.preflight[0].name, result.preflight[0].status) == ("scan", "warn")
    assert "1 finding(s)" in result.preflight[0].summary


# -- sync: true -------------------------------------------------------------------------------

SYNCED = """
    version: 1
    name: synced
    preflight: {{sync: true, drift: fail}}
    on_failure: {on_failure}
    steps:
      - {{id: write, uses: file.write, with: {{path: notes.txt, content: "changed"}}}}
      - {{id: last, uses: shell, with: {{run: "{last}", writes: []}}}}
"""


def synced(tmp_path: Path, last: str = "true", on_failure: str = "rollback") -> Path:
    return write_workflow(tmp_path / "wf", "synced", SYNCED.format(last=last,
                                                                   on_failure=on_failure))


def run_cli(ws: Workspace, bin_dir: Path, *args: str) -> Any:
    return aim(*args, "--root", str(ws.root), env={"PATH": pkgfakes.search_path(bin_dir)})


def test_sync_installs_the_pins_as_the_first_step_and_rollback_puts_them_back(
        tmp_path: Path, fakes: Path) -> None:
    ws = workspace(tmp_path / "ws")
    done = run_cli(ws, fakes, "workflow.run", str(synced(tmp_path)), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [s["id"] for s in result["steps"]] == ["preflight.sync", "write", "last"]
    assert [(p["name"], p["status"]) for p in result["preflight"]] == [("drift", "ok")]
    assert changes(fakes) == SYNC_INSTALLS
    assert pkgfakes.installed(fakes) == PINS
    journal = read_journal(ws.runs_dir / result["run_id"])
    sync_records = [(r["t"], r.get("kind")) for r in journal if r.get("step") == "preflight.sync"]
    assert sync_records == [("step_start", None), ("checkpoint", "action"), ("settled", None),
                            ("checkpoint", "action"), ("settled", None), ("step_end", None)]
    preview = run_cli(ws, fakes, "rollback", "--dry-run")
    assert "pipx install --force ruff==0.4.0" in preview.stdout
    assert "not verified before the undo" not in preview.stdout  # settled: listing checked
    assert changes(fakes) == SYNC_INSTALLS  # the preview changed nothing
    undone = run_cli(ws, fakes, "rollback")
    assert undone.returncode == 0, undone.stderr
    assert changes(fakes) == SYNC_INSTALLS + PUT_BACK
    assert pkgfakes.installed(fakes) == BEFORE and not (ws.root / "notes.txt").exists()


def test_a_later_failure_rolls_the_sync_back(tmp_path: Path, fakes: Path) -> None:
    ws = workspace(tmp_path / "ws")
    failed = run_cli(ws, fakes, "workflow.run", str(synced(tmp_path, last="false")))
    assert failed.returncode == 1
    assert "every completed step was rolled back" in failed.stdout
    assert changes(fakes) == SYNC_INSTALLS + PUT_BACK
    assert pkgfakes.installed(fakes) == BEFORE and not (ws.root / "notes.txt").exists()


def test_a_failed_install_stops_the_run_before_its_steps(tmp_path: Path, fakes: Path) -> None:
    ws = workspace(tmp_path / "ws")
    (fakes / "fail-@openai_codex").touch()
    recorder = Recorder()
    result = run(ws, synced(tmp_path), recorder.hooks(preflight=preflight_hook))
    assert (result.status, result.failed_step) == ("failed", "preflight.sync")
    assert "installing @openai/codex failed" in result.reason and result.rolled_back
    assert [s.id for s in result.steps] == ["preflight.sync"] and result.preflight == ()
    # the failed install's own undo (an uninstall npm tolerates) runs, then ruff goes back
    assert changes(fakes) == [*SYNC_INSTALLS, *PUT_BACK]
    assert pkgfakes.installed(fakes) == BEFORE and not (ws.root / "notes.txt").exists()


def test_sync_dry_run_lists_the_installs_and_changes_nothing(tmp_path: Path,
                                                             fakes: Path) -> None:
    ws = workspace(tmp_path / "ws")
    plan = run_cli(ws, fakes, "workflow.run", str(synced(tmp_path)), "--dry-run")
    assert plan.returncode == 0, plan.stderr
    assert "preflight.sync  (uses versions.sync)" in plan.stdout
    assert "| pipx ruff: 0.4.0 -> 0.5.0: pipx install --force ruff==0.5.0" in plan.stdout
    assert "| npm @openai/codex: not installed -> 1.2.0" in plan.stdout
    assert changes(fakes) == [] and pkgfakes.installed(fakes) == BEFORE
