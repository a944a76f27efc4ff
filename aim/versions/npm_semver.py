"""npm semver: versions, ranges and whether a version satisfies a range, as npm decides it.

Supported range syntax (node-semver's, without its ``loose`` and ``includePrerelease`` options):
exact versions (``1.2.3``, ``=1.2.3``, ``v1.2.3``), comparators (``>=1.2.3 <2``), ``||``
alternatives, hyphen ranges (``1.2 - 2.3``), x-ranges (``1.x``, ``1.2.*``, ``*``, empty),
tilde (``~1.2.3``) and caret (``^0.2.3``) ranges, and the dist-tag ``latest`` (which cannot be
checked offline, so it means any release version).

Prerelease rule (npm's, kept as is): a version with a prerelease tag (``2.1.0-beta.1``)
satisfies a comparator set only if some comparator of that set names a prerelease of the same
``major.minor.patch``; so ``^2.0.0`` does not match ``2.1.0-beta.1`` but ``>=2.1.0-beta.0``
does.  Build metadata (``+build``) is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

_NUM = r"0|[1-9]\d*"
_IDENT = r"[0-9A-Za-z-]+"
_VERSION = re.compile(
    rf"^[v=\s]*({_NUM})\.({_NUM})\.({_NUM})"
    rf"(?:-({_IDENT}(?:\.{_IDENT})*))?(?:\+{_IDENT}(?:\.{_IDENT})*)?$"
)
_XPART = rf"{_NUM}|[xX*]"
_PARTIAL = re.compile(
    rf"^v?({_XPART})(?:\.({_XPART})(?:\.({_XPART})"
    rf"(?:-({_IDENT}(?:\.{_IDENT})*))?(?:\+{_IDENT}(?:\.{_IDENT})*)?)?)?$"
)
_OPERATOR = re.compile(r"^(<=|>=|<|>|=|~>|~|\^)?\s*(.*)$")
_HYPHEN = re.compile(r"^(\S+)\s+-\s+(\S+)$")


class InvalidNpmVersion(ValueError):
    """Text that is not an npm semver version or range."""


@total_ordering
@dataclass(frozen=True)
class NpmVersion:
    """A semver version; compares as semver does (release above its prereleases)."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> NpmVersion:
        """``1.2.3``, ``v1.2.3-beta.1+build``; InvalidNpmVersion otherwise."""
        match = _VERSION.match(text.strip())
        if not match:
            raise InvalidNpmVersion(f"{text!r} is not a semver version such as 1.2.3")
        major, minor, patch, pre = match.groups()
        return cls(int(major), int(minor), int(patch), tuple(pre.split(".")) if pre else ())

    @property
    def release(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, NpmVersion):
            return NotImplemented
        if self.release != other.release:
            return self.release < other.release
        return _pre_key(self.prerelease) < _pre_key(other.prerelease)

    def __str__(self) -> str:
        pre = "-" + ".".join(self.prerelease) if self.prerelease else ""
        return f"{self.major}.{self.minor}.{self.patch}{pre}"


def _pre_key(pre: tuple[str, ...]) -> tuple[object, ...]:
    # A release sorts above every prerelease; numeric identifiers sort below alphanumeric ones.
    if not pre:
        return ((2,),)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre)


@dataclass(frozen=True)
class Comparator:
    """``op`` (``<``, ``<=``, ``>``, ``>=``, ``=``) and a version."""

    op: str
    version: NpmVersion

    def test(self, version: NpmVersion) -> bool:
        """True when ``version`` passes this comparator (ignoring the prerelease rule)."""
        if self.op == "=":
            return version == self.version
        if self.op == "<":
            return version < self.version
        if self.op == "<=":
            return version <= self.version
        if self.op == ">":
            return version > self.version
        return version >= self.version

    def __str__(self) -> str:
        return f"{'' if self.op == '=' else self.op}{self.version}"


_ANY: tuple[Comparator, ...] = (Comparator(">=", NpmVersion(0, 0, 0)),)
_NOTHING: tuple[Comparator, ...] = (Comparator("<", NpmVersion(0, 0, 0, ("0",))),)


@dataclass(frozen=True)
class NpmRange:
    """A parsed range: alternatives (``||``), each a set of comparators that must all pass."""

    text: str
    alternatives: tuple[tuple[Comparator, ...], ...]

    @classmethod
    def parse(cls, text: str) -> NpmRange:
        """Parse an npm range; InvalidNpmVersion names what is wrong."""
        sets = tuple(_parse_set(part.strip(), text) for part in text.split("||"))
        return cls(text, sets)

    def satisfied_by(self, version: NpmVersion) -> bool:
        """True when ``version`` satisfies the range (npm's prerelease rule applies)."""
        return any(_test_set(comparators, version) for comparators in self.alternatives)

    def is_exceeded_by(self, version: NpmVersion) -> bool:
        """True when ``version`` is above every alternative's upper bound (too new)."""
        return all(_exceeds(comparators, version) for comparators in self.alternatives)

    def __str__(self) -> str:
        return " || ".join(" ".join(map(str, cs)) for cs in self.alternatives)


def satisfies(version: str, range_text: str) -> bool:
    """True when the version ``version`` satisfies the npm range ``range_text``."""
    return NpmRange.parse(range_text).satisfied_by(NpmVersion.parse(version))


def _test_set(comparators: tuple[Comparator, ...], version: NpmVersion) -> bool:
    if not all(c.test(version) for c in comparators):
        return False
    if not version.prerelease:
        return True
    return any(c.version.prerelease and c.version.release == version.release
               for c in comparators)


def _exceeds(comparators: tuple[Comparator, ...], version: NpmVersion) -> bool:
    uppers = [c for c in comparators if c.op in ("<", "<=", "=")]
    return any(not c.test(version) and version > c.version for c in uppers)


def _parse_set(text: str, whole: str) -> tuple[Comparator, ...]:
    if text in ("", "*", "latest"):
        return _ANY
    hyphen = _HYPHEN.match(text)
    if hyphen:
        return _hyphen(hyphen.group(1), hyphen.group(2), whole)
    # "> = 1.2" and ">= 1.2" are one comparator: glue operators to their versions first.
    tokens = re.sub(r"(<=|>=|<|>|=|~>|~|\^)\s+", r"\1", text).split()
    comparators: list[Comparator] = []
    for token in tokens:
        comparators.extend(_parse_token(token, whole))
    return tuple(comparators)


def _partial(text: str, whole: str) -> tuple[int | None, int | None, int | None, tuple[str, ...]]:
    match = _PARTIAL.match(text)
    if not match:
        raise InvalidNpmVersion(f"{whole!r}: {text!r} is not an npm version or range "
                                "(write e.g. 2.0.31, ^2.0.31, ~1.2, 1.x or >=1.2.3 <2)")
    parts = [None if p is None or p in "xX*" else int(p) for p in match.groups()[:3]]
    for index in range(1, 3):  # "1.x.3" counts as "1.x"
        if parts[index - 1] is None:
            parts[index] = None
    pre = tuple(match.group(4).split(".")) if match.group(4) and parts[2] is not None else ()
    return parts[0], parts[1], parts[2], pre


def _v(major: int, minor: int = 0, patch: int = 0, pre: tuple[str, ...] = ()) -> NpmVersion:
    return NpmVersion(major, minor, patch, pre)


_ZERO = ("0",)  # "<2.0.0-0": below 2.0.0 and below all its prereleases


def _parse_token(token: str, whole: str) -> tuple[Comparator, ...]:
    match = _OPERATOR.match(token)
    assert match is not None  # the pattern accepts any text
    op, rest = match.group(1) or "", match.group(2)
    major, minor, patch, pre = _partial(rest, whole)
    if op in ("~", "~>"):
        return _tilde(major, minor, patch, pre)
    if op == "^":
        return _caret(major, minor, patch, pre)
    return _xrange(op, major, minor, patch, pre)


def _whole_major(major: int | None) -> tuple[Comparator, ...]:
    """What ``~`` and ``^`` mean alike when no minor is given: any, or the whole major."""
    if major is None:
        return _ANY
    return (Comparator(">=", _v(major)), Comparator("<", _v(major + 1, 0, 0, _ZERO)))


def _tilde(major: int | None, minor: int | None, patch: int | None,
           pre: tuple[str, ...]) -> tuple[Comparator, ...]:
    if major is None or minor is None:
        return _whole_major(major)
    low = _v(major, minor, patch or 0, pre)
    return (Comparator(">=", low), Comparator("<", _v(major, minor + 1, 0, _ZERO)))


def _caret(major: int | None, minor: int | None, patch: int | None,
           pre: tuple[str, ...]) -> tuple[Comparator, ...]:
    if major is None or minor is None:
        return _whole_major(major)
    low = Comparator(">=", _v(major, minor, patch or 0, pre))
    if major > 0:
        high = _v(major + 1, 0, 0, _ZERO)
    elif minor > 0 or patch is None:
        high = _v(0, minor + 1, 0, _ZERO)
    else:
        high = _v(0, 0, patch + 1, _ZERO)
    return (low, Comparator("<", high))


def _xrange(op: str, major: int | None, minor: int | None, patch: int | None,
            pre: tuple[str, ...]) -> tuple[Comparator, ...]:
    if major is None:
        return _NOTHING if op in ("<", ">") else _ANY
    if minor is not None and patch is not None:
        return (Comparator(op or "=", _v(major, minor, patch, pre)),)
    if op in ("", "="):
        if minor is None:
            return (Comparator(">=", _v(major)), Comparator("<", _v(major + 1, 0, 0, _ZERO)))
        return (Comparator(">=", _v(major, minor)),
                Comparator("<", _v(major, minor + 1, 0, _ZERO)))
    # A comparator on a partial version: ">1.2" is ">=1.3.0", "<=1.2" is "<1.3.0-0".
    bumped = _v(major + 1) if minor is None else _v(major, minor + 1)
    if op == ">":
        return (Comparator(">=", bumped),)
    if op == "<=":
        return (Comparator("<", _v(*bumped.release, _ZERO)),)
    if op == "<":
        return (Comparator("<", _v(major, minor or 0, 0, _ZERO)),)
    return (Comparator(">=", _v(major, minor or 0)),)


def _hyphen(low: str, high: str, whole: str) -> tuple[Comparator, ...]:
    lmaj, lmin, lpat, lpre = _partial(low, whole)
    hmaj, hmin, hpat, hpre = _partial(high, whole)
    result: list[Comparator] = []
    if lmaj is not None:
        result.append(Comparator(">=", _v(lmaj, lmin or 0, lpat or 0, lpre)))
    if hmaj is not None:
        if hmin is None:
            result.append(Comparator("<", _v(hmaj + 1, 0, 0, _ZERO)))
        elif hpat is None:
            result.append(Comparator("<", _v(hmaj, hmin + 1, 0, _ZERO)))
        else:
            result.append(Comparator("<=", _v(hmaj, hmin, hpat, hpre)))
    return tuple(result) or _ANY
