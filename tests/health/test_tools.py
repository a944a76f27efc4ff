"""Registered tools: found, answering, failing, hanging (a hung tool never stalls the report)."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

from aim import redact
from aim.checks import Status
from aim.health import run_health
from tests.health.util import answering, fake_tool, hanging, make_config, tool, workspace


def test_a_tool_that_answers_is_ok_with_its_version(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    path = answering(bin_dir, "claude", "2.0.31 (Claude Code)")
    report = run_health(workspace(tmp_path / "ws"), make_config(tools=(tool("claude"),)),
                        path_env=str(bin_dir), checks=["tools"])
    found = report.checks[0]
    assert found.name == "tool:claude" and found.status == Status.OK
    assert found.summary == f"claude 2.0.31 (Claude Code) at {path}"


def test_a_tool_that_is_not_installed_warns(tmp_path: Path) -> None:
    report = run_health(workspace(tmp_path / "ws"), make_config(tools=(tool("codex"),)),
                        path_env=str(tmp_path / "bin"), checks=["tools"])
    found = report.checks[0]
    assert found.status == Status.WARN and "not found on PATH (looked for codex)" in found.summary
    assert found.hint == "install Codex and put its folder on PATH"
    assert report.status == "degraded"


def test_a_tool_that_fails_shows_its_last_error_line(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    fake_tool(bin_dir, "aider", "print('loading', file=sys.stderr)\n"
                                "print('ImportError: no module litellm', file=sys.stderr)\n"
                                "sys.exit(3)")
    report = run_health(workspace(tmp_path / "ws"), make_config(tools=(tool("aider"),)),
                        path_env=str(bin_dir), checks=["tools"])
    found = report.checks[0]
    assert found.status == Status.FAIL and report.status == "unhealthy"
    assert found.summary == ("'aider --version' failed (exit code 3): "
                             "ImportError: no module litellm")
    assert found.hint.startswith("run 'aider --version' by hand")


def test_a_hanging_tool_fails_by_timeout_quickly(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    hanging(bin_dir, "stuck")
    answering(bin_dir, "fine")
    config = make_config(tools=(tool("stuck"), tool("fine")), check_timeout=30)
    started = time.monotonic()
    report = run_health(workspace(tmp_path / "ws"), config, path_env=str(bin_dir), timeout=0.5)
    took = time.monotonic() - started
    assert took < 3, took
    stuck = next(c for c in report.checks if c.name == "tool:stuck")
    assert stuck.status == Status.FAIL and "did not answer within 0.5s" in stuck.summary
    assert next(c for c in report.checks if c.name == "tool:fine").status == Status.OK
    assert report.status == "unhealthy"


def test_tools_run_concurrently(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    tools = []
    for number in range(6):
        fake_tool(bin_dir, f"slow{number}", "time.sleep(0.4)\nprint('slow 1.0')")
        tools.append(tool(f"slow{number}"))
    started = time.monotonic()
    report = run_health(workspace(tmp_path / "ws"), make_config(tools=tuple(tools)),
                        path_env=str(bin_dir), checks=["tools"])
    assert all(c.status == Status.OK for c in report.checks) and len(report.checks) == 6
    assert time.monotonic() - started < 6 * 0.4


def test_a_secret_in_tool_output_is_masked(tmp_path: Path) -> None:
    redact.register("sk-health-0123456789")
    bin_dir = tmp_path / "bin"
    fake_tool(bin_dir, "leaky", "print('using key sk-health-0123456789', file=sys.stderr)\n"
                                "sys.exit(1)")
    report = run_health(workspace(tmp_path / "ws"), make_config(tools=(tool("leaky"),)),
                        path_env=str(bin_dir), checks=["tools"])
    assert "sk-health" not in str(report.to_dict())
    assert "using key ***" in report.checks[0].summary


def _busy_tool(bin_dir: Path, name: str, slots: Path) -> None:
    """A tool whose ``--version`` needs one of two "CPUs" (lock files) for 0.2 s, like a
    tool's start-up work on a two-core machine: started all at once, the last ones wait."""
    fake_tool(bin_dir, name, textwrap.dedent(f"""\
        import fcntl
        while True:
            for slot in range(2):
                handle = open({str(slots)!r} + str(slot), "w")
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    handle.close()
                    continue
                time.sleep(0.2)
                print("{name} 1.0")
                sys.exit(0)
            time.sleep(0.01)
        """))


def test_many_slow_tools_all_pass_a_few_at_a_time(tmp_path: Path) -> None:
    bin_dir, slots = tmp_path / "bin", tmp_path / "slot"
    names = [f"slow{i}" for i in range(12)]
    for name in names:
        _busy_tool(bin_dir, name, slots)
    ws = workspace(tmp_path / "ws")
    tools = tuple(tool(name) for name in names)
    def statuses(at_once: int) -> list[str]:
        config = make_config(tools=tools, concurrency=at_once, check_timeout=1.0)
        report = run_health(ws, config, path_env=str(bin_dir), checks=["tools"])
        return [c.status.value for c in report.checks]

    assert statuses(2) == ["ok"] * 12
    assert "fail" in statuses(12)  # all at once: 6 rounds of 0.2 s, the last ones time out
