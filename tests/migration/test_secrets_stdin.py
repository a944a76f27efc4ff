"""``--secrets-from stdin``: values read at once from a pipe, into the keyring, shown nowhere."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest

from aim.errors import InputError
from aim.legacy.secret_stdin import parse, take_stdin
from tests.cli.clitool import aim, assert_clean_error
from tests.migration.migutil import CANARY, Sandbox, ok, sandbox

PIPED = json.dumps({"OPENAI_API_KEY": CANARY, "GITHUB_TOKEN": "gh-piped-value-not-real"})


def piped(box: Sandbox, text: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``aim migrate --secrets-from stdin ARGS`` on ``box`` with ``text`` on its stdin."""
    env = {"AIM_KEYRING": f"sandbox:{box.keyring}", **box.env}
    return aim("migrate", "--secrets-from", "stdin", *args, "--root", str(box.root), env=env,
               stdin=text)


def test_a_migration_takes_the_values_from_stdin_and_shows_none(tmp_path: Path) -> None:
    box = sandbox(tmp_path, OPENAI_API_KEY="env-value-not-used")
    done = ok(piped(box, PIPED))
    assert box.entries() == {"OPENAI_API_KEY": CANARY, "GITHUB_TOKEN": "gh-piped-value-not-real"}
    assert "secret OPENAI_API_KEY: migrated (stdin)" in done.stdout
    assert "secret GEMINI_API_KEY: missing" in done.stdout
    assert CANARY not in done.stdout + done.stderr
    leaked = [p for p in box.root.rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes()]
    assert leaked == []


def test_name_value_lines_work_too_and_a_dry_run_says_where_values_come_from(
        tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    plan = ok(piped(box, f"# pushed\nOPENAI_API_KEY={CANARY}\n\n", "--dry-run"))
    assert "keyring aim/OPENAI_API_KEY: would be written (from stdin)" in plan.stdout
    assert CANARY not in plan.stdout + plan.stderr
    assert box.entries() == {}


def test_malformed_stdin_is_bad_input_that_never_quotes_it(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    failed = piped(box, f"{CANARY}\n")
    message = assert_clean_error(failed, 2)
    assert "line 1 of stdin is not NAME=VALUE" in message and CANARY not in message
    assert box.entries() == {} and not (box.root / ".aim").exists()


@pytest.mark.parametrize("text", ['{"A": 1}', '["x"]', '{"not a name": "v"}', "{oops"])
def test_json_that_is_not_an_object_of_strings_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="--secrets-from stdin takes one JSON object"):
        parse(text)


def test_values_are_masked_as_soon_as_they_are_read() -> None:
    from aim.redact import redact

    values = take_stdin(io.StringIO("TOKEN_A=value-read-from-stdin\n"))
    assert values == {"TOKEN_A": "value-read-from-stdin"}
    assert redact("got value-read-from-stdin") == "got ***"
