"""The SSH fleet of the fleet tests: one sshd and three host users per module (see sshd.py).

These tests need root (useradd, an sshd that switches users) and Debian's openssh-server;
.ci/run installs it and runs them in their own pass (``pytest -m fleet -rs``).  A machine
without them fails here, loudly: a fleet test never skips.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.fleet.sshd import SSHD, Fleet


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    """Three hosts (h1, h2, h3) behind our own sshd, trusted by the controller's known_hosts."""
    if os.geteuid() != 0 or not SSHD.exists():
        pytest.fail("the fleet tests run as root with Debian's openssh-server installed "
                    "(apt-get install openssh-server; .ci/run does both)")
    running = Fleet(tmp_path_factory.mktemp("controller-home"))
    try:
        yield running.start(3)
    finally:
        running.close()


@pytest.fixture
def hosts(fleet: Fleet) -> Fleet:
    """The fleet with every host reset to a fresh sample and the controller's known_hosts."""
    for host in fleet.hosts:
        fleet.reset(host)
    fleet.trust()
    return fleet
