"""The C YAML loader (libyaml) and the pure one give the same data, lines and limits.

Every case runs twice: with the C loader where PyYAML has it, and with it taken away, as on
a machine where PyYAML was built without libyaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from aim import yamlio
from aim.limits import MAX_ALIASES, MAX_DEPTH, MAX_NODES
from aim.yamlio import YamlError, parse_yaml
from tests.test_hostile_input import ALIAS_BOMB, WIDE_TREE, deep_yaml

WORKFLOW = """\
version: 1
name: demo
vars: {base: &base {retries: 1}}
steps:
  - id: one
    uses: echo
    with: *base
  - {id: two, uses: file.copy, with: {src: a, dst: b}}
"""


@pytest.fixture(params=["c", "pure"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "pure":
        monkeypatch.setattr(yamlio, "_fast_loader_class", lambda: None)
    elif yamlio._fast_loader_class() is None:
        pytest.skip("PyYAML on this machine has no libyaml (the pure case still runs)")
    yield request.param


def test_data_and_lines_are_the_same(loader: str) -> None:
    data, lines = parse_yaml(WORKFLOW)
    assert data["steps"][0]["with"] == {"retries": 1}
    assert data["steps"][1] == {"id": "two", "uses": "file.copy", "with": {"src": "a", "dst": "b"}}
    assert [lines.line(p) for p in (("vars", "base"), ("steps", 0, "uses"),
                                    ("steps", 1, "with", "dst"), ("steps", 1, "nope"))] == \
        [3, 6, 8, 8]


def test_a_valid_document_is_composed_by_the_c_loader_alone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    if yamlio._fast_loader_class() is None:
        pytest.skip("PyYAML on this machine has no libyaml")

    def pure_loader() -> None:
        raise AssertionError("the pure loader was used for a valid document")

    monkeypatch.setattr(yamlio, "_loader_class", pure_loader)
    assert parse_yaml(WORKFLOW)[0]["name"] == "demo"


def test_the_alias_bomb_names_the_line_of_the_alias_over_the_limit(loader: str) -> None:
    with pytest.raises(YamlError, match=f"more than {MAX_ALIASES} aliases") as caught:
        parse_yaml(ALIAS_BOMB)
    assert caught.value.line == 7


def test_aliases_under_the_limit_stop_at_the_node_limit(loader: str) -> None:
    with pytest.raises(YamlError, match=f"more than {MAX_NODES} values"):
        parse_yaml(WIDE_TREE)


def test_nesting_past_the_depth_limit_names_its_line(loader: str) -> None:
    with pytest.raises(YamlError, match=f"nested deeper than {MAX_DEPTH} levels") as caught:
        parse_yaml(deep_yaml(MAX_DEPTH + 5))
    assert caught.value.line == MAX_DEPTH + 3
    with pytest.raises(YamlError, match=f"nested deeper than {MAX_DEPTH} levels") as flow:
        parse_yaml("version: 1\nvars: {x: " + "[" * 100_000 + "\n")
    assert flow.value.line == 2
    assert parse_yaml(deep_yaml(MAX_DEPTH - 2))[0]["name"] == "deep"


def test_an_alias_used_at_a_deeper_place_keeps_its_own_depth(loader: str) -> None:
    # the anchored list sits at depth 2; its alias, deep down, does not count its levels again
    nested = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH - 2))
    text = f"top: &t [[1]]\n{nested}{'  ' * (MAX_DEPTH - 2)}x: *t\n"
    assert parse_yaml(text)[0]["top"] == [[1]]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("a: 1\nb: [\n", 3, "invalid YAML"),
    ("a: 1\na: 2\n", 2, "a: duplicate key (first given on line 1)"),
    ("a: 1\nwhen: 2001-13-45\n", 2, "month must be in 1..12"),
    ("x: .inf\n", 1, "is not a finite number"),
    ("x: !!python/object:os.system ls\n", 1, "invalid YAML"),
])
def test_bad_input_is_the_same_error_on_the_same_line(loader: str, text: str, line: int,
                                                      message: str) -> None:
    with pytest.raises(YamlError, match=re.escape(message)) as caught:
        parse_yaml(text)
    assert caught.value.line == line
