"""The environment scanner: duplicate and conflicting commands on PATH, and cache directories.

``scan(settings)`` returns a :class:`ScanReport`; see :mod:`aim.scanner.core`.
"""

from __future__ import annotations

from aim.scanner.caches import DEFAULT_CACHE_PATTERNS
from aim.scanner.core import scan
from aim.scanner.managers import DEFAULT_RULES, ManagerRule
from aim.scanner.model import CacheDir, Conflict, Duplicate, Executable, ScanReport, Shadowed

__all__ = ["DEFAULT_CACHE_PATTERNS", "DEFAULT_RULES", "CacheDir", "Conflict", "Duplicate",
           "Executable", "ManagerRule", "ScanReport", "Shadowed", "scan"]
