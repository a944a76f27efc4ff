"""Consolidating AUX_mcp-data: planned first, sha256-verified archive, links fixed, nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aim.docs.archive import verify_manifest
from aim.docs.checker import check_links
from aim.docs.consolidate import apply_consolidation, plan_consolidation
from aim.errors import InputError
from aim.fsio import sha256_file
from tests.docs.docsutil import MCP, sample_workspace, write
from tests.treeutil import snapshot_tree

GUIDES = ("INSTALLATION_SUMMARY.md", "MCP_QUICK_REFERENCE.md", "MCP_SETUP_GUIDE.md")


def test_plan_lists_every_move_archive_and_link_edit_without_changing_anything(
        tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    before = snapshot_tree(ws.root)
    plan = plan_consolidation(ws, *MCP)
    assert snapshot_tree(ws.root) == before
    assert {(m.source, m.dest, m.kind) for m in plan.moves} == {
        *((f"AUX_mcp-data/{g}", f"docs/integrations/MCP/{g}", "moved") for g in GUIDES),
        ("AUX_mcp-data/schemas/pipeline-schema.sql",
         "docs/integrations/MCP/schemas/pipeline-schema.sql", "moved"),
        ("AUX_mcp-data/pipeline.db", "archive/AUX_mcp-data/pipeline.db", "archived")}
    assert {e.file for e in plan.link_edits} == {
        "README.md", "AGENTS.md", "QUICK_START.md", "docs/ARCHITECTURE.md",
        "docs/integrations/MCP/MCP_SETUP_GUIDE.md"}
    files = plan.files(ws.root)
    assert "archive/AUX_mcp-data/MANIFEST.json" in files and "README.md" in files
    assert "remove the emptied folder AUX_mcp-data/" in plan.describe()


def test_apply_moves_archives_fixes_links_and_loses_nothing(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    source = ws.root / "AUX_mcp-data"
    originals = {p.relative_to(source).as_posix(): p.read_bytes()
                 for p in source.rglob("*") if p.is_file()}
    apply_consolidation(ws, plan_consolidation(ws, *MCP))
    assert not source.exists()
    mcp = ws.root / "docs" / "integrations" / "MCP"
    assert sorted(p.name for p in mcp.iterdir()) == sorted([*GUIDES, "schemas"])
    assert (mcp / "schemas" / "pipeline-schema.sql").read_bytes() == \
        originals["schemas/pipeline-schema.sql"]
    for guide in ("INSTALLATION_SUMMARY.md", "MCP_QUICK_REFERENCE.md"):
        assert (mcp / guide).read_bytes() == originals[guide]  # their links stay valid
    archived = ws.root / "archive" / "AUX_mcp-data" / "pipeline.db"
    assert archived.read_bytes() == originals["pipeline.db"]
    assert check_links(ws.root) == []
    setup = (mcp / "MCP_SETUP_GUIDE.md").read_text()
    assert "[pipeline.db](../../../archive/AUX_mcp-data/pipeline.db)" in setup
    agents = (ws.root / "AGENTS.md").read_text()
    assert "(docs/integrations/MCP/MCP_SETUP_GUIDE.md#security)" in agents
    assert "[quick reference](./docs/integrations/MCP/MCP_QUICK_REFERENCE.md)" in \
        (ws.root / "README.md").read_text()


def test_manifest_sha256s_match_the_archived_files(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    original = sha256_file(ws.root / "AUX_mcp-data" / "pipeline.db")
    (ws.root / "AUX_mcp-data" / "notes.txt").write_text("scratch\n")
    apply_consolidation(ws, plan_consolidation(ws, *MCP))
    manifest_path = ws.root / "archive" / "AUX_mcp-data" / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text())
    assert {e["source"]: e["sha256"] for e in manifest["files"]} == {
        "AUX_mcp-data/pipeline.db": original,
        "AUX_mcp-data/notes.txt": sha256_file(ws.root / "archive/AUX_mcp-data/notes.txt")}
    for entry in manifest["files"]:
        assert sha256_file(ws.root / entry["dest"]) == entry["sha256"]
    assert verify_manifest(ws.root, manifest_path) == []
    (ws.root / "archive" / "AUX_mcp-data" / "notes.txt").write_text("changed\n")
    assert verify_manifest(ws.root, manifest_path) == [
        "archive/AUX_mcp-data/notes.txt: sha256 differs from the manifest"]


def test_second_run_has_nothing_to_do(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    apply_consolidation(ws, plan_consolidation(ws, *MCP))
    after = snapshot_tree(ws.root)
    plan = plan_consolidation(ws, *MCP)
    assert plan.moves == () and plan.writes == () and plan.describe() == []
    apply_consolidation(ws, plan)
    assert snapshot_tree(ws.root) == after


def test_a_different_file_in_the_way_stops_before_any_change(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    write(ws.root / "docs" / "integrations" / "MCP" / "MCP_SETUP_GUIDE.md", "# Mine\n")
    before = snapshot_tree(ws.root)
    with pytest.raises(InputError) as caught:
        plan_consolidation(ws, *MCP)
    assert "docs/integrations/MCP/MCP_SETUP_GUIDE.md: already exists" in str(caught.value)
    assert snapshot_tree(ws.root) == before


def test_paths_outside_the_root_are_refused(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    with pytest.raises(InputError, match="leave the workspace root"):
        plan_consolidation(ws, "AUX_mcp-data", "../elsewhere", "archive")


def test_symlinks_are_archived_as_links_and_nothing_else_moves_twice(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    source = ws.root / "AUX_mcp-data"
    (source / "latest.db").symlink_to("pipeline.db")
    (source / "dangling").symlink_to("gone.txt")
    apply_consolidation(ws, plan_consolidation(ws, *MCP))
    archive = ws.root / "archive" / "AUX_mcp-data"
    assert (archive / "latest.db").is_symlink()
    assert str((archive / "latest.db").readlink()) == "pipeline.db"
    assert str((archive / "dangling").readlink()) == "gone.txt"
    assert not source.exists()
    assert verify_manifest(ws.root, archive / "MANIFEST.json") == []


def test_links_from_a_nested_page_in_every_form_are_rewritten(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    page = write(ws.root / "docs" / "guides" / "deep" / "mcp.md",
                 "# MCP\n\n[setup](../../../AUX_mcp-data/MCP_SETUP_GUIDE.md#security)\n"
                 "[ref][r] and <../../../AUX_mcp-data/schemas/pipeline-schema.sql>\n"
                 "[db](<./../../../AUX_mcp-data/pipeline.db>)\n"
                 "`[code](../../../AUX_mcp-data/MCP_SETUP_GUIDE.md)`\n\n"
                 "[r]: ../../../AUX_mcp-data/MCP_QUICK_REFERENCE.md\n")
    apply_consolidation(ws, plan_consolidation(ws, *MCP))
    assert page.read_text() == (
        "# MCP\n\n[setup](../../integrations/MCP/MCP_SETUP_GUIDE.md#security)\n"
        "[ref][r] and <../../integrations/MCP/schemas/pipeline-schema.sql>\n"
        "[db](<../../../archive/AUX_mcp-data/pipeline.db>)\n"
        "`[code](../../../AUX_mcp-data/MCP_SETUP_GUIDE.md)`\n\n"
        "[r]: ../../integrations/MCP/MCP_QUICK_REFERENCE.md\n")
    assert check_links(ws.root) == []
