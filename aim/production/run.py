"""Run the production checklist; a check that breaks is a failed item, never a crash."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping
from typing import Any

from aim.checks import Check, guarded, run_checks
from aim.config.model import AimConfig
from aim.production.checks import CHECKS, ProductionContext
from aim.production.model import ProductionReport
from aim.production.suite import TITLE, check_tests
from aim.workspace import Workspace

ITEM_TIMEOUT = 300.0  # seconds: an item that takes longer is broken (the CLI item's runs
# have their own 30 s limit each)
TIMEOUT_HINT = "find what blocks it (a hung tool, keyring daemon or network drive)"


def run_production_checks(ws: Workspace, config: AimConfig, *, path_env: str | None = None,
                          secret_store: Callable[[str], Any] | None = None,
                          tests: Mapping[str, Any] | None = None,
                          links_baseline: list[Any] | None = None,
                          clock: Callable[[], float] = time.monotonic) -> ProductionReport:
    """Every checklist item, in order, with its evidence and the measured timings.

    The items run one after the other (so that no timing is taken while another item runs),
    each within :data:`ITEM_TIMEOUT`.  ``tests`` (the outputs of a deploy's test step) adds
    the item "all tests passing"; links in ``links_baseline`` were broken before the deploy
    and fail nothing.
    """
    pc = ProductionContext(ws, config, path_env, secret_store, links_baseline, clock=clock)
    planned = [Check(name, functools.partial(check, pc), title) for name, title, check in CHECKS]
    results = run_checks(planned, timeout=ITEM_TIMEOUT, timeout_hint=TIMEOUT_HINT)
    if tests is not None:
        results.append(guarded(Check("tests", lambda: check_tests(tests), TITLE)))
    return ProductionReport(tuple(results), dict(pc.timings))
