"""The production tests check a deployed sample: the deploy tests' fixtures, shared here."""

from __future__ import annotations

from tests.deploy.conftest import deployed, sample_run, undeployed  # noqa: F401

