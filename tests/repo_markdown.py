"""The Markdown of the repository-sized workspace: pages that remember every link they hold.

A :class:`Page` is written block by block (headings, nested lists, tables, quotes, code
fences, HTML comments, front matter); each relative link goes through :meth:`Page.link`,
which records it, so the builder knows exactly which links exist and which are broken
without parsing its own output.  Links written inside code (fences, code spans) are only
text: no link checker may count them, and the page does not record them.
"""

from __future__ import annotations

import posixpath
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

WORDS = ("cache", "pipeline", "agent", "registry", "router", "vault", "audit", "pins",
         "scanner", "adapter", "worker", "queue", "schema", "report", "session", "token",
         "budget", "fallback", "sandbox", "release", "review", "prompt", "index", "store")
VERBS = ("configure", "rotate", "inspect", "upgrade", "debug", "pin", "archive", "replay",
         "migrate", "trace", "verify", "prune")
TOOLS = ("Claude Code", "Codex", "Aider", "Gemini CLI", "Jules", "Copilot")


def slug(heading: str) -> str:
    """The GitHub anchor of a plain heading (the builder's headings are words, digits, ':')."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def relative(target: str, from_file: str) -> str:
    """The relative link text from ``from_file`` to the root-relative ``target``."""
    return posixpath.relpath(target, posixpath.dirname(from_file) or ".")


@dataclass
class Page:
    """One Markdown file being written: its lines and the relative links put into it."""

    path: str
    rng: random.Random
    lines: list[str] = field(default_factory=list)
    links: list[tuple[str, bool]] = field(default_factory=list)  # (target as written, broken)
    refs: list[tuple[str, str]] = field(default_factory=list)  # (label, target) definitions
    mentions: list[tuple[str, str]] = field(default_factory=list)  # (kind, line) of AI_MANGER
    nested_legacy: bool = False  # a nested list item (level 2 or deeper) names AI_MANGER

    def link(self, target: str, *, broken: bool = False) -> str:
        """Record a relative link (already relative to this page) and return it."""
        self.links.append((target, broken))
        return target

    def rel(self, root_target: str, anchor: str = "", *, encode: bool = False) -> str:
        """The link text from this page to the root-relative ``root_target`` (not recorded)."""
        rel = relative(root_target, self.path)
        if encode:
            rel = quote(rel, safe="/")
        return rel + (f"#{anchor}" if anchor else "")

    def to(self, root_target: str, anchor: str = "", *, encode: bool = False) -> str:
        """Record and return the link from this page to the root-relative ``root_target``."""
        return self.link(self.rel(root_target, anchor, encode=encode))

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def legacy(self, kind: str, line: str) -> None:
        """Add a prose line naming AI_MANGER: an ``instruction`` (a command to run) or a
        ``description`` (what it was, what replaced it)."""
        self.mentions.append((kind, line))
        self.nested_legacy = self.nested_legacy or line.startswith("  ")
        self.add(line)

    def reference(self, label: str, target: str, *, broken: bool = False) -> str:
        """A ``[text][label]`` use now and its ``[label]: target`` definition at the end."""
        self.refs.append((label, self.link(target, broken=broken)))
        return f"[{label}]"

    def text(self) -> str:
        """The page's Markdown (LF newlines, one final newline)."""
        tail = ["", *(f"[{label}]: {target}" for label, target in self.refs)] if self.refs else []
        return "\n".join([*self.lines, *tail]).rstrip("\n") + "\n"


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def sentence(rng: random.Random) -> str:
    first = f"{rng.choice(VERBS).capitalize()} the {words(rng, 2)}"
    return f"{first} before the {rng.choice(WORDS)} {rng.choice(('runs', 'starts', 'syncs'))}."


def paragraph(page: Page, links: Sequence[str] = ()) -> None:
    """A few sentences, with the given Markdown link snippets woven in."""
    parts = [sentence(page.rng) for _ in range(page.rng.randint(2, 4))]
    for i, snippet in enumerate(links):
        parts.insert(min(i * 2 + 1, len(parts)), f"See {snippet}.")
    page.add(" ".join(parts), "")


def front_matter(page: Page, title: str) -> None:
    tags = ", ".join(page.rng.sample(WORDS, 2))
    page.add("---", f"title: {title}", f"tags: [{tags}]", "owner: platform-team", "---", "")


def heading(page: Page, level: int, text: str) -> None:
    page.add(f"{'#' * level} {text}", "")


def nested_list(page: Page, items: list[str], depth: int = 3) -> None:
    """A bullet list 2-3 levels deep; ``items`` are the top-level texts."""
    for item in items:
        page.add(f"- {item}")
        for _ in range(page.rng.randint(1, 2)):
            page.add(f"  - {sentence(page.rng)}")
            if depth > 2 and page.rng.random() < 0.5:
                page.add(f"    - `{page.rng.choice(WORDS)}.{page.rng.choice(WORDS)}`: "
                         f"{words(page.rng, 3)}")
    page.add("")


def numbered_steps(page: Page, steps: list[str]) -> None:
    for number, step in enumerate(steps, start=1):
        page.add(f"{number}. {step}", f"   - {sentence(page.rng)}")
    page.add("")


def table(page: Page, rows: int, link_cells: Sequence[str] = ()) -> None:
    """A three-column table; ``link_cells`` go into the last column of the first rows."""
    page.add("| name | value | notes |", "| --- | ---: | --- |")
    for i in range(rows):
        note = link_cells[i] if i < len(link_cells) else words(page.rng, 3)
        page.add(f"| `{page.rng.choice(WORDS)}_{i}` | {page.rng.randint(1, 900)} | {note} |")
    page.add("")


def quote_block(page: Page, text: str) -> None:
    page.add("> **Note**", f"> {text}", ">", f"> {sentence(page.rng)}", "")


def code_fence(page: Page, language: str) -> None:
    """A fenced block; its ``[..](..)`` text is code, never a link."""
    bodies = {
        "powershell": ["$env:AIM_ROOT = (Get-Location).Path",
                       "Get-ChildItem .\\docs -Recurse -Filter *.md | Measure-Object",
                       "# see [the old notes](notes/removed.md) - code, not a link"],
        "bash": ["set -euo pipefail", f"./scripts/{page.rng.choice(VERBS)}.sh --dry-run",
                 "grep -R '](missing/page.md)' docs/ || true"],
        "python": ["from aim.registry import load_registry", "",
                   "tools = load_registry()['registry']['tools']", "print(sorted(tools))"],
        "json": ['{"tool": "aider", "timeout_ms": 30000}'],
    }
    page.add(f"```{language}", *bodies[language], "```", "")


def html_comment(page: Page) -> None:
    page.add(f"<!-- generated section: {words(page.rng, 3)}; edit the source, not this -->", "")
