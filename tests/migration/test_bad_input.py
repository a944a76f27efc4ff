"""Bad legacy input stops the migration before any change, with a clear error and exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.clitool import assert_clean_error
from tests.migration.migutil import Sandbox, sandbox


def _malformed(box: Sandbox) -> None:
    box.legacy_config.write_text('{\n  "PipxApps": ["ruff",]\n}\n', encoding="utf-8")


def _vault_not_json(box: Sandbox) -> None:
    (box.root / "vault" / "vault.json").write_text("openai=AQAAANCM\n", encoding="utf-8")


def _missing(box: Sandbox) -> None:
    box.legacy_config.unlink()


CASES = {
    "malformed JSON": (_malformed, ["toolstack.config.json:2:", "not valid JSON"]),
    "not an object": (lambda box: box.legacy_config.write_text("[1, 2]", encoding="utf-8"),
                      ["toolstack.config.json", "must be a JSON object"]),
    "vault not JSON": (_vault_not_json, ["vault.json", "not valid JSON"]),
    "missing config": (_missing, ["no AI_MANGER config found", "--legacy"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_legacy_input_exits_2_and_changes_nothing(tmp_path: Path, case: str) -> None:
    box = sandbox(tmp_path)
    spoil, expected = CASES[case]
    spoil(box)
    before = box.tree()
    message = assert_clean_error(box.migrate(), 2)
    for fragment in expected:
        assert fragment in message
    assert box.tree() == before
    assert not box.keyring.exists()  # not even opened for writing
    assert not (box.root / ".aim" / "backups").exists()  # stopped before the backup


def test_bad_input_is_also_exit_2_in_a_dry_run(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    _malformed(box)
    message = assert_clean_error(box.migrate("--dry-run"), 2)
    assert "toolstack.config.json:2:" in message
    assert not (box.root / ".aim").exists()
