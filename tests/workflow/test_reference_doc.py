"""The generated tables of docs/workflows.md follow the workflow files and the registry."""

from __future__ import annotations

from pathlib import Path

from aim.actions.registry import names
from aim.workflow.loader import available
from aim.workflow.reference_doc import render_workflows_md

PAGE = """# Workflows

Hand-written text stays.

<!-- aim:BEGIN dry-run-actions -->
| `old.action` | stale |
<!-- aim:END dry-run-actions -->

More hand-written text.

<!-- aim:BEGIN shipped-workflows -->
| `gone` | a workflow that no longer exists |
<!-- aim:END shipped-workflows -->
"""


def test_stale_tables_are_replaced_and_hand_written_text_kept(tmp_path: Path) -> None:
    page = render_workflows_md(PAGE, tmp_path / "workflows.md")
    assert "Hand-written text stays." in page and "More hand-written text." in page
    assert "old.action" not in page and "`gone`" not in page
    for name in available():
        assert f"| `{name}` |" in page
    for action in names():
        assert f"| `{action}` |" in page
    assert render_workflows_md(page, tmp_path / "workflows.md") == page


def test_a_workflow_row_lists_its_steps_in_order_with_their_marks(tmp_path: Path) -> None:
    page = render_workflows_md(PAGE, tmp_path / "workflows.md")
    row = next(line for line in page.splitlines() if line.startswith("| `deploy` |"))
    assert row.index("`migrate` (workflow `migrate`)") < row.index("`report` (`report.deploy`")
    assert "always)" in row and row.endswith("| none | rollback |")  # no pre-flight checks
