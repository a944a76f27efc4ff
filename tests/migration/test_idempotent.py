"""Migrating twice: the second run changes nothing and says so."""

from __future__ import annotations

import json
from pathlib import Path

from tests.migration.migutil import ok, run_ids, sandbox


def test_second_migration_changes_nothing_and_says_so(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    ok(box.migrate())
    tree, keyring = box.tree(), box.keyring.read_bytes()
    second = ok(box.migrate())
    # only OPENAI_API_KEY had a value anywhere: the run says what is still missing, in the
    # words 'aim validate' and 'aim status' use for the same keyring
    missing = ("3 of 4 secrets missing from the keyring (ANTHROPIC_API_KEY, GEMINI_API_KEY, "
               "GITHUB_TOKEN)")
    assert f"    warn  secrets: {missing} — set each with 'aim secrets.set NAME'" in second.stdout
    assert ("nothing to migrate from the legacy sources (aim_config.json is up to date), but "
            f"the secrets check warns: {missing}") in second.stdout
    assert "already hold everything" not in second.stdout
    assert "skipped  write: when: false" in second.stdout
    assert "secret OPENAI_API_KEY: already present (keyring)" in second.stdout
    assert box.tree() == tree  # byte for byte, modes included: no second report either
    assert box.keyring.read_bytes() == keyring
    assert len(run_ids(box.root, "migrate")) == 2
    checked = json.loads(box.aim("validate", "--json").stdout)
    [secrets] = [s for s in checked["steps"] if s["id"] == "secrets"]
    assert (secrets["outputs"]["verdict"]["status"], secrets["outputs"]["verdict"]["summary"]) \
        == ("warn", missing)


def test_when_the_keyring_holds_every_secret_a_second_run_says_so(tmp_path: Path) -> None:
    box = sandbox(tmp_path, ANTHROPIC_API_KEY="a-key-1", GEMINI_API_KEY="g-key-1",
                  GITHUB_TOKEN="gh-key-1")
    ok(box.migrate())
    second = ok(box.migrate())
    assert "      ok  secrets: 4 of 4 secrets in the keyring" in second.stdout
    assert "nothing to migrate: aim_config.json and the keyring already hold everything" \
        in second.stdout


def test_a_value_already_in_the_keyring_is_kept(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    box.put("OPENAI_API_KEY", "kept-value-1")
    ok(box.migrate())
    assert box.entries() == {"OPENAI_API_KEY": "kept-value-1"}
