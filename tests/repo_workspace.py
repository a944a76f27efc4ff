"""A repository-sized workspace to test and measure ``aim deploy`` on.

``build_repository(root)`` writes, deterministically for a seed, a workspace shaped like the
repositories AIM+ is deployed into: 1,290 files, 485 of them Markdown (nested lists, tables,
quotes, code fences, HTML comments, front matter, CRLF and BOM files, non-ASCII names) with
exactly 90 broken relative links (inline, reference and image links, and unknown anchors)
among many working ones; an AI_MANGER install in the real format; the first-generation AIM+
configs; ``AUX_mcp-data/`` and a vault like the sample's; the repository's own ``aim/``
package (which shadows AIM+'s on ``python -c "import aim"`` from the root), ``tasks.py``,
``invoke.yaml``, ``pytest.ini`` and a ``tests/`` folder whose suite stops with 30 collection
errors because the packages it imports are not installed.  It returns :class:`RepoFacts`,
what the tests assert against.
"""

from __future__ import annotations

import codecs
import posixpath
import random
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from tests import repo_python
from tests.repo_docs import render_fixed
from tests.repo_markdown import WORDS, Page
from tests.repo_pages import IMAGES, NON_ASCII, broken_slots, plan_pages, render_page

REPO = Path(__file__).resolve().parents[1]
REAL = REPO / "tests" / "fixtures" / "real"
SAMPLE = REPO / "samples" / "workspace"
FILES, BROKEN = 1290, 90
LEGACY_CONFIG = "AI_MANGER/config/toolstack.config.json"
FIRSTGEN = ("aim/config/aim_config.json", "config/aim_config.yaml",
            "aim/config/cross_tool_rules.json")
# A 1x1 transparent PNG: the diagrams the docs show.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@dataclass(frozen=True)
class RepoFacts:
    """What ``build_repository`` wrote; paths are root-relative, with ``/``."""

    root: Path
    files: int
    markdown: int
    broken_links: frozenset[tuple[str, str]]  # (file, target as written)
    relative_links: int  # every relative link outside code, working or broken
    links_into_legacy: frozenset[tuple[str, str]]  # links into AI_MANGER/ and AUX_mcp-data/
    nested_legacy_lists: frozenset[str]  # files with a nested list item naming AI_MANGER
    legacy_instructions: frozenset[tuple[str, str]]  # (file, line): AI_MANGER commands
    legacy_descriptions: frozenset[tuple[str, str]]  # (file, line): what AI_MANGER was
    crlf_files: frozenset[str]
    bom_files: frozenset[str]
    non_ascii_files: frozenset[str]
    legacy_config: str
    firstgen_configs: tuple[str, ...]
    vault: str
    package: str  # the repository's own package, named like AIM+'s
    collection_errors: int  # of the repository's pytest run without its dependencies
    passing_tests: int
    missing_imports: frozenset[str]


class Tree:
    """Writes files under one root and remembers each one written."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: list[str] = []
        self.crlf: set[str] = set()
        self.bom: set[str] = set()

    def data(self, rel: str, data: bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.written.append(rel)

    def text(self, rel: str, text: str, *, crlf: bool = False, bom: bool = False) -> None:
        body = text.replace("\n", "\r\n") if crlf else text
        self.data(rel, (codecs.BOM_UTF8 if bom else b"") + body.encode("utf-8"))
        if crlf:
            self.crlf.add(rel)
        if bom:
            self.bom.add(rel)

    def copy(self, rel: str, source: Path) -> None:
        self.data(rel, source.read_bytes())


def _legacy_install(tree: Tree) -> None:
    tree.copy(LEGACY_CONFIG, REAL / "toolstack.rev3.json")
    tree.text("AI_MANGER/build.ps1", repo_python.BUILD_PS1, crlf=True)
    tree.text("AI_MANGER/modules/ToolStack.psm1", repo_python.PSM1, crlf=True)
    for name in ("Pins", "Secrets", "Scan"):
        tree.text(f"AI_MANGER/tasks/{name}.tasks.ps1",
                  f"# {name} tasks, dot-sourced by build.ps1\ntask {name}.Report {{\n"
                  f"  Write-Host '{name}'\n}}\n", crlf=True)
    tree.copy("vault/vault.json", SAMPLE / "vault" / "vault.json")
    tree.copy("AUX_mcp-data/pipeline.db", SAMPLE / "AUX_mcp-data" / "pipeline.db")
    tree.copy("AUX_mcp-data/schemas/pipeline-schema.sql",
              SAMPLE / "AUX_mcp-data" / "schemas" / "pipeline-schema.sql")
    for rel in FIRSTGEN:
        tree.copy(rel, REAL / "firstgen" / rel)


def _project_files(tree: Tree) -> None:
    for rel, text in repo_python.project_files().items():
        tree.text(rel, text, crlf=rel.endswith(".ps1"))
    for image in IMAGES:
        tree.data(image, PNG)


def _filler(tree: Tree, packages: list[str], count: int, rng: random.Random) -> None:
    """``count`` more source and data files, spread over the pipeline packages."""
    for k in range(count):
        word = rng.choice(WORDS)
        if k % 10 == 9:
            tree.text(f"data/fixtures/{word}_{k:03d}.json", f'{{"id": {k}, "kind": "{word}"}}\n')
        elif k % 25 == 3:
            tree.text(f"scripts/{word}_{k:03d}.sh", f"#!/bin/sh\nset -eu\necho {word}\n")
        else:
            folder = packages[k % len(packages)]
            tree.text(f"{folder}/{word}_{k:03d}.py", repo_python.module(word, k))


def _pages(rng: random.Random) -> list[Page]:
    plans = plan_pages(rng)
    slots = broken_slots(plans, BROKEN, rng)
    legacy = set(rng.sample([p.path for p in plans if p.kind in ("guide", "runbook")], 12))
    pages = render_fixed(rng, plans)
    pages += [render_page(p, plans, slots.get(p.path, []), rng, p.path in legacy) for p in plans]
    return pages


def _write_pages(tree: Tree, pages: list[Page], rng: random.Random) -> None:
    paths = [p.path for p in pages]
    crlf = {"CONTRIBUTING.md", *rng.sample(paths, 25)}
    bom = {"docs/ARCHITECTURE.md", NON_ASCII[1], *rng.sample(paths, 10)}
    for page in pages:
        tree.text(page.path, page.text(), crlf=page.path in crlf, bom=page.path in bom)


def _pairs(pages: Iterable[Page], kind: str) -> frozenset[tuple[str, str]]:
    return frozenset((p.path, line) for p in pages for k, line in p.mentions if k == kind)


def _points_into_legacy(file: str, target: str) -> bool:
    path = target.partition("#")[0]
    pointed = posixpath.normpath(posixpath.join(posixpath.dirname(file), unquote(path)))
    return bool(path) and pointed.startswith(("AI_MANGER/", "AUX_mcp-data/"))


def _facts(tree: Tree, pages: list[Page]) -> RepoFacts:
    links = [(p.path, target, broken) for p in pages for target, broken in p.links]
    legacy = {(f, t) for f, t, _ in links if _points_into_legacy(f, t)}
    names = repo_python.missing_imports()
    return RepoFacts(
        root=tree.root, files=len(tree.written),
        markdown=sum(rel.endswith(".md") for rel in tree.written),
        broken_links=frozenset((f, t) for f, t, broken in links if broken),
        relative_links=len(links), links_into_legacy=frozenset(legacy),
        nested_legacy_lists=frozenset(p.path for p in pages if p.nested_legacy),
        legacy_instructions=_pairs(pages, "instruction"),
        legacy_descriptions=_pairs(pages, "description"),
        crlf_files=frozenset(tree.crlf), bom_files=frozenset(tree.bom),
        non_ascii_files=frozenset(r for r in tree.written if not r.isascii()),
        legacy_config=LEGACY_CONFIG, firstgen_configs=FIRSTGEN, vault="vault/vault.json",
        package="aim", collection_errors=len(repo_python.FAILING_TESTS),
        passing_tests=repo_python.PASSING_TEST_COUNT, missing_imports=frozenset(names))


def build_repository(root: Path, *, seed: int = 0) -> RepoFacts:
    """Write the repository-sized workspace into ``root`` (new or empty) and describe it."""
    if root.exists() and any(root.iterdir()):
        raise ValueError(f"{root} is not empty; build_repository writes into a new folder")
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    tree = Tree(root)
    _legacy_install(tree)
    _project_files(tree)
    pages = _pages(rng)
    _write_pages(tree, pages, rng)
    packages = sorted({p.path.rpartition("/")[0] for p in pages if p.path.startswith("src/")})
    _filler(tree, packages, FILES - len(tree.written), rng)
    return _facts(tree, pages)


def copy_repository(facts: RepoFacts, dest: Path) -> RepoFacts:
    """A copy of a built workspace at ``dest`` (cheaper than building it again)."""
    shutil.copytree(facts.root, dest, symlinks=True)
    return RepoFacts(**{**vars(facts), "root": dest})
