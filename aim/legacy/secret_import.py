"""Decide where each migrated secret's value comes from, without ever showing a value.

For every secret named in the config: a value already in the keyring is kept ("already
present"); otherwise the legacy vault's DPAPI blob is decrypted (Windows, same user); when that
is impossible the value comes from the environment variable of the same name, from a prompt,
from standard input (``stdin``: see :mod:`aim.legacy.secret_stdin`), or is skipped, as
``--secrets-from`` says.  Values live only in the returned mapping (and are
registered with the redaction filter at once); outcomes carry names and sources only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from aim import redact
from aim.errors import InputError
from aim.legacy.vault import VaultEntry, dpapi_decrypt

SOURCES = ("env", "prompt", "stdin", "skip")

MIGRATED, PRESENT, MISSING, UNDECRYPTABLE, SKIPPED = (
    "migrated", "already present", "missing", "could not decrypt", "skipped")


@dataclass(frozen=True)
class SecretOutcome:
    """What happened to one secret: status, where its value came from, and why."""

    name: str
    legacy_name: str | None
    status: str
    source: str = ""
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Prompt = Callable[[str], str]


@dataclass(frozen=True)
class SecretSources:
    """Where values may come from: the vault, the environment, a prompt, stdin; the mode."""

    vault: Mapping[str, VaultEntry]
    env: Mapping[str, str]
    mode: str = "env"
    prompt: Prompt | None = None
    given: Mapping[str, str] = field(default_factory=dict)  # read from stdin, by name


def _from_vault(entry: VaultEntry | None) -> tuple[str | None, str]:
    if entry is None:
        return None, "not in the vault"
    if entry.blob is None:
        return None, f"vault entry is {entry.problem}"
    value = dpapi_decrypt(entry.blob)
    return (value, "") if value else (None, "the vault blob does not decrypt on this machine")


def _fallback(name: str, env_var: str, sources: SecretSources) -> tuple[str | None, str]:
    if sources.mode == "env":
        return sources.env.get(env_var) or None, "environment"
    if sources.mode == "prompt":
        if sources.prompt is None:
            raise InputError("--secrets-from prompt needs a terminal to ask on; run it in one, "
                             "or use --secrets-from env")
        return sources.prompt(f"value for {name} (empty to skip): ") or None, "prompt"
    if sources.mode == "stdin":
        return sources.given.get(name) or sources.given.get(env_var) or None, "stdin"
    return None, "skip"


def resolve_one(name: str, ref: Mapping[str, Any], present: bool,
                sources: SecretSources) -> tuple[SecretOutcome, str | None]:
    """The outcome for one secret and its value (None when nothing is to be written)."""
    legacy_name, env_var = ref.get("legacy_name"), str(ref.get("env") or name)
    if present:
        return SecretOutcome(name, legacy_name, PRESENT, "keyring"), None
    entry = sources.vault.get(legacy_name or name)
    value, why = _from_vault(entry)
    if value:
        return SecretOutcome(name, legacy_name, MIGRATED, "vault"), value
    if sources.mode == "skip":
        return SecretOutcome(name, legacy_name, SKIPPED, detail="--secrets-from skip"), None
    value, source = _fallback(name, env_var, sources)
    if value:
        return SecretOutcome(name, legacy_name, MIGRATED, source, why), value
    status = UNDECRYPTABLE if entry is not None and entry.blob is not None else MISSING
    hint = {"environment": f"{why}; {env_var} is not set in the environment",
            "stdin": f"{why}; stdin gave no value for {name}"}.get(
        source, f"{why}; nothing was entered")
    return SecretOutcome(name, legacy_name, status, detail=hint), None


def resolve_secrets(secrets: Mapping[str, Mapping[str, Any]], present: Callable[[str], bool],
                    sources: SecretSources) -> tuple[list[SecretOutcome], dict[str, str]]:
    """Outcomes for every secret of the config's ``secrets`` section, and the values to write."""
    if sources.mode not in SOURCES:
        raise InputError(f"--secrets-from {sources.mode!r}: use one of {', '.join(SOURCES)}")
    outcomes, values = [], {}
    for name, ref in secrets.items():
        outcome, value = resolve_one(name, ref, present(name), sources)
        outcomes.append(outcome)
        if value is not None:
            redact.register(value)
            values[name] = value
    return outcomes, values
