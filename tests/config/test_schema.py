"""The schema is closed and described everywhere, and docs/config.md covers every key in it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aim.resources import load_schema

REPO = Path(__file__).resolve().parents[2]
OPEN = {"legacy", "notify"}  # free-form by design


def properties(schema: dict[str, Any], name: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(key, sub-schema) for every named key, at any depth."""
    for key, sub in schema.get("properties", {}).items():
        yield key, sub
        yield from properties(sub, key)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        yield from properties(extra, name)


def objects(schema: dict[str, Any], name: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if schema.get("type") == "object":
        yield name, schema
    for key, sub in schema.get("properties", {}).items():
        yield from objects(sub, key)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        yield from objects(extra, name)


def test_every_key_has_a_description_and_every_object_is_closed() -> None:
    schema = load_schema("aim_config.schema.json")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for key, sub in properties(schema):
        assert sub.get("description"), key
    for name, sub in objects(schema):
        if name in OPEN:
            assert sub.get("additionalProperties", True) is not False, name
        elif "properties" in sub:
            assert sub["additionalProperties"] is False, name


def test_the_reference_page_documents_every_key() -> None:
    page = (REPO / "docs" / "config.md").read_text("utf-8")
    for key, _sub in properties(load_schema("aim_config.schema.json")):
        assert f"`{key}`" in page or f".{key}`" in page, key
