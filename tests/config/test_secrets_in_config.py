"""A config never holds a secret value: one that looks like an API key is rejected, unshown."""

from __future__ import annotations

from pathlib import Path

import pytest

from aim.config.load import from_data, load_config
from aim.config.secretscan import secret_kind
from aim.errors import ConfigError
from tests.config.cfgutil import line_of, small, write_data

# Made-up values in each provider's key format (test canaries for the detector): none was ever
# issued, and none works anywhere.
KEYS = {
    "an OpenAI API key": "sk-proj-Q2x9LmT4vB7nR1cZ8kW3yH6pD0fJ5sA",
    "an Anthropic API key": "sk-ant-api03-Zq8Wm2Lx7Rt4Np1Ks9Vb",
    "a GitHub token": "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    "a Google API key": "AIzaSyD4xQ9mZ2Lr7Tb1Kc8Wv3Hn6Pj0Fs5Ea",
    "a Slack token": "xoxb-2481632-Zq8Wm2Lx7Rt4",
    "a long hex token": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
    "a long random token": "Zm9vYmFyQmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo",
}


@pytest.mark.parametrize(("kind", "value"), sorted(KEYS.items()))
def test_secret_shapes_are_recognised(kind: str, value: str) -> None:
    assert secret_kind(value) == kind
    assert secret_kind(f"token={value}") == kind


@pytest.mark.parametrize("value", [
    "C:\\Users\\dev\\Projects", "%LOCALAPPDATA%\\aim\\tools", "@anthropic-ai/claude-code",
    "node_modules\\.cache", "https://aim-plus.dev/schemas/aim_config.schema.json",
    "OpenAI API key (codex, aider)", "/home/dev/Projects/AIManager2024/tools", ">=0.86,<1",
    "AI_MANGER/config/toolstack.config.json", "ThisIsAVeryLongCamelCaseIdentifierName1",
])
def test_ordinary_values_are_not_secrets(value: str) -> None:
    assert secret_kind(value) is None


def test_a_key_in_a_description_is_rejected_by_path_without_its_value(tmp_path: Path) -> None:
    value = KEYS["an OpenAI API key"]
    data = small()
    data["secrets"]["OPENAI_API_KEY"]["description"] = value
    ws = write_data(tmp_path, data)
    with pytest.raises(ConfigError) as caught:
        load_config(ws)
    message = str(caught.value)
    assert value not in message and value[:12] not in message
    line = line_of(ws, '"description"')
    assert message == (
        f"{tmp_path}/aim_config.json:{line}: secrets.OPENAI_API_KEY.description: this looks like a "
        "secret value (an OpenAI API key); secret values never go in aim_config.json: remove "
        "it and store the value in the keyring with 'aim secrets.set OPENAI_API_KEY'")


def test_a_value_under_an_unknown_key_is_masked_in_schema_messages() -> None:
    value = KEYS["a GitHub token"]
    data = small()
    data["secrets"]["OPENAI_API_KEY"]["value"] = value
    data["logging"] = {"level": value}  # an enum error would quote the value
    with pytest.raises(ConfigError) as caught:
        from_data(data)
    message = str(caught.value)
    assert value not in message
    assert "<config data>: logging.level: '***' is not allowed" in message
    assert "<config data>: secrets.OPENAI_API_KEY.value: unknown key 'value'" in message
    assert "secrets.OPENAI_API_KEY.value: this looks like a secret value (a GitHub token)" \
        in message


def test_secret_looking_keys_and_legacy_leftovers_are_caught() -> None:
    data = small()
    data["legacy"] = {"unmapped": {"ApiKeys": [KEYS["an Anthropic API key"]]}}
    with pytest.raises(ConfigError, match=r"legacy\.unmapped\.ApiKeys\[0\]: this looks like a "
                                          r"secret value \(an Anthropic API key\).*'aim "
                                          r"secrets\.set NAME' \(and list NAME under"):
        from_data(data)
