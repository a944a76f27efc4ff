"""Version commands and manager listings, run against fake executables on a tmp PATH."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from aim.versions import detect
from tests.versions import fakes


@pytest.mark.parametrize(("output", "version"), [
    ("aider 0.86.1\n", "0.86.1"),
    ("2.0.31 (Claude Code)\n", "2.0.31"),
    ("codex-cli 0.58.0\n", "0.58.0"),
    ("git version 2.39.2\n", "2.39.2"),
    ("v20.11.0\n", "20.11.0"),
    ("gemini 0.1.0-nightly.20250801\n", "0.1.0-nightly.20250801"),
    ("llm, version 0.19rc1\n", "0.19rc1"),
    ("tool 1.0.post2 (python3.11)\n", "1.0.post2"),
    ("python3.11 says 4.5\n", "4.5"),
    ("no version here\n", None),
    ("build 42\n", None),
    ("\x1b[32mcodex-cli 0.58.0\x1b[0m\n", "0.58.0"),
    ("\x1b[1m2.0.31\x1b[0m (Claude Code)\n", "2.0.31"),
])
def test_first_version_token(output: str, version: str | None) -> None:
    assert detect.parse_version(output) == version


def test_tool_version_from_its_command(tmp_path: Path) -> None:
    fakes.fake(tmp_path, "claude", "2.0.31 (Claude Code)\n")
    probe = detect.probe_tool("claude", ["claude", "--version"], 5, path=str(tmp_path))
    assert (probe.state, probe.version) == ("ok", "2.0.31")
    assert fakes.calls(tmp_path) == [["claude", "--version"]]


def test_version_printed_on_stderr_is_read(tmp_path: Path) -> None:
    script = tmp_path / "old"
    script.write_text("#!/bin/sh\necho 'old-tool 3.2.1' >&2\nexit 1\n")
    script.chmod(0o755)
    assert detect.probe_tool("old", ["old", "-V"], 5, path=str(tmp_path)).version == "3.2.1"


def test_missing_tool_is_a_clean_result(tmp_path: Path) -> None:
    probe = detect.probe_tool("aider", ["aider", "--version"], 5, path=str(tmp_path))
    assert (probe.state, probe.version, probe.detail) == ("missing", None,
                                                          "aider is not on PATH")


def test_output_without_a_version_is_an_error_naming_it(tmp_path: Path) -> None:
    fakes.fake(tmp_path, "weird", {"*": ("Usage: weird [options]\n", 2)})
    probe = detect.probe_tool("weird", ["weird", "--version"], 5, path=str(tmp_path))
    assert probe.state == "error"
    assert "exit code 2" in probe.detail and "Usage: weird" in probe.detail


def test_hanging_tool_is_reported_as_a_timeout_quickly(tmp_path: Path) -> None:
    fakes.fake(tmp_path, "stuck", "HANG")
    started = time.monotonic()
    probe = detect.probe_tool("stuck", ["stuck", "--version"], 0.5, path=str(tmp_path))
    assert time.monotonic() - started < 5
    assert (probe.state, probe.detail) == ("timeout", "stuck timed out after 0.5s")


def test_manager_listings(tmp_path: Path) -> None:
    fakes.managers(tmp_path, pipx={"aider-chat": "0.86.1", "Ruff_Lint": "0.6.9"},
                   npm={"@anthropic-ai/claude-code": "2.0.31"}, uv={"llm": "0.19"})
    found = {m: detect.list_manager(m, 5, path=str(tmp_path)) for m in ("pipx", "npm", "uv")}
    assert {m: (lst.state, dict(lst.packages)) for m, lst in found.items()} == {
        "pipx": ("ok", {"aider-chat": "0.86.1", "ruff-lint": "0.6.9"}),
        "npm": ("ok", {"@anthropic-ai/claude-code": "2.0.31"}),
        "uv": ("ok", {"llm": "0.19"}),
    }
    assert sorted(fakes.calls(tmp_path)) == [["npm", "ls", "-g", "--json", "--depth=0"],
                                              ["pipx", "list", "--json"], ["uv", "tool", "list"]]


def test_pnpm_listing_is_a_list_of_projects(tmp_path: Path) -> None:
    projects = [{"path": "/g/5", "dependencies": {"cowsay": {"version": "1.5.0"},
                                                  "@openai/codex": {"version": "0.58.2"}}},
                {"path": "/g/6"}]
    fakes.fake(tmp_path, "pnpm", {"ls -g --json --depth=0": (json.dumps(projects), 0)})
    listing = detect.list_manager("pnpm", 5, path=str(tmp_path))
    assert (listing.state, dict(listing.packages)) == (
        "ok", {"cowsay": "1.5.0", "@openai/codex": "0.58.2"})


def test_npm_listing_with_problems_still_counts(tmp_path: Path) -> None:
    fakes.fake(tmp_path, "npm", {"*": (fakes.npm_json({"@openai/codex": "0.58.0"}), 1)})
    listing = detect.list_manager("npm", 5, path=str(tmp_path))
    assert (listing.state, dict(listing.packages)) == ("ok", {"@openai/codex": "0.58.0"})


def test_uv_with_no_tools(tmp_path: Path) -> None:
    fakes.fake(tmp_path, "uv", "No tools installed\n")
    listing = detect.list_manager("uv", 5, path=str(tmp_path))
    assert (listing.state, dict(listing.packages)) == ("ok", {})


@pytest.mark.parametrize(("outputs", "state", "detail"), [
    ({"*": ("{not json", 0)}, "error", "pipx list --json: unreadable output"),
    ({"*": ("[]", 0)}, "error", "pipx list --json: unreadable output"),
    ({"*": ("", 1)}, "error", "pipx list --json: exit code 1"),
    ({"*": ("HANG", 0)}, "timeout", "pipx list --json timed out after 0.5s"),
])
def test_broken_listings_are_results(tmp_path: Path, outputs: dict[str, tuple[str, int]],
                                     state: str, detail: str) -> None:
    fakes.fake(tmp_path, "pipx", outputs)
    listing = detect.list_manager("pipx", 0.5, path=str(tmp_path))
    assert listing.state == state and listing.detail.startswith(detail)


def test_missing_and_unsupported_managers(tmp_path: Path) -> None:
    assert detect.list_manager("npm", 5, path=str(tmp_path)).state == "missing"
    assert detect.list_manager("winget", 5, path=str(tmp_path)).state == "unsupported"


def test_winner_and_every_copy_on_path(tmp_path: Path) -> None:
    first, second, third = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    fakes.fake(second, "aider", "aider 0.80.0\n")
    fakes.fake(third, "aider", "aider 0.86.1\n")
    (first / "aider").parent.mkdir()
    (first / "aider").write_text("not executable")
    path = os.pathsep.join(map(str, (first, second, third, second)))
    assert detect.locate(["aider"], path) == (str(second / "aider"),
                                              (str(second / "aider"), str(third / "aider")))
    assert detect.locate(["nothing"], path) == (None, ())


def test_detect_runs_everything_concurrently(tmp_path: Path) -> None:
    for index in range(8):
        fakes.fake(tmp_path, f"slow{index}", {"*": ("HANG", 0)})
    fakes.managers(tmp_path, pipx={"ruff": "0.6.9"})
    started = time.monotonic()
    found = detect.detect({f"t{i}": [f"slow{i}", "--version"] for i in range(8)}, ["pipx"],
                          timeout=0.5, path=str(tmp_path))
    assert time.monotonic() - started < 3  # eight 0.5 s timeouts, not one after another
    assert {p.state for p in found.tools.values()} == {"timeout"}
    assert dict(found.listings["pipx"].packages) == {"ruff": "0.6.9"}
