"""Find the links and headings of a Markdown text, leaving code spans and fenced code alone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE = re.compile(r"\]\(\s*(<[^<>\n]*>|[^\s()<>]+)")
_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^<>\n]*>|\S+)")
# A bare <path> is taken as a link only when it looks like a relative file path, so HTML tags
# (<br/>, </div>, <img src=…>) are never mistaken for one.
_ANGLE = re.compile(r"(?<![\](])<([^<>\s:/!][^<>\s:]*(?:/[^<>\s:/]+|\.[A-Za-z0-9]+)"
                    r"(?:#[^<>\s]*)?)>")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_TICKS = re.compile(r"`+")
_HTML_ID = re.compile(r"""<a\s[^>]*\b(?:name|id)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """A link destination on line ``line`` (1-based), at ``start:end`` of that line's text."""

    line: int
    start: int
    end: int
    target: str
    kind: str  # inline | reference | angle


def _mask_code_spans(line: str) -> str:
    """The line with the inside of every `code span` blanked (same length, so offsets hold)."""
    if "`" not in line:  # most lines: nothing to mask
        return line
    out, i = list(line), 0
    while True:
        opening = _TICKS.search(line, i)
        if opening is None:
            return "".join(out)
        ticks = opening.group(0)
        closing = re.compile(rf"(?<!`){ticks}(?!`)").search(line, opening.end())
        if closing is None:
            i = opening.end()
            continue
        for k in range(opening.start(), closing.end()):
            out[k] = " "
        i = closing.end()


def _mask_comments(line: str, open_comment: bool) -> tuple[str, bool]:
    """The line with HTML comments blanked (same length), and whether one is still open."""
    out, i = list(line), 0
    while i < len(line):
        if not open_comment:
            i = line.find("<!--", i)
            if i < 0:
                break
        close = line.find("-->", i + (0 if open_comment else 4))
        stop = len(line) if close < 0 else close + 3
        out[i:stop] = " " * (stop - i)
        open_comment, i = close < 0, stop
    return "".join(out), open_comment


def prose_lines(text: str, mask: bool = True) -> Iterator[tuple[int, str]]:
    """(line number, line with code spans and HTML comments masked) for every line outside
    fenced code.

    ``mask=False`` keeps code spans: a heading's anchor is made from their text too.
    """
    fence: str | None = None
    in_comment = False
    for number, line in enumerate(text.split("\n"), start=1):
        if fence is None and (in_comment or "<!--" in line):
            line, in_comment = _mask_comments(line, in_comment)
        found = _FENCE.match(line)
        if fence is not None:
            if found and found.group(1)[0] == fence[0] and len(found.group(1)) >= len(fence) \
                    and not line[found.end():].strip():
                fence = None
            continue
        if found and not (found.group(1)[0] == "`" and "`" in line[found.end():]):
            fence = found.group(1)
            continue
        yield number, _mask_code_spans(line) if mask else line


def _destination(match: re.Match[str], line: int, kind: str) -> Link:
    start, end = match.span(1)
    if match.group(1).startswith("<") and match.group(1).endswith(">"):
        start, end = start + 1, end - 1
    return Link(line, start, end, match.string[start:end], kind)


def find_links(text: str) -> list[Link]:
    """Every link destination of ``text``: inline, reference definitions and bare ``<path>``."""
    links: list[Link] = []
    for number, line in prose_lines(text):
        if "]" not in line and "<" not in line:  # no link can start on this line
            continue
        found = [_destination(m, number, "inline") for m in _INLINE.finditer(line)]
        ref = _REFDEF.match(line)
        if ref:
            found.append(_destination(ref, number, "reference"))
        taken = {link.start for link in found}
        found.extend(Link(number, *m.span(1), m.group(1), "angle") for m in _ANGLE.finditer(line)
                     if m.start(1) not in taken)
        links.extend(found)
    return links


def slugify(heading: str) -> str:
    """The GitHub anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links keep their text
    text = re.sub(r"<[^>]+>", "", text).replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def _heading_texts(text: str) -> Iterator[str]:
    previous = ""
    for _, line in prose_lines(text, mask=False):
        atx = _ATX.match(line)
        if atx:
            yield atx.group(2) or ""
        elif _SETEXT.match(line) and previous.strip() and not previous.startswith(" " * 4):
            yield previous
        previous = line


def anchors(text: str) -> set[str]:
    """Every ``#fragment`` a link into ``text`` may use (duplicates get ``-1``, ``-2``…)."""
    seen: dict[str, int] = {}
    found: set[str] = set()
    for heading in _heading_texts(text):
        slug = slugify(heading)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    for _, line in prose_lines(text):
        found.update(m.group(1) for m in _HTML_ID.finditer(line))
    return found
