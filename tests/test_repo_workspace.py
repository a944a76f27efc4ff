"""The repository-sized workspace keeps its promises: counts, broken links (as AIM+'s own link
checker sees them), the shadowing ``aim/`` package, the legacy config, the half-runnable suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aim.docs.checker import check_links
from aim.docs.links import markdown_files, split_target
from aim.docs.mdscan import find_links
from aim.docs.textdoc import read_doc
from aim.legacy.reader import read_legacy
from tests.repo_python import installed
from tests.repo_workspace import FIRSTGEN, REAL, RepoFacts, build_repository


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> RepoFacts:
    return build_repository(tmp_path_factory.mktemp("repo") / "workspace")


def files_on_disk(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def run_here(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` from the workspace root, writing no bytecode or pytest cache there."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_counts_are_those_of_the_real_repository(repo: RepoFacts) -> None:
    found = files_on_disk(repo.root)
    assert repo.files == len(found) == 1290
    assert repo.markdown == sum(p.suffix == ".md" for p in found) == 485
    assert len(repo.broken_links) == 90


def test_aims_link_checker_finds_exactly_the_broken_links(repo: RepoFacts) -> None:
    broken = check_links(repo.root)
    assert len(broken) == 90
    assert {(b.file, b.target) for b in broken} == repo.broken_links
    reasons = {b.reason.partition(" in ")[0] for b in broken}
    assert "no such file or folder" in reasons
    assert any(r.startswith("no heading with the anchor") for r in reasons)
    assert len({b.file for b in broken}) >= 50  # spread over many files
    assert any(b.target.endswith(".png") for b in broken)  # relative image links


def test_every_relative_link_outside_code_is_one_the_builder_wrote(repo: RepoFacts) -> None:
    kinds: dict[str, int] = {}
    count = 0
    for file in markdown_files(repo.root):
        for link in find_links(read_doc(repo.root / file).text):
            if split_target(link.target) is not None:
                count += 1
                kinds[link.kind] = kinds.get(link.kind, 0) + 1
    assert count == repo.relative_links > 1500
    assert kinds["reference"] > 20 and kinds["inline"] > 1000
    targets = {t for _, t in repo.broken_links}
    assert any(t.startswith("../") for t in targets)
    assert {("README.md", "AI_MANGER/README.md"),
            ("AGENTS.md", "AUX_mcp-data/MCP_SETUP_GUIDE.md#security"),
            ("docs/ARCHITECTURE.md", "../AUX_mcp-data/MCP_SETUP_GUIDE.md")} \
        <= repo.links_into_legacy
    assert len(repo.links_into_legacy) > 30


def test_the_build_is_deterministic_fast_and_stays_in_its_root(tmp_path: Path) -> None:
    started = time.perf_counter()
    first = build_repository(tmp_path / "one" / "ws")
    elapsed = time.perf_counter() - started
    second = build_repository(tmp_path / "two" / "ws")
    other = build_repository(tmp_path / "three" / "ws", seed=1)
    assert elapsed < 5
    assert [p.name for p in (tmp_path / "one").iterdir()] == ["ws"]

    def tree(facts: RepoFacts) -> dict[str, bytes]:
        return {p.relative_to(facts.root).as_posix(): p.read_bytes()
                for p in files_on_disk(facts.root)}

    assert tree(first) == tree(second)
    assert tree(first) != tree(other)
    assert (other.files, other.markdown, len(other.broken_links)) == (1290, 485, 90)
    with pytest.raises(ValueError, match="not empty"):
        build_repository(first.root)


def test_the_workspace_package_shadows_aim_plus_from_its_root(repo: RepoFacts) -> None:
    done = run_here(repo.root, "-c", "import aim; print(aim.__file__, aim.__version__)")
    assert done.returncode == 0, done.stderr
    path, version = done.stdout.split()
    assert Path(path) == repo.root / "aim" / "__init__.py" and version == "1.4.2"
    for name in ("__main__.py", "registry.py", "router.py"):
        assert (repo.root / "aim" / name).is_file()
    assert {"tasks.py", "invoke.yaml", "pytest.ini", "package.json"} <= {
        p.name for p in repo.root.iterdir()}
    assert (repo.root / ".github" / "workflows" / "ci.yml").is_file()


def test_the_legacy_install_and_the_first_generation_configs_are_the_real_ones(
        repo: RepoFacts) -> None:
    install = read_legacy(repo.root)
    assert install.config_path == repo.root / repo.legacy_config
    assert install.dir == repo.root / "AI_MANGER"
    assert install.config["Secrets"]["EnvMap"]["OPENAI_API_KEY"] == "openai"
    assert install.config["Pins"]["npm"]["@openai/codex"] == "~0.58.0"
    assert b"\r\n" in (repo.root / "AI_MANGER" / "build.ps1").read_bytes()
    for rel in FIRSTGEN:
        assert (repo.root / rel).read_bytes() == (REAL / "firstgen" / rel).read_bytes()
    assert (repo.root / repo.vault).read_bytes().startswith(b"\xef\xbb\xbf")
    assert {p.name for p in (repo.root / "AUX_mcp-data").iterdir()} == {
        "MCP_SETUP_GUIDE.md", "MCP_QUICK_REFERENCE.md", "INSTALLATION_SUMMARY.md", "schemas",
        "pipeline.db"}


def test_line_endings_boms_and_names_are_as_the_facts_say(repo: RepoFacts) -> None:
    assert len(repo.crlf_files) > 20 and len(repo.bom_files) > 8
    for rel in repo.crlf_files:
        assert b"\r\n" in (repo.root / rel).read_bytes(), rel
    for rel in repo.bom_files:
        assert (repo.root / rel).read_bytes().startswith(b"\xef\xbb\xbf"), rel
    assert len(repo.non_ascii_files) >= 3
    assert all((repo.root / rel).is_file() for rel in repo.non_ascii_files)


def test_ai_manger_is_named_in_nested_lists_as_instructions_and_descriptions(
        repo: RepoFacts) -> None:
    assert {"AGENTS.md", "QUICK_START.md"} <= repo.nested_legacy_lists
    assert len(repo.nested_legacy_lists) >= 10
    for kind in (repo.legacy_instructions, repo.legacy_descriptions):
        for file, line in kind:
            assert line in read_doc(repo.root / file).text.split("\n"), (file, line)
    assert all("Invoke-Build" in line for _, line in repo.legacy_instructions)
    assert not any("Invoke-Build" in line for _, line in repo.legacy_descriptions)
    nested = [line for file, line in repo.legacy_descriptions if file == "AGENTS.md"]
    assert any(line.startswith("    - Replaces legacy AI_MANGER (archived") for line in nested)


def test_the_workspace_suite_stops_on_its_missing_dependencies(repo: RepoFacts) -> None:
    assert not [name for name in repo.missing_imports if installed(name)]
    stopped = run_here(repo.root, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert stopped.returncode == 2, stopped.stdout
    assert f"{repo.collection_errors} errors" in stopped.stdout
    assert "Interrupted: 30 errors during collection" in stopped.stdout
    going_on = run_here(repo.root, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "--continue-on-collection-errors")
    assert f"{repo.passing_tests} passed, 30 errors" in going_on.stdout, going_on.stdout
