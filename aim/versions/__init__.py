"""Installed versions of the registry's tools and managed packages, and their drift from pins.

:func:`check` (:func:`aim.versions.drift.check_versions`) is the entry point: it detects every
version concurrently (:mod:`aim.versions.detect`), compares each with its pin
(:mod:`aim.versions.pins`, :mod:`aim.versions.npm_semver`) and returns a ``DriftReport``
whose ``drifted`` list names what ``aim versions --sync`` would install.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aim.versions.drift import check_versions

if TYPE_CHECKING:
    from aim.config.model import AimConfig
    from aim.versions.drift import DriftReport


def check(config: AimConfig, *, path: str | None = None,
          timeout: float | None = None) -> DriftReport:
    """The drift report of ``config`` (see :func:`aim.versions.drift.check_versions`)."""
    return check_versions(config, path=path, timeout=timeout)
