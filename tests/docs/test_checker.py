"""The link checker reports missing files and unknown anchors, with file and line."""

from __future__ import annotations

from pathlib import Path

from aim.docs.checker import BrokenLink, check_links
from tests.docs.docsutil import SAMPLE, write


def test_missing_files_and_anchors_are_reported_with_their_line(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "guide.md", "# Guide\n\n## Install steps\n")
    write(tmp_path / "README.md", "# Home\n\n"
          "[ok](docs/guide.md#install-steps) [ok2](./docs/guide.md) [self](#home)\n"
          "[gone](docs/missing.md)\n"
          "[bad anchor](docs/guide.md#setup) [bad self](#nowhere)\n"
          "[ref]: docs/old.md\n")
    assert check_links(tmp_path) == [
        BrokenLink("README.md", 4, "docs/missing.md", "no such file or folder"),
        BrokenLink("README.md", 5, "docs/guide.md#setup",
                   "no heading with the anchor '#setup' in docs/guide.md"),
        BrokenLink("README.md", 5, "#nowhere",
                   "no heading with the anchor '#nowhere' in README.md"),
        BrokenLink("README.md", 6, "docs/old.md", "no such file or folder"),
    ]


def test_nested_files_code_urls_and_state_folders_are_handled(tmp_path: Path) -> None:
    write(tmp_path / "a" / "b" / "page.md", "[up](../../top.md) [gone](../x.md)\n"
          "`[code](nope.md)`\n```\n[fence](nope.md)\n```\n"
          "[web](https://nope.example/x.md) [mail](mailto:x@y.z) [sql](../../top.md#L3)\n")
    write(tmp_path / "top.md", "# Top\n")
    write(tmp_path / ".aim" / "runs" / "r.md", "[broken](nope.md)\n")
    write(tmp_path / ".git" / "x.md", "[broken](nope.md)\n")
    broken = check_links(tmp_path)
    assert [(b.file, b.line, b.target) for b in broken] == [
        ("a/b/page.md", 1, "../x.md"), ("a/b/page.md", 6, "../../top.md#L3")]


def test_skip_leaves_out_a_folder(tmp_path: Path) -> None:
    write(tmp_path / "archive" / "old.md", "[broken](nope.md)\n")
    assert len(check_links(tmp_path)) == 1
    assert check_links(tmp_path, skip=frozenset({"archive"})) == []


def test_the_untouched_sample_has_no_broken_link() -> None:
    assert check_links(SAMPLE) == []
