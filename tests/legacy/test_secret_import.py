"""Where migrated secret values come from: vault, environment, prompt, or nowhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from aim import redact
from aim.errors import InputError
from aim.legacy.secret_import import SecretSources, resolve_secrets
from aim.legacy.vault import read_vault

SAMPLE_VAULT = Path(__file__).resolve().parents[2] / "samples/workspace/vault/vault.json"
SECRETS = {"OPENAI_API_KEY": {"env": "OPENAI_API_KEY", "legacy_name": "openai"},
           "GITHUB_TOKEN": {"env": "GITHUB_TOKEN", "legacy_name": "github"},
           "EXTRA_KEY": {"env": "EXTRA_KEY"}}


def never(name: str) -> bool:
    return False


def test_undecryptable_vault_falls_back_to_the_environment() -> None:
    sources = SecretSources(read_vault(SAMPLE_VAULT), {"OPENAI_API_KEY": "sk-canary-env-1234"})
    outcomes, values = resolve_secrets(SECRETS, never, sources)
    by_name = {o.name: o for o in outcomes}
    assert values == {"OPENAI_API_KEY": "sk-canary-env-1234"}
    assert (by_name["OPENAI_API_KEY"].status, by_name["OPENAI_API_KEY"].source) == (
        "migrated", "environment")
    assert "does not decrypt on this machine" in by_name["OPENAI_API_KEY"].detail
    assert by_name["GITHUB_TOKEN"].status == "could not decrypt"
    assert "GITHUB_TOKEN is not set in the environment" in by_name["GITHUB_TOKEN"].detail
    assert by_name["EXTRA_KEY"].status == "missing"
    assert "sk-canary-env-1234" not in str([o.to_dict() for o in outcomes])
    assert redact.redact("key=sk-canary-env-1234") == "key=***"


def test_values_already_in_the_keyring_are_kept() -> None:
    sources = SecretSources({}, {"OPENAI_API_KEY": "sk-other-value-99"})
    outcomes, values = resolve_secrets(SECRETS, lambda n: n == "OPENAI_API_KEY", sources)
    assert outcomes[0].status == "already present" and "OPENAI_API_KEY" not in values


def test_prompt_and_skip_modes() -> None:
    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return "typed-secret-value" if "GITHUB" in text else ""

    outcomes, values = resolve_secrets(SECRETS, never, SecretSources({}, {}, "prompt", prompt))
    assert values == {"GITHUB_TOKEN": "typed-secret-value"}
    assert [o.status for o in outcomes] == ["missing", "migrated", "missing"]
    assert len(asked) == 3
    skipped, none = resolve_secrets(SECRETS, never, SecretSources({}, {"X": "y"}, "skip"))
    assert {o.status for o in skipped} == {"skipped"} and none == {}


def test_prompt_without_a_terminal_and_unknown_mode_are_clear_errors() -> None:
    with pytest.raises(InputError, match="needs a terminal"):
        resolve_secrets(SECRETS, never, SecretSources({}, {}, "prompt", None))
    with pytest.raises(InputError,
                       match="--secrets-from 'file': use one of env, prompt, stdin, skip"):
        resolve_secrets(SECRETS, never, SecretSources({}, {}, "file"))
