"""Run the production checklist; a check that breaks is a failed item, never a crash."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from aim.config.model import AimConfig
from aim.errors import AimError
from aim.production.checks import CHECKS, ProductionContext
from aim.production.model import FAIL, Check, ProductionReport
from aim.redact import redact
from aim.workspace import Workspace


def _title(check: Callable[..., Check]) -> str:
    return check.__name__.removeprefix("check_")


def run_production_checks(ws: Workspace, config: AimConfig, *, path_env: str | None = None,
                          secret_store: Callable[[str], Any] | None = None,
                          tests: Mapping[str, Any] | None = None,
                          links_baseline: list[Any] | None = None,
                          clock: Callable[[], float] = time.monotonic) -> ProductionReport:
    """Every checklist item, in order, with its evidence and the measured timings.

    ``tests`` (the outputs of a deploy's test step) adds the item "all tests passing";
    links in ``links_baseline`` were broken before the deploy and fail nothing.
    """
    from aim.production.suite import check_tests

    pc = ProductionContext(ws, config, path_env, secret_store, links_baseline, clock=clock)
    results = []
    for check in CHECKS:
        try:
            results.append(check(pc))
        except AimError as err:
            results.append(Check(_title(check), _title(check), FAIL, redact(str(err))))
        except Exception as err:  # a broken subsystem is a failed item with the error shown
            results.append(Check(_title(check), _title(check), FAIL,
                                 redact(f"{type(err).__name__}: {err}")))
    if tests is not None:
        results.append(check_tests(tests))
    return ProductionReport(tuple(results), dict(pc.timings))
