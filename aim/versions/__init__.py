"""Installed versions of the registry's tools and managed packages, and their drift from pins.

:func:`aim.versions.drift.check_versions` is the entry point: it detects every
version concurrently (:mod:`aim.versions.detect`), compares each with its pin
(:mod:`aim.versions.pins`, :mod:`aim.versions.npm_semver`) and returns a ``DriftReport``
whose ``drifted`` list names what ``aim versions --sync`` would install.
"""

from __future__ import annotations
