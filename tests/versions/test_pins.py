"""Installed versions against pins: PEP 440 for pipx/uv, npm semver for npm, exact for winget."""

from __future__ import annotations

import pytest

from aim.versions.pins import compare, is_exact


@pytest.mark.parametrize(("pin", "installed", "status"), [
    ("0.86.1", "0.86.1", "ok"),
    ("0.86.1", "0.86.1.0", "ok"),          # PEP 440 pads release segments
    ("0.86.1", "0.85.0", "older"),
    ("0.86.1", "0.87.0", "newer"),
    ("==0.86.1", "0.86.2", "newer"),
    (">=1,<2", "1.5", "ok"),
    (">=1,<2", "0.9", "older"),
    (">=1,<2", "2.0", "newer"),
    (">=1,<2", "1.5b1", "ok"),             # an installed pre-release is accepted
    ("~=1.4.2", "1.4.9", "ok"),
    ("~=1.4.2", "1.5.0", "newer"),
    ("~=1.4.2", "1.4.1", "older"),
    ("==1.2.*", "1.2.7", "ok"),
    ("==1.2.*", "1.3.0", "newer"),
    ("!=1.0", "1.0", "older"),
    (">=2", "1.9", "older"),
    ("0.86.1", "not-a-version", "unknown"),
    (">=>1", "1.0", "unknown"),
])
def test_pep440_pins(pin: str, installed: str, status: str) -> None:
    for manager in ("pipx", "uv"):
        assert compare(manager, pin, installed)[0] == status


@pytest.mark.parametrize(("pin", "installed", "status"), [
    ("^2.0.31", "2.0.31", "ok"),
    ("^2.0.31", "2.4.0", "ok"),
    ("^2.0.31", "2.0.30", "older"),
    ("^2.0.31", "3.0.0", "newer"),
    ("2.0.31", "2.0.32", "newer"),
    (">=1.2.3 <2", "1.0.0", "older"),
    ("1.x || 3.x", "2.0.0", "older"),
    ("~0.58.0", "0.58.4", "ok"),
    ("^2.0.0", "2.1.0-beta.1", "older"),   # npm's prerelease rule
    ("^2.0.31", "garbage", "unknown"),
    ("next-tag", "1.0.0", "unknown"),
])
def test_npm_pins(pin: str, installed: str, status: str) -> None:
    assert compare("npm", pin, installed)[0] == status


@pytest.mark.parametrize(("pin", "installed", "status"), [
    ("1.6.2", "1.6.2", "ok"), ("1.6.2", "1.7.0", "newer"), ("1.6.2", "1.5", "older"),
    ("2024.1", "2024.1 ", "ok"), ("beta", "gamma", "unknown"),
])
def test_winget_pins_are_exact(pin: str, installed: str, status: str) -> None:
    assert compare("winget", pin, installed)[0] == status


def test_the_note_says_what_does_not_match() -> None:
    assert compare("pipx", ">=1,<2", "2.0") == ("newer", "2.0 does not satisfy <2,>=1")
    assert compare("npm", "^2.0.31", "2.0.30") == ("older", "2.0.30 does not satisfy ^2.0.31")


@pytest.mark.parametrize(("manager", "pin", "exact"), [
    ("pipx", "0.86.1", True), ("pipx", ">=1,<2", False), ("uv", "1.0rc1", True),
    ("npm", "2.0.31", True), ("npm", "^2.0.31", False), ("winget", "anything", True),
])
def test_exact_pins(manager: str, pin: str, exact: bool) -> None:
    assert is_exact(manager, pin) is exact
