"""A secret value given to the migration never reaches a file, the terminal or the audit trail."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

from tests.migration.migutil import CANARY, ok, sandbox

FORMS = [CANARY.encode("utf-8"), CANARY.encode("utf-16-le"),
         base64.b64encode(CANARY.encode("utf-8"))]


def _leaks(folder: Path) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and any(form in path.read_bytes() for form in FORMS):
            found.append(str(path))
    return found


def test_the_canary_value_appears_nowhere(tmp_path: Path) -> None:
    state = tmp_path / "state"
    box = sandbox(tmp_path, AIM_STATE_DIR=str(state))
    results: list[subprocess.CompletedProcess[str]] = [
        ok(box.migrate("--dry-run")), ok(box.migrate("--dry-run", "--json")),
        ok(box.migrate()), ok(box.migrate("--json")),
        box.aim("validate"), box.aim("validate", "--json"),
        ok(box.aim("audit")), ok(box.aim("audit", "--json")), ok(box.aim("runs", "--json")),
        ok(box.aim("rollback", "--dry-run")), ok(box.aim("rollback", "--json")),
        box.migrate("--fail-at", "audit"),
    ]
    assert box.entries() == {}  # the last run failed and was rolled back: the key went again
    assert any((state / "runs").iterdir()) and (state / "audit.jsonl").is_file()
    for result in results:
        assert result.returncode in (0, 1), result.stderr
        assert CANARY not in result.stdout + result.stderr
    assert _leaks(box.root) == []
    assert _leaks(state) == []
    assert "OPENAI_API_KEY" in (state / "audit.jsonl").read_text(encoding="utf-8")
