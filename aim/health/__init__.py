"""Health checks: Python, commands, paths, tools, keyring, config, state folder, disk, backups.

``run_health(ws, config)`` runs them concurrently, ``health.concurrency`` at a time (one per CPU by
default), each within ``health.check_timeout`` of its own start, and
gives a :class:`HealthReport` whose status is healthy, degraded (a warning) or unhealthy (a
failure).  Each check is a small function ``(HealthContext) -> CheckResult`` (see
:mod:`aim.checks`) in this package.
"""

from __future__ import annotations

from aim.health.model import DEGRADED, HEALTHY, UNHEALTHY, HealthReport, overall_status
from aim.health.run import CHECKS, run_health

__all__ = ["CHECKS", "DEGRADED", "HEALTHY", "UNHEALTHY", "HealthReport", "overall_status",
           "run_health"]
