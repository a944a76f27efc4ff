"""One scan of the environment: PATH analysis, then cache directories, within a time budget."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence

from aim.config.expand import expand
from aim.config.model import ScanSettings
from aim.scanner.budget import Budget
from aim.scanner.caches import CacheFindings, CacheWalker
from aim.scanner.managers import ManagerGuesser, ManagerRule
from aim.scanner.model import ScanReport
from aim.scanner.pathscan import PathFindings, analyse_path

NO_PATH = PathFindings((), (), (), (), False)
NO_CACHES = CacheFindings((), (), False, 0)


def scan(settings: ScanSettings, *, path_env: str | None = None,
         env: Mapping[str, str] | None = None, deadline: float | None = None,
         managers: Sequence[ManagerRule] | None = None, path: bool = True,
         caches: bool = True) -> ScanReport:
    """Scan PATH (``path_env``, default ``env['PATH']``) and the cache roots of ``settings``.

    ``env`` (default ``os.environ``) expands ``~``, ``%VAR%`` and ``$VAR`` in roots and PATH.
    The scan stops at ``settings.time_budget`` seconds or at ``deadline`` (a
    ``time.monotonic()`` value), whichever comes first, and then says so in ``notes`` with
    ``truncated=True``.  ``managers`` replaces the rules that guess who installed a command.
    ``path`` / ``caches`` turn either half off.  Nothing is ever fatal: unreadable or missing
    folders become notes.
    """
    started = time.monotonic()
    env = os.environ if env is None else env
    budget = Budget.of(settings.time_budget, deadline)
    found_path = NO_PATH
    if path:
        # Windows spells it "Path"; a plain dict passed as env is case-sensitive.
        path_value = (env.get("PATH") or env.get("Path") or "") if path_env is None else path_env
        found_path = analyse_path(path_value, env, windows=os.name == "nt",
                                  guesser=ManagerGuesser(managers), budget=budget)
    found_caches = _scan_caches(settings, env, budget) if caches else NO_CACHES
    truncated = found_path.truncated or found_caches.truncated
    notes = [*found_path.notes, *found_caches.notes]
    if truncated:
        seconds = (budget.deadline or started) - started
        notes.append(f"time budget of {max(seconds, 0):.3g} s reached after listing "
                     f"{found_caches.directories} directories; results are partial (raise "
                     "scan.time_budget or narrow scan.roots)")
    return ScanReport(duplicates=found_path.duplicates, shadowed=found_path.shadowed,
                      caches=found_caches.caches, conflicts=found_path.conflicts,
                      notes=tuple(notes), duration=time.monotonic() - started,
                      truncated=truncated)


def _scan_caches(settings: ScanSettings, env: Mapping[str, str], budget: Budget) -> CacheFindings:
    walker = CacheWalker(settings.cache_patterns, max_depth=settings.max_depth,
                         min_bytes=settings.min_size_kb * 1024, budget=budget)
    return walker.run(expand(root, env) for root in settings.roots)
