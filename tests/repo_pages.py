"""The pages of the repository-sized workspace: the hand-shaped top-level docs and the
generated guides, references, ADRs, runbooks, integration notes and package READMEs.

Generated pages are planned first (path, title, section headings), so a page can link to a
section of any other; then each is rendered with its working links, its share of the broken
ones, and a mix of blocks.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tests.repo_markdown import (
    TOOLS,
    VERBS,
    WORDS,
    Page,
    code_fence,
    front_matter,
    heading,
    html_comment,
    nested_list,
    numbered_steps,
    paragraph,
    quote_block,
    sentence,
    slug,
    table,
    words,
)

# (folder, pages, kind); 467 generated pages plus the 18 fixed ones make 485 Markdown files.
SECTIONS = (("docs/guides", 120, "guide"), ("docs/reference", 120, "reference"),
            ("docs/adr", 60, "adr"), ("docs/runbooks", 50, "runbook"),
            ("docs/integrations", 40, "integration"), ("src/pipeline", 77, "package"))
IMAGES = tuple(f"docs/img/diagram-{i:02d}.png" for i in range(24))
NON_ASCII = ("docs/guides/über-setup.md", "docs/i18n/はじめに.md", "docs/notes/café-notes.md")
LEGACY_TARGETS = ("AI_MANGER/README.md", "AI_MANGER/config/toolstack.config.json",
                  "AUX_mcp-data/MCP_SETUP_GUIDE.md", "AUX_mcp-data/MCP_QUICK_REFERENCE.md",
                  "AUX_mcp-data/INSTALLATION_SUMMARY.md",
                  "AUX_mcp-data/schemas/pipeline-schema.sql")
LEGACY_DESCRIPTION = "Replaces legacy AI_MANGER (archived 2025-06; its CLI stack lives on in aim/)"
LEGACY_INSTRUCTION = r"Pin check: `Invoke-Build -File .\AI_MANGER\build.ps1 Pin.Report`"


@dataclass(frozen=True)
class Planned:
    """A generated page before it is written: where it goes, its title and H2 headings."""

    path: str
    kind: str
    title: str
    headings: tuple[str, ...]


def _h2_pool(rng: random.Random) -> list[str]:
    w = rng.sample(WORDS, 4)
    v = rng.sample(VERBS, 2)
    return ["Overview", f"How the {w[0]} works", f"Limits of the {w[1]}",
            f"Step 1: {v[0]} the {w[2]}", f"Step 2: {v[1]} the {w[3]}", "Troubleshooting",
            "Related pages"]


def _name(folder: str, kind: str, i: int, rng: random.Random) -> tuple[str, str]:
    """(path, title) of the ``i``-th page of a section; the index keeps paths unique."""
    verb, word, other = rng.choice(VERBS), rng.choice(WORDS), rng.choice(WORDS)
    if kind == "adr":
        return f"{folder}/{i + 1:04d}-{verb}-{word}.md", f"ADR {i + 1}: {verb} the {word}"
    if kind == "integration":
        tool = TOOLS[i % len(TOOLS)]
        return (f"{folder}/{slug(tool)}/{word}-{i:02d}.md", f"{tool}: the {word} {other}")
    if kind == "package":
        return f"{folder}/{word}/{other}_{i:02d}/README.md", f"pipeline.{word}.{other}_{i:02d}"
    return f"{folder}/{verb}-{word}-{i:03d}.md", f"{verb.capitalize()} the {word} {other}"


def plan_pages(rng: random.Random) -> list[Planned]:
    """Every generated page, in a fixed order for a given random state."""
    plans = []
    for folder, count, kind in SECTIONS:
        for i in range(count):
            path, title = _name(folder, kind, i, rng)
            plans.append(Planned(path, kind, title, tuple(rng.sample(_h2_pool(rng),
                                                                     rng.randint(3, 5)))))
    return plans


@dataclass(frozen=True)
class Broken:
    """One deliberately broken link: how it is written and what it points at."""

    kind: str  # inline | reference | image | anchor
    index: int


BROKEN_KINDS = ("inline",) * 4 + ("reference",) * 2 + ("image",) * 2 + ("anchor",)


def broken_slots(plans: Sequence[Planned], total: int,
                 rng: random.Random) -> dict[str, list[Broken]]:
    """``total`` broken links over many pages: a third of the pages chosen get two."""
    pages = rng.sample([p.path for p in plans], (total * 2) // 3)
    slots: dict[str, list[Broken]] = {}
    for i in range(total):
        page = pages[i % len(pages)]
        slots.setdefault(page, []).append(Broken(BROKEN_KINDS[i % len(BROKEN_KINDS)], i))
    return slots


def _broken_snippet(page: Page, broken: Broken, other: Planned) -> str:
    i, w = broken.index, page.rng.choice(WORDS)
    if broken.kind == "inline":
        target = page.rel(f"docs/archive/old-{w}-{i:02d}.md")
        return f"[the old {w} notes]({page.link(target, broken=True)})"
    if broken.kind == "reference":
        target = page.rel(f"docs/specs/{w}-spec-{i:02d}.md")
        return f"[the {w} spec]{page.reference(f'spec-{i}', target, broken=True)}"
    if broken.kind == "image":
        target = page.rel(f"docs/img/{w}-flow-{i:02d}.png")
        return f"![{w} flow]({page.link(target, broken=True)})"
    target = page.rel(other.path, f"old-section-{i}")
    return f"[{other.title}]({page.link(target, broken=True)})"


def _working_snippets(page: Page, plans: Sequence[Planned], own: Planned) -> list[str]:
    rng = page.rng
    snippets = []
    for other in rng.sample(plans, rng.randint(2, 4)):
        anchor = slug(rng.choice(other.headings)) if rng.random() < 0.5 else ""
        snippets.append(f"[{other.title}]({page.to(other.path, anchor)})")
    if rng.random() < 0.35:
        snippets.append(f"![diagram]({page.to(rng.choice(IMAGES))})")
    if rng.random() < 0.3:
        other = rng.choice(plans)
        label = f"ref-{len(page.refs)}"
        snippets.append(f"[{other.title}]{page.reference(label, page.rel(other.path))}")
    if rng.random() < 0.25:
        last = own.headings[-1]
        snippets.append(f"[this page's {last}]({page.link('#' + slug(last))})")
    if rng.random() < 0.08:
        target = page.to(rng.choice(NON_ASCII), encode=rng.random() < 0.5)
        snippets.append(f"[the setup notes]({target})")
    return snippets


def _legacy_snippet(page: Page) -> str:
    target = page.rng.choice(LEGACY_TARGETS)
    anchor = "security" if target.endswith("SETUP_GUIDE.md") and page.rng.random() < 0.5 else ""
    return f"[{target.rpartition('/')[2]}]({page.to(target, anchor)})"


Block = Callable[[Page, list[str]], None]


def _block_list(page: Page, snippets: list[str]) -> None:
    nested_list(page, [f"{sentence(page.rng)} {s}" for s in snippets] or [sentence(page.rng)])


def _block_table(page: Page, snippets: list[str]) -> None:
    table(page, max(3, len(snippets)), snippets)


def _block_prose(page: Page, snippets: list[str]) -> None:
    paragraph(page, snippets)
    if page.rng.random() < 0.4:
        code_fence(page, page.rng.choice(("powershell", "bash", "python", "json")))


def _block_quote(page: Page, snippets: list[str]) -> None:
    quote_block(page, " ".join([sentence(page.rng), *snippets]))


BLOCKS: tuple[Block, ...] = (_block_list, _block_table, _block_prose, _block_quote)


def render_page(own: Planned, plans: Sequence[Planned], broken: Sequence[Broken],
                rng: random.Random, legacy_list: bool) -> Page:
    """A generated page with its links; ``legacy_list`` adds a nested list naming AI_MANGER."""
    page = Page(own.path, rng)
    if rng.random() < 0.3:
        front_matter(page, own.title)
    heading(page, 1, own.title)
    if rng.random() < 0.2:
        html_comment(page)
    snippets = _working_snippets(page, plans, own)
    snippets += [_broken_snippet(page, b, rng.choice(plans)) for b in broken]
    if rng.random() < 0.15:
        snippets.append(_legacy_snippet(page))
    rng.shuffle(snippets)
    per = -(-len(snippets) // len(own.headings))
    for n, title in enumerate(own.headings):
        heading(page, 2, title)
        rng.choice(BLOCKS)(page, snippets[n * per:(n + 1) * per])
        if rng.random() < 0.3:
            heading(page, 3, f"Example: {words(rng, 2)}")
            code_fence(page, rng.choice(("powershell", "bash")))
            if rng.random() < 0.3:
                heading(page, 4, "Notes")
                paragraph(page)
        if n == 0 and legacy_list:
            _legacy_list(page)
    if own.kind == "runbook":
        numbered_steps(page, [sentence(rng) for _ in range(3)])
    return page


def _legacy_list(page: Page) -> None:
    """A nested list whose second level describes AI_MANGER and gives one of its commands."""
    page.add(f"- Tooling for the {page.rng.choice(WORDS)}")
    page.legacy("description", f"  - {LEGACY_DESCRIPTION}")
    page.legacy("instruction", f"    - {LEGACY_INSTRUCTION}")
    page.add(f"  - {sentence(page.rng)}", "")
