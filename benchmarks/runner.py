"""Run every benchmark module and print its figures against their targets."""

from __future__ import annotations

import importlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def modules(only: str = "") -> list[str]:
    """Names of the benchmark modules, filtered by ``only``."""
    return [p.stem for p in sorted(HERE.glob("bench_*.py")) if only in p.stem]


def verdict(figure: dict[str, Any]) -> str:
    """ok / OVER TARGET against the figure's target; FAILED when it could not be measured."""
    if figure.get("error"):
        return "FAILED"
    target = figure.get("target")
    if target is None:
        return ""
    return "ok" if figure["value"] <= target else "OVER TARGET"


def main(only: str = "", as_json: bool = False) -> list[dict[str, Any]]:
    """Run the benchmarks and print a table (or JSON); return the figures."""
    figures: list[dict[str, Any]] = []
    for name in modules(only):
        module = importlib.import_module(f"benchmarks.{name}")
        with tempfile.TemporaryDirectory(prefix=f"aim-{name}-") as tmp:
            try:
                found = list(module.run(Path(tmp)))
            except Exception as err:  # one broken benchmark must not hide the other figures
                found = [{"name": f"{name}: FAILED", "value": None, "unit": "",
                          "error": str(err), "note": f"{type(err).__name__}: {err}"}]
            figures += [{"module": name, **figure, "verdict": verdict(figure)}
                        for figure in found]
    if as_json:
        print(json.dumps(figures, indent=2))
        return figures
    for f in figures:
        target = f"target {f['target']:g} {f['unit']}" if f.get("target") is not None else ""
        value = "—" if f["value"] is None else f"{f['value']:.3f}"  # a failed measurement
        print(f"{f['name']:<48} {value:>10} {f['unit']:<3} {target:<18} "
              f"{f['verdict']:<11} {f.get('note', '')}")
    return figures


if __name__ == "__main__":
    main(only=sys.argv[1] if len(sys.argv) > 1 else "")
