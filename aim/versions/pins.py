"""An installed version against its pin: ``ok``, ``older``, ``newer`` or ``unknown``.

pipx and uv pins are PEP 440: an exact version (``0.86.1``) means ``==0.86.1``, anything else
is a specifier set (``>=1,<2``).  An installed prerelease is accepted by a specifier it
satisfies (PEP 440 accepts pre-releases that are already installed).  npm and pnpm pins are
npm semver (:mod:`aim.versions.npm_semver`).  winget pins are exact strings (compared as
PEP 440 versions when both parse, to tell older from newer).

``newer`` means an install of the pin would move the package down: the installed version is
above an exact pin or above every upper bound of the range.  Any other mismatch is ``older``
(an install of the pin moves it up, or sideways past an excluded version).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from aim.versions.npm_semver import InvalidNpmVersion, NpmRange, NpmVersion

if TYPE_CHECKING:
    from packaging.version import Version

OK = "ok"
MISSING = "missing"
OLDER = "older"
NEWER = "newer"
UNPINNED = "unpinned"
UNKNOWN = "unknown"
STATUSES = (OK, MISSING, OLDER, NEWER, UNPINNED, UNKNOWN)

# Managers whose pins are npm semver (pnpm installs from the npm registry).
NPM_FAMILY = ("npm", "pnpm")
_EXACT_OPS = ("==", "~=", "===")


def syntax_problem(manager: str, pin: str) -> str | None:
    """Why ``pin`` is not a valid pin for ``manager`` (to follow the pin in a message), or None.

    The one pin-syntax check of AIM+: the config loader and the legacy migration both use it.
    """
    if manager in NPM_FAMILY:
        try:
            NpmRange.parse(pin)
        except InvalidNpmVersion:
            return ("is not an npm semver version or range; write '2.0.31', '^2.0.31', "
                    "'~2.0', '>=1.2 <2' or '1.x'")
        return None
    if manager == "winget":
        return "has spaces around it; write the exact version string" if pin != pin.strip() \
            else None
    try:
        Version(pin)
        return None
    except InvalidVersion:
        pass
    try:
        if pin.strip():
            SpecifierSet(pin)
            return None
    except InvalidSpecifier:
        pass
    return ("is not a PEP 440 version or specifier; write an exact version like '0.86.1' or a "
            "range like '>=1,<2'")


def compare(manager: str, pin: str, installed: str) -> tuple[str, str]:
    """The status of ``installed`` against ``pin`` for ``manager``, and a note on why."""
    if manager in NPM_FAMILY:
        return _npm(pin, installed)
    if manager == "winget":
        return _winget(pin, installed)
    return _pep440(pin, installed)


def is_exact(manager: str, pin: str) -> bool:
    """True when ``pin`` names one version (so an installer can pin ``==`` / ``@`` to it)."""
    if manager in NPM_FAMILY:
        try:
            NpmVersion.parse(pin)
        except InvalidNpmVersion:
            return False
        return True
    if manager == "winget":
        return True

    try:
        Version(pin)
    except InvalidVersion:
        return False
    return True


def _pep440(pin: str, installed: str) -> tuple[str, str]:
    try:
        version = Version(installed)
    except InvalidVersion:
        return UNKNOWN, f"installed version {installed!r} is not a PEP 440 version"
    try:
        specs = SpecifierSet(f"=={pin}" if is_exact("pipx", pin) else pin)
    except InvalidSpecifier:
        return UNKNOWN, f"pin {pin!r} is not a PEP 440 version or specifier"
    if specs.contains(version, prereleases=True):
        return OK, ""
    failed = [s for s in specs if not s.contains(version, prereleases=True)]
    # Failing "<" or "<=" means too new; failing "==" or "~=" is too new when above the bound.
    above = any(s.operator in ("<", "<=") or (s.operator in _EXACT_OPS and
                                             _above(version, s.version)) for s in failed)
    return (NEWER if above else OLDER), f"{installed} does not satisfy {specs}"


def _above(version: Version, bound: str) -> bool:
    try:
        return version > Version(bound.removesuffix(".*"))
    except InvalidVersion:  # an "===" arbitrary string
        return False


def _npm(pin: str, installed: str) -> tuple[str, str]:
    try:
        version = NpmVersion.parse(installed)
    except InvalidNpmVersion:
        return UNKNOWN, f"installed version {installed!r} is not a semver version"
    try:
        wanted = NpmRange.parse(pin)
    except InvalidNpmVersion as err:
        return UNKNOWN, str(err)
    if wanted.satisfied_by(version):
        return OK, ""
    status = NEWER if wanted.is_exceeded_by(version) else OLDER
    return status, f"{installed} does not satisfy {pin}"


def _winget(pin: str, installed: str) -> tuple[str, str]:
    if pin.strip() == installed.strip():
        return OK, ""
    try:
        newer = Version(installed) > Version(pin)
    except InvalidVersion:
        return UNKNOWN, f"{installed!r} is not {pin!r} and the two cannot be ordered"
    return (NEWER if newer else OLDER), f"{installed} is not {pin}"
