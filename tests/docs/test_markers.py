"""Marker blocks: inserted once, replaced in place, bytes kept (encoding, BOM, CRLF, mode)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from aim.docs.markers import Placement, after_line, after_title, end, plan_block
from aim.docs.psheader import after_ps_header
from aim.docs.textdoc import apply_write
from aim.errors import InputError


def put(path: Path, name: str, body: str, place: Placement | None = None) -> bool:
    write = plan_block(path, name, body, *([place] if place else []))
    if write is not None:
        apply_write(write)
    return write is not None


def test_block_goes_on_top_and_a_second_run_changes_no_byte(tmp_path: Path) -> None:
    doc = tmp_path / "README.md"
    doc.write_bytes(b"# Title\n\nText.\n")
    assert put(doc, "note", "Hello")
    assert doc.read_bytes() == (b"<!-- aim:BEGIN note -->\nHello\n<!-- aim:END note -->\n\n"
                                b"# Title\n\nText.\n")
    first = doc.read_bytes()
    assert not put(doc, "note", "Hello")
    assert doc.read_bytes() == first


def test_changed_body_replaces_the_block_without_duplicating_it(tmp_path: Path) -> None:
    doc = tmp_path / "notes.md"
    doc.write_bytes(b"# Title\n\nText.\n")
    put(doc, "aim", "one\ntwo", after_title)
    put(doc, "aim", "three", after_title)
    text = doc.read_text()
    assert text == "# Title\n\n<!-- aim:BEGIN aim -->\nthree\n<!-- aim:END aim -->\n\nText.\n"
    put(doc, "other", "end block", end)
    assert doc.read_text().endswith("Text.\n\n<!-- aim:BEGIN other -->\nend block\n"
                                    "<!-- aim:END other -->\n")


def test_block_at_a_chosen_line(tmp_path: Path) -> None:
    doc = tmp_path / "guide.md"
    doc.write_bytes(b"# Guide\n\n## Setup\nSteps.\n## Use\n")
    put(doc, "aim", "AIM+ steps", after_line(r"^## Setup"))
    assert doc.read_text() == ("# Guide\n\n## Setup\n\n<!-- aim:BEGIN aim -->\nAIM+ steps\n"
                               "<!-- aim:END aim -->\n\nSteps.\n## Use\n")
    put(doc, "aim", "AIM+ steps, again", after_line(r"^## Use"))
    assert doc.read_text().count("aim:BEGIN") == 1 and "Steps.\n## Use\n" in doc.read_text()


def test_crlf_file_stays_crlf(tmp_path: Path) -> None:
    doc = tmp_path / "crlf.md"
    doc.write_bytes(b"# Title\r\n\r\nText.\r\n")
    put(doc, "n", "line one\nline two")
    data = doc.read_bytes()
    assert b"line one\r\nline two\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")


@pytest.mark.parametrize("bom, encoding", [
    (b"", "utf-8"), (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"), (b"", "utf-16-le"),
])
def test_encoding_and_bom_are_kept(tmp_path: Path, bom: bytes, encoding: str) -> None:
    doc = tmp_path / "README.md"
    doc.write_bytes(bom + "# Café\r\n\r\nnaïve text\r\n".encode(encoding))
    put(doc, "aim", "AIM+ — é")
    data = doc.read_bytes()
    assert data.startswith(bom)
    text = data[len(bom):].decode(encoding)
    assert text.startswith("<!-- aim:BEGIN aim -->\r\nAIM+ — é\r\n<!-- aim:END aim -->\r\n")
    assert text.endswith("# Café\r\n\r\nnaïve text\r\n")
    before = doc.read_bytes()
    assert not put(doc, "aim", "AIM+ — é")
    assert doc.read_bytes() == before


def test_mode_is_kept(tmp_path: Path) -> None:
    doc = tmp_path / "a.md"
    doc.write_text("x\n")
    doc.chmod(0o640)
    put(doc, "b", "y")
    assert doc.stat().st_mode & 0o777 == 0o640


def test_unbalanced_markers_name_the_file_and_lines(tmp_path: Path) -> None:
    doc = tmp_path / "broken.md"
    doc.write_text("# T\n<!-- aim:BEGIN x -->\nhalf\n<!-- aim:BEGIN x -->\n")
    with pytest.raises(InputError) as caught:
        plan_block(doc, "x", "body")
    assert "broken.md" in str(caught.value) and "lines 2, 4" in str(caught.value)


def test_unknown_file_kind_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "data.json"
    doc.write_text("{}")
    with pytest.raises(InputError, match="no marker style"):
        plan_block(doc, "x", "body")


@pytest.mark.parametrize("script, after", [
    ("#requires -Version 7.0\nparam(\n  [string]$A = \"(x\"\n)\nImport-Module X\n", ")"),
    ("<#\n.SYNOPSIS\n  Build #>\n[CmdletBinding()]\nParam([int]$N)\ntask A\n", "Param([int]$N)"),
    ("#Requires -Modules InvokeBuild\n\ntask A {}\n", "#Requires -Modules InvokeBuild"),
    ("task A {}\n", None),
])
def test_powershell_banner_goes_after_the_param_block(tmp_path: Path, script: str,
                                                      after: str | None) -> None:
    path = tmp_path / "build.ps1"
    path.write_bytes(script.replace("\n", "\r\n").encode())
    put(path, "deprecation", 'Write-Warning "old"', after_ps_header)
    lines = path.read_bytes().decode().split("\r\n")
    begin = lines.index("# aim:BEGIN deprecation")
    assert lines[begin + 1] == 'Write-Warning "old"'
    assert lines[begin + 2] == "# aim:END deprecation"
    if after is None:
        assert begin == 0
    else:
        assert [line for line in lines[:begin] if line.strip()][-1] == after
    assert "\n" not in path.read_bytes().decode().replace("\r\n", "")
