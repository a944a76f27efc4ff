"""PATH analysis: which copy of a command wins, which are shadowed, and who installed them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from aim.config.model import ScanSettings
from aim.scanner import ManagerRule, scan
from aim.scanner.budget import Budget
from aim.scanner.managers import ManagerGuesser
from aim.scanner.pathscan import analyse_path, commands_in
from tests.scanner.scanutil import make_tool, path_of

SETTINGS = ScanSettings()


def test_same_name_in_two_dirs_first_wins_second_is_shadowed(tmp_path: Path) -> None:
    first = make_tool(tmp_path / "a", "tool")
    second = make_tool(tmp_path / "b", "tool")
    make_tool(tmp_path / "b", "only-here")
    path = path_of(tmp_path / "a", tmp_path / "b")
    report = scan(SETTINGS, path_env=path)
    assert [d.name for d in report.duplicates] == ["tool"]
    dup = report.duplicates[0]
    assert (dup.winner.path, dup.winner.position) == (str(first), 0)
    assert [(c.path, c.position) for c in dup.shadowed] == [(str(second), 1)]
    assert [s.to_dict()["shadowed_by"] for s in report.shadowed] == [str(first)]
    # The winner is what really runs when the name is typed.
    ran = subprocess.run(["tool"], env={"PATH": path}, capture_output=True, text=True,
                         check=True)
    assert ran.stdout.strip() == dup.winner.path


def test_a_symlink_or_hard_link_to_the_same_file_is_not_a_duplicate(tmp_path: Path) -> None:
    real = make_tool(tmp_path / "a", "tool")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "tool").symlink_to(real)
    (tmp_path / "c").mkdir()
    os.link(real, tmp_path / "c" / "tool")
    report = scan(SETTINGS, path_env=path_of(tmp_path / "a", tmp_path / "b", tmp_path / "c"))
    assert report.duplicates == () and report.shadowed == ()


def test_symlinks_to_two_different_files_are_a_duplicate(tmp_path: Path) -> None:
    one = make_tool(tmp_path / "store" / "v1", "tool")
    two = make_tool(tmp_path / "store" / "v2", "tool")
    for folder, target in (("a", one), ("b", two)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "tool").symlink_to(target)
    report = scan(SETTINGS, path_env=path_of(tmp_path / "a", tmp_path / "b"))
    (dup,) = report.duplicates
    assert (dup.winner.real_path, dup.shadowed[0].real_path) == (str(one), str(two))


def test_pipx_and_uv_copies_of_one_tool_are_a_conflict(tmp_path: Path) -> None:
    pipx = make_tool(tmp_path / "pipx" / "venvs" / "aider-chat" / "bin", "aider", "pipx")
    uv = make_tool(tmp_path / "uv" / "tools" / "aider-chat" / "bin", "aider", "uv")
    for folder, target in (("pipx-bin", pipx), ("uv-bin", uv)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "aider").symlink_to(target)
    make_tool(tmp_path / "other", "aider")  # a third copy nobody can place
    path = path_of(tmp_path / "uv-bin", tmp_path / "pipx-bin", tmp_path / "other")
    report = scan(SETTINGS, path_env=path)
    (conflict,) = report.conflicts
    assert conflict.name == "aider" and conflict.managers == ("uv", "pipx")
    assert [(c.manager, c.package) for c in conflict.copies] == [
        ("uv", "aider-chat"), ("pipx", "aider-chat"), (None, None)]
    ran = subprocess.run(["aider"], env={"PATH": path}, capture_output=True, text=True)
    assert ran.stdout.strip() == "uv"


def test_two_copies_from_one_manager_are_a_duplicate_but_no_conflict(tmp_path: Path) -> None:
    make_tool(tmp_path / "h1" / "pipx" / "venvs" / "ruff" / "bin", "ruff")
    make_tool(tmp_path / "h2" / "pipx" / "venvs" / "ruff" / "bin", "ruff")
    report = scan(SETTINGS, path_env=path_of(tmp_path / "h1" / "pipx" / "venvs" / "ruff" / "bin",
                                             tmp_path / "h2" / "pipx" / "venvs" / "ruff" / "bin"))
    assert [d.name for d in report.duplicates] == ["ruff"] and report.conflicts == ()


def test_manager_guesses_from_real_paths() -> None:
    guess = ManagerGuesser().guess
    assert guess("/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js") == (
        "npm", "@anthropic-ai/claude-code")
    assert guess("/home/u/.npm-global/lib/node_modules/npm/bin/npm-cli.js") == ("npm", "npm")
    assert guess("C:\\Users\\dev\\AppData\\Local\\Microsoft\\WinGet\\Packages\\"
                 "Git.Git_Microsoft.Winget.Source_8wekyb3d8bbwe\\bin\\git.exe") == (
        "winget", "Git.Git")
    assert guess("/home/u/.local/share/pipx/venvs/Aider-Chat/bin/aider") == (
        "pipx", "Aider-Chat")
    assert guess("/home/u/.local/share/pnpm/global/5/.pnpm/cowsay@1.5.0/node_modules/cowsay/"
                 "cli.js") == ("pnpm", "cowsay")
    assert guess("/home/u/.local/share/pnpm/global/5/node_modules/@openai/codex/bin/codex.js") \
        == ("pnpm", "@openai/codex")
    assert guess("/usr/bin/git") == ("system", None)
    assert guess("/opt/custom/bin/git") == (None, None)


def test_custom_manager_rules_replace_the_defaults(tmp_path: Path) -> None:
    make_tool(tmp_path / "scoop" / "apps" / "git" / "bin", "git")
    make_tool(tmp_path / "pipx" / "venvs" / "git" / "bin", "git")
    rules = [ManagerRule("scoop", r"/scoop/apps/(?P<pkg>[^/]+)/")]
    report = scan(SETTINGS, managers=rules, path_env=path_of(
        tmp_path / "scoop" / "apps" / "git" / "bin", tmp_path / "pipx" / "venvs" / "git" / "bin"))
    (dup,) = report.duplicates
    assert [(c.manager, c.package) for c in dup.copies] == [("scoop", "git"), (None, None)]


def test_files_without_the_executable_bit_and_dangling_links_are_no_commands(
        tmp_path: Path) -> None:
    make_tool(tmp_path / "a", "tool")
    make_tool(tmp_path / "b", "tool").chmod(0o644)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "tool").symlink_to(tmp_path / "missing")
    (tmp_path / "d" / "tool").mkdir(parents=True)  # a folder named like the command
    report = scan(SETTINGS, path_env=path_of(*(tmp_path / x for x in "abcd")))
    assert report.duplicates == ()


def test_missing_and_repeated_path_entries(tmp_path: Path) -> None:
    make_tool(tmp_path / "a", "tool")
    report = scan(SETTINGS, path_env=path_of(tmp_path / "a", tmp_path / "gone", tmp_path / "a"))
    assert report.duplicates == ()
    assert report.notes == (f"PATH entry {tmp_path / 'gone'} does not exist",)


def test_path_defaults_to_env_and_entries_are_expanded(tmp_path: Path) -> None:
    make_tool(tmp_path / "a", "tool")
    make_tool(tmp_path / "b", "tool")
    env = {"PATH": os.pathsep.join(["$TOOLS/a", "%TOOLS%/b"]), "TOOLS": str(tmp_path)}
    report = scan(SETTINGS, env=env)
    assert [c.path for c in report.duplicates[0].copies] == [
        str(tmp_path / "a" / "tool"), str(tmp_path / "b" / "tool")]


def test_windows_pathext_picks_commands_by_extension_case_insensitively(tmp_path: Path) -> None:
    for name in ("Aider.CMD", "aider.exe", "readme.txt", "git.bat"):
        (tmp_path / "a").mkdir(exist_ok=True)
        (tmp_path / "a" / name).write_text("")  # Windows needs no executable bit
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "AIDER.COM").write_text("")
    found = commands_in(str(tmp_path / "a"), [".com", ".exe", ".bat", ".cmd"])
    assert found == {"aider": ("aider", str(tmp_path / "a" / "aider.exe")),
                     "git": ("git", str(tmp_path / "a" / "git.bat"))}
    env = {"PATHEXT": ".COM;.EXE;.BAT;.CMD"}
    findings = analyse_path(path_of(tmp_path / "a", tmp_path / "b"), env, windows=True,
                            guesser=ManagerGuesser(), budget=Budget(None))
    (dup,) = findings.duplicates
    assert [c.path for c in dup.copies] == [str(tmp_path / "a" / "aider.exe"),
                                            str(tmp_path / "b" / "AIDER.COM")]
