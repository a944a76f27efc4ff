"""Rewriting relative links after a move: every link form, from any folder, code left alone."""

from __future__ import annotations

from aim.docs.links import rewrite_links
from aim.docs.mdscan import anchors, find_links, slugify

MOVES = {
    "AUX_mcp-data": "docs/integrations/MCP",
    "AUX_mcp-data/GUIDE.md": "docs/integrations/MCP/GUIDE.md",
    "AUX_mcp-data/My Notes.md": "docs/integrations/MCP/My Notes.md",
    "AUX_mcp-data/schemas/s.sql": "docs/integrations/MCP/schemas/s.sql",
    "AUX_mcp-data/data.db": "archive/AUX_mcp-data/data.db",
}


def rewrite(text: str, file: str) -> str:
    return rewrite_links(text, file, MOVES)[0]


def test_inline_links_with_dot_slash_and_anchors_follow_the_move() -> None:
    text = "See [g](AUX_mcp-data/GUIDE.md) and [s](./AUX_mcp-data/GUIDE.md#security).\n"
    assert rewrite(text, "README.md") == (
        "See [g](docs/integrations/MCP/GUIDE.md) and "
        "[s](./docs/integrations/MCP/GUIDE.md#security).\n")


def test_links_from_nested_folders_are_recomputed() -> None:
    text = "[a](../../AUX_mcp-data/schemas/s.sql) [b](../../AUX_mcp-data/GUIDE.md?plain=1#x)\n"
    assert rewrite(text, "docs/deep/page.md") == (
        "[a](../integrations/MCP/schemas/s.sql) [b](../integrations/MCP/GUIDE.md?plain=1#x)\n")


def test_reference_definitions_angle_forms_images_and_folders() -> None:
    text = ("[guide][g]\n\n[g]: ./AUX_mcp-data/GUIDE.md \"title\"\n"
            "[n]: <AUX_mcp-data/My Notes.md>\n"
            "[spaced](<AUX_mcp-data/My Notes.md#top>) ![db](AUX_mcp-data/data.db)\n"
            "Bare: <AUX_mcp-data/GUIDE.md> and the folder [dir](AUX_mcp-data/)\n"
            "Encoded: [e](AUX_mcp-data/My%20Notes.md)\n")
    assert rewrite(text, "README.md") == (
        "[guide][g]\n\n[g]: ./docs/integrations/MCP/GUIDE.md \"title\"\n"
        "[n]: <docs/integrations/MCP/My Notes.md>\n"
        "[spaced](<docs/integrations/MCP/My Notes.md#top>) "
        "![db](archive/AUX_mcp-data/data.db)\n"
        "Bare: <docs/integrations/MCP/GUIDE.md> and the folder [dir](docs/integrations/MCP/)\n"
        "Encoded: [e](docs/integrations/MCP/My%20Notes.md)\n")


def test_code_urls_and_mail_are_not_touched() -> None:
    text = ("Run `cat [x](AUX_mcp-data/GUIDE.md)` first.\n"
            "```markdown\n[in fence](AUX_mcp-data/GUIDE.md)\n```\n"
            "~~~~\n[tilde](AUX_mcp-data/GUIDE.md)\n~~~~\n"
            "[web](https://example.com/AUX_mcp-data/GUIDE.md) [mail](mailto:a@b.c) "
            "[root](/AUX_mcp-data/GUIDE.md) [same](#here) [out](../AUX_mcp-data/GUIDE.md)\n")
    assert rewrite(text, "README.md") == text


def test_links_inside_a_moved_file_are_recomputed_from_its_new_place() -> None:
    text = ("[sibling](My%20Notes.md) [schema](schemas/s.sql) [db](data.db) "
            "[home](../README.md#top) [same](#security)\n")
    new, edits = rewrite_links(text, "AUX_mcp-data/GUIDE.md", MOVES)
    assert new == ("[sibling](My%20Notes.md) [schema](schemas/s.sql) "
                   "[db](../../../archive/AUX_mcp-data/data.db) [home](../../../README.md#top) "
                   "[same](#security)\n")
    assert {(e.file, e.old) for e in edits} == {
        ("docs/integrations/MCP/GUIDE.md", "data.db"),
        ("docs/integrations/MCP/GUIDE.md", "../README.md#top")}


def test_find_links_kinds_and_lines() -> None:
    text = "# T\n[a](x.md)\n[r]: y.md\n<z/w.md> <br/> </div>\n"
    assert [(k.line, k.target, k.kind) for k in find_links(text)] == [
        (2, "x.md", "inline"), (3, "y.md", "reference"), (4, "z/w.md", "angle")]


def test_github_slugs() -> None:
    assert slugify("Security & more") == "security--more"
    assert slugify("The `aim` command: [docs](x.md)!") == "the-aim-command-docs"
    assert slugify("Former instructions: QUICK_START.md") == "former-instructions-quick_startmd"
    text = "# Setup\n## Setup\nSetext\n======\n```\n# not a heading\n```\n<a name=\"custom\"></a>\n"
    assert anchors(text) == {"setup", "setup-1", "setext", "custom"}
