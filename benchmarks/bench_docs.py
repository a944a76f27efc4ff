"""Document operations on a large workspace: link check and consolidation planning."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

PAGES = 2000


def _workspace(root: Path) -> None:
    """``PAGES`` Markdown pages in nested folders, each linking into AUX_mcp-data and each other."""
    source = root / "AUX_mcp-data"
    source.mkdir(parents=True)
    for i in range(20):
        guide = f"# Guide {i}\n\n## Security\n\n[next](guide{(i + 1) % 20}.md)\n"
        (source / f"guide{i}.md").write_text(guide)
    for i in range(PAGES):
        folder = root / "docs" / f"part{i % 10}" / f"sub{i % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        line = (f"See [guide](../../../AUX_mcp-data/guide{i % 20}.md#security), [self](#notes), "
                "`[code](x.md)` and [web](https://example.com).\n")
        (folder / f"page{i}.md").write_text(f"# Page {i}\n\n## Notes\n\n" + line * 5)


def _timed(func: Any) -> float:
    start = time.perf_counter()
    func()
    return (time.perf_counter() - start) * 1000


def run(tmp: Path) -> list[dict[str, Any]]:
    from aim.docs.checker import check_links
    from aim.docs.consolidate import plan_consolidation
    from aim.workspace import Workspace

    _workspace(tmp)
    ws = Workspace.at(tmp)
    check_ms = _timed(lambda: check_links(tmp))
    plan_ms = _timed(lambda: plan_consolidation(ws, "AUX_mcp-data", "docs/integrations/MCP",
                                                "archive/AUX_mcp-data"))
    note = f"{PAGES} pages, 5 links each"
    return [
        {"name": "docs: check_links per page", "value": check_ms / PAGES, "unit": "ms",
         "target": 1.0, "note": note},
        {"name": "docs: plan_consolidation per page", "value": plan_ms / PAGES, "unit": "ms",
         "target": 1.0, "note": note},
    ]
