"""Loading a 3000-step workflow: AIM+'s bounded loader on libyaml and on pure Python, beside a
bare ``yaml.load`` with PyYAML's C loader (no limits, no line numbers), in alternating runs."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
STEPS = 3000
ROUNDS = 7
RATIO_TARGET = 1.5


def _workflow(folder: Path) -> Path:
    lines = ["version: 1", "name: big", "on_failure: stop", "vars: {who: world}", "steps:"]
    lines += [f"  - {{id: s{i}, uses: echo, with: {{message: 'hello ${{{{ vars.who }}}}'}}}}"
              for i in range(STEPS)]
    path = folder / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@contextmanager
def _pure() -> Iterator[None]:
    """The loader as on a machine where PyYAML has no libyaml."""
    from aim import yamlio

    found = yamlio._fast_loader_class
    yamlio._fast_loader_class = lambda: None  # type: ignore[assignment]
    try:
        yield
    finally:
        yamlio._fast_loader_class = found


def run(tmp: Path) -> list[dict[str, Any]]:
    import yaml

    from aim.workflow.loader import load_workflow
    from aim.yamlio import _fast_loader_class, parse_yaml
    from benchmarks import measure

    assert _fast_loader_class() is not None, "PyYAML without libyaml: nothing to compare"
    path = _workflow(tmp)
    text = path.read_text(encoding="utf-8")

    def pure_parse() -> None:
        with _pure():
            parse_yaml(text)

    def pure_load() -> None:
        with _pure():
            load_workflow(str(path))

    medians = measure.medians(measure.in_turn({
        "floor": (lambda: yaml.load(text, Loader=yaml.CSafeLoader), None),
        "c_parse": (lambda: parse_yaml(text), None),
        "pure_parse": (pure_parse, None),
        "c_load": (lambda: load_workflow(str(path)), None),
        "pure_load": (pure_load, None),
    }, ROUNDS))
    assert len(load_workflow(str(path)).steps) == STEPS
    floor = medians["floor"]
    note = f"bare yaml.load(CSafeLoader) {floor * 1000:.0f} ms; median of {ROUNDS} in turn"
    return [
        {"name": f"parse_yaml, {STEPS}-step workflow, libyaml", "value": medians["c_parse"],
         "unit": "s", "note": note},
        {"name": "parse_yaml on libyaml / bare yaml.load", "value": medians["c_parse"] / floor,
         "unit": "x", "target": RATIO_TARGET, "note": "the limits and line numbers cost this"},
        {"name": f"parse_yaml, {STEPS}-step workflow, pure Python",
         "value": medians["pure_parse"], "unit": "s",
         "note": f"ratio to libyaml {medians['pure_parse'] / medians['c_parse']:.1f}x"},
        {"name": f"load_workflow, {STEPS} steps (parse+validate), libyaml",
         "value": medians["c_load"], "unit": "s", "note": note},
        {"name": f"load_workflow, {STEPS} steps, pure Python", "value": medians["pure_load"],
         "unit": "s", "note": f"ratio to libyaml {medians['pure_load'] / medians['c_load']:.1f}x"},
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    from benchmarks.runner import main

    main("yaml")
