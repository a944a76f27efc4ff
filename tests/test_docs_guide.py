"""The user guide covers every command, its examples use real flags, and no doc link is broken."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from invoke.collection import Collection

from aim.cli.collection import build
from aim.docs.checker import BrokenLink, check_links

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "docs" / "guide.md"
# The fleet tasks (aim fleet.*) have their own page; the guide points to it.
FLEET = REPO / "docs" / "fleet.md"
CORE_FLAGS = {"--help", "-h", "--list", "-l", "--version", "-V"}
SHELL_FENCES = {"sh", "bash", "shell", "console"}
# An `aim` invocation inside a command line: up to a pipe, a redirection, `;`, `&`, `)` or a
# comment, so `eval "$(aim secrets.export)"` and `aim runs | tail` both count (and the package
# name in `pip install 'aim-plus[fleet]'` does not).
AIM_CALL = re.compile(r"""(?:^|[\s("'])aim(?![\w.-])((?:\s+[^\s|;&)>#"]+)*)""")


def _code_blocks(text: str) -> list[tuple[str, list[str]]]:
    """(language, lines) of every fenced code block."""
    blocks: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("```"):
            if current is None:
                current = []
                blocks.append((line[3:].strip(), current))
            else:
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def command_lines(text: str) -> list[str]:
    """The command lines the guide shows: ``$ …`` lines, and every line of a ``sh`` block."""
    found = []
    for lang, lines in _code_blocks(text):
        for line in lines:
            if line.startswith("$ "):
                found.append(line[2:])
            elif lang in ("sh", "bash", "shell") and line.strip() and \
                    not line.lstrip().startswith("#"):
                found.append(line)
    return found


def aim_calls(line: str) -> list[list[str]]:
    """The argument lists of every ``aim`` call on a command line."""
    return [shlex.split(m.group(1)) for m in AIM_CALL.finditer(line)]


def _flags_of(ns: Collection, task: str) -> set[str]:
    flags = set(CORE_FLAGS)
    for arg in ns[task].get_arguments():
        for name in arg.names:
            flags.add(("--" if len(name) > 1 else "-") + name)
    return flags


def call_problems(ns: Collection, args: list[str]) -> list[str]:
    """What is wrong with ``aim ARGS``: an unknown task, or a flag the task does not take."""
    words = [a for a in args if a not in CORE_FLAGS]
    if not words:
        return [] if args else ["'aim' alone names no task"]
    task = words[0]
    if task.startswith("-") or task not in ns.task_names:
        return [f"{task!r} is not a task of 'aim --list'"]
    known = _flags_of(ns, task)
    return [f"aim {task}: no flag {flag!r}" for flag in
            (a.split("=", 1)[0] for a in args[args.index(task) + 1:] if a.startswith("-"))
            if flag not in known]


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fleet_page() -> str:
    return FLEET.read_text(encoding="utf-8")


def _page_of(task: str, guide: str, fleet_page: str) -> str:
    """The page that documents ``task``: docs/fleet.md for fleet.*, else the guide."""
    return fleet_page if task.startswith("fleet.") else guide


def test_every_task_has_its_own_section_in_the_guide_or_the_fleet_page(
        guide: str, fleet_page: str) -> None:
    missing = sorted(task for task in build().task_names
                     if f"`aim {task}`" not in re.findall(r"^#{2,4} (`aim [\w.-]+`)",
                                                         _page_of(task, guide, fleet_page),
                                                         re.MULTILINE))
    assert not missing, f"no '### `aim TASK`' section (guide, or fleet.md) for: {missing}"


def test_the_guide_points_to_the_fleet_page(guide: str) -> None:
    assert "](fleet.md)" in guide


def test_every_task_is_shown_run_in_an_example(guide: str, fleet_page: str) -> None:
    shown = {(task, page) for page in ("guide", "fleet")
             for line in command_lines(guide if page == "guide" else fleet_page)
             for args in aim_calls(line) if args and not (task := args[0]).startswith("-")}
    missing = [task for task in build().task_names
               if (task, "fleet" if task.startswith("fleet.") else "guide") not in shown]
    assert sorted(missing) == []


def test_command_lines_in_the_guide_name_real_tasks_and_flags(guide: str,
                                                              fleet_page: str) -> None:
    ns = build()
    lines = command_lines(guide)
    assert len(lines) > 40, "the guide's examples were not found"
    lines += command_lines(fleet_page)
    problems = [f"{line!r}: {p}" for line in lines for args in aim_calls(line)
                for p in call_problems(ns, args)]
    assert problems == []


def test_the_guide_s_example_workflows_load(guide: str, tmp_path: Path) -> None:
    from aim.workflow.loader import load_workflow

    examples = [text for lang, lines in _code_blocks(guide) if lang == "yaml"
                for text in ["\n".join(lines)] if "version: 1" in text]
    assert len(examples) >= 2
    for index, text in enumerate(examples):
        path = tmp_path / f"example{index}.yaml"
        path.write_text(text + "\n", encoding="utf-8")
        assert load_workflow(path).steps


def test_the_command_checker_catches_typos() -> None:
    ns = build()
    assert call_problems(ns, ["rollback", "--forse"]) == ["aim rollback: no flag '--forse'"]
    assert call_problems(ns, ["secret.list"]) == ["'secret.list' is not a task of 'aim --list'"]
    assert call_problems(ns, ["workflow.run", "x.yaml", "--fail-at=copy", "-d"]) == []
    assert aim_calls('eval "$(aim secrets.export --shell fish)"') == \
        [["secrets.export", "--shell", "fish"]]
    assert aim_calls("aim runs | tail -2  # newest last") == [["runs"]]
    assert aim_calls("pip install 'aim-plus[fleet]'") == []


def test_every_relative_link_in_the_docs_and_readme_resolves() -> None:
    # The sample workspace's pages are test data for the docs actions, not documentation.
    broken = check_links(REPO, frozenset({"samples", ".venv", "aim_plus.egg-info"}))
    ours = [str(b) for b in broken if b.file == "README.md" or b.file.startswith("docs/")]
    assert ours == []


def test_the_architecture_page_names_every_library_module_and_package() -> None:
    page = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    aim = REPO / "aim"
    layers = {"cli", "workflow", "actions", "__pycache__"}
    modules = [f"aim/{p.name}" for p in aim.glob("*.py") if not p.name.startswith("__")]
    packages = [f"aim/{p.name}/" for p in aim.iterdir()
                if p.is_dir() and p.name not in layers and (p / "__init__.py").exists()]
    missing = [name for name in modules + packages if f"| `{name}` |" not in page]
    assert missing == [], f"docs/architecture.md's library table lacks {missing}"


def test_links_to_headings_written_as_code_resolve(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Actions\n\n- [x](#filewrite) [y](#gone)\n\n"
                                   "## `file.write`\n", encoding="utf-8")
    assert check_links(tmp_path) == [
        BrokenLink("a.md", 3, "#gone", "no heading with the anchor '#gone' in a.md")]
