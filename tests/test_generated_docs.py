"""Generated pages must match what generates them (regenerate with `invoke docs`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aim.docs_gen import generated_pages

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("page", sorted(generated_pages()))
def test_generated_page_is_fresh(page: str) -> None:
    expected = generated_pages()[page]()
    actual = (REPO / page).read_text(encoding="utf-8")
    assert actual == expected, f"{page} is stale: run 'invoke docs' and commit the result"


def test_actions_page_lists_every_action() -> None:
    from aim.actions.registry import names

    page = (REPO / "docs" / "actions.md").read_text(encoding="utf-8")
    for name in names():
        assert f"## `{name}`" in page
