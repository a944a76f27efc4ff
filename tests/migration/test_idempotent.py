"""Migrating twice: the second run changes nothing and says so."""

from __future__ import annotations

from pathlib import Path

from tests.migration.migutil import ok, run_ids, sandbox


def test_second_migration_changes_nothing_and_says_so(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    ok(box.migrate())
    tree, keyring = box.tree(), box.keyring.read_bytes()
    second = ok(box.migrate())
    assert "nothing to migrate: aim_config.json and the keyring already hold everything" \
        in second.stdout
    assert "skipped  write: when: false" in second.stdout
    assert "secret OPENAI_API_KEY: already present (keyring)" in second.stdout
    assert box.tree() == tree  # byte for byte, modes included: no second report either
    assert box.keyring.read_bytes() == keyring
    assert len(run_ids(box.root, "migrate")) == 2


def test_a_value_already_in_the_keyring_is_kept(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    box.put("OPENAI_API_KEY", "kept-value-1")
    ok(box.migrate())
    assert box.entries() == {"OPENAI_API_KEY": "kept-value-1"}
