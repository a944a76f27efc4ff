"""npm semver ranges, checked case by case against node-semver's documented behaviour."""

from __future__ import annotations

import pytest

from aim.versions.npm_semver import InvalidNpmVersion, NpmRange, NpmVersion, satisfies

CASES = [
    # exact
    ('1.2.3', '1.2.3', True),
    ('1.2.3', '1.2.4', False),
    ('=1.2.3', '1.2.3', True),
    ('v1.2.3', '1.2.3', True),
    ('1.2.3', '1.2.3-beta', False),
    # caret
    ('^1.2.3', '1.2.3', True),
    ('^1.2.3', '1.9.9', True),
    ('^1.2.3', '2.0.0', False),
    ('^1.2.3', '1.2.2', False),
    ('^0.2.3', '0.2.9', True),
    ('^0.2.3', '0.3.0', False),
    ('^0.0.3', '0.0.3', True),
    ('^0.0.3', '0.0.4', False),
    ('^1.2.x', '1.2.0', True),
    ('^1.2.x', '1.99.0', True),
    ('^0.0.x', '0.0.9', True),
    ('^0.0.x', '0.1.0', False),
    ('^0.0', '0.0.5', True),
    ('^1.x', '1.0.0', True),
    ('^1.x', '2.0.0', False),
    ('^0.x', '0.9.9', True),
    ('^2.0.31', '2.0.31', True),
    ('^2.0.31', '2.1.0', True),
    ('^2.0.31', '2.0.30', False),
    ('^2.0.31', '3.0.0', False),
    # tilde
    ('~1.2.3', '1.2.9', True),
    ('~1.2.3', '1.3.0', False),
    ('~1.2.3', '1.2.2', False),
    ('~1.2', '1.2.0', True),
    ('~1.2', '1.3.0', False),
    ('~1', '1.9.0', True),
    ('~1', '2.0.0', False),
    ('~0.2.3', '0.2.4', True),
    ('~0.2.3', '0.3.0', False),
    ('~>1.2.1', '1.2.5', True),
    # xrange
    ('*', '0.0.0', True),
    ('*', '99.1.0', True),
    ('', '1.0.0', True),
    ('1.x', '1.0.0', True),
    ('1.x', '1.99.99', True),
    ('1.x', '2.0.0', False),
    ('1.2.*', '1.2.7', True),
    ('1.2.*', '1.3.0', False),
    ('2', '2.5.0', True),
    ('2', '3.0.0', False),
    ('2.0', '2.0.9', True),
    ('2.0', '2.1.0', False),
    ('latest', '5.0.0', True),  # a dist-tag: cannot be checked offline, any release
    # comparators
    ('>=1.2.3 <2', '1.2.3', True),
    ('>=1.2.3 <2', '1.99.0', True),
    ('>=1.2.3 <2', '2.0.0', False),
    ('>=1.2.3 <2', '1.2.2', False),
    ('>= 1.2.3', '1.2.3', True),
    ('< 2.0.0', '1.9.9', True),
    ('>1.2', '1.2.9', False),
    ('>1.2', '1.3.0', True),
    ('>1', '1.9.0', False),
    ('>1', '2.0.0', True),
    ('<1.2', '1.1.9', True),
    ('<1.2', '1.2.0', False),
    ('<=1.2', '1.2.9', True),
    ('<=1.2', '1.3.0', False),
    ('<=1', '1.9.9', True),
    ('>=1.2', '1.2.0', True),
    ('>=0.1.97', '0.1.97', True),
    ('>=0.1.97', '0.1.96', False),
    ('<0.0.1', '0.0.0', True),
    ('>*', '1.0.0', False),
    ('<*', '1.0.0', False),
    ('=1.x', '1.5.0', True),
    # or
    ('1.x || >=2.5.0 || 5.0.0 - 7.2.3', '1.2.3', True),
    ('1.x || >=2.5.0 || 5.0.0 - 7.2.3', '2.4.0', False),
    ('1.x || >=2.5.0 || 5.0.0 - 7.2.3', '2.5.0', True),
    ('0.x || 2.x', '1.0.0', False),
    ('0.x || 2.x', '2.3.0', True),
    ('1.2.3 || 3.4.5', '3.4.5', True),
    ('1.2.3 || 3.4.5', '2.0.0', False),
    # hyphen
    ('1.2.3 - 2.3.4', '1.2.3', True),
    ('1.2.3 - 2.3.4', '2.3.4', True),
    ('1.2.3 - 2.3.4', '2.3.5', False),
    ('1.2 - 2.3.4', '1.2.0', True),
    ('1.2 - 2.3.4', '1.1.9', False),
    ('1.2.3 - 2.3', '2.3.9', True),
    ('1.2.3 - 2.3', '2.4.0', False),
    ('1.2.3 - 2', '2.9.9', True),
    ('1.2.3 - 2', '3.0.0', False),
    # prerelease
    ('^1.2.3', '1.3.0-beta', False),
    ('^1.2.3-beta.2', '1.2.3-beta.4', True),
    ('^1.2.3-beta.2', '1.2.3-beta.1', False),
    ('^1.2.3-beta.2', '1.2.4-beta.2', False),
    ('^1.2.3-beta.2', '1.2.3', True),
    ('>=1.2.3-alpha.3 <2', '1.2.3-alpha.7', True),
    ('>=1.2.3-alpha.3 <2', '1.2.3-alpha.10', True),
    ('>=1.2.3-alpha.3 <2', '3.4.5-alpha.9', False),
    ('*', '1.0.0-rc.1', False),
    ('1.2.3-alpha.3', '1.2.3-alpha.3', True),
    ('>1.2.3-beta.1', '1.2.3-beta.2', True),
    ('>1.2.3-beta.1', '1.2.3-beta', False),
    ('<=2.0.0-rc.1', '2.0.0-rc.1', True),
    ('<=2.0.0-rc.1', '2.0.0-rc.2', False),
    ('>=2.0.0-0', '2.0.0-rc.1', True),
    ('~1.2.3-beta.2', '1.2.3-beta.10', True),
    ('^2.0.0', '3.0.0-beta', False),
    ('1.2.3', '1.2.3+build.5', True),
    ('~1.2.3', '1.2.3-beta', False),
]


@pytest.mark.parametrize(("range_text", "version", "expected"), CASES)
def test_satisfies(range_text: str, version: str, expected: bool) -> None:
    assert satisfies(version, range_text) is expected


@pytest.mark.parametrize("ordered", [
    ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
     "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0-0", "2.0.0", "10.0.0"],
])
def test_semver_precedence(ordered: list[str]) -> None:
    versions = [NpmVersion.parse(v) for v in ordered]
    assert sorted(reversed(versions)) == versions
    assert [str(v) for v in versions] == ordered


def test_build_metadata_is_ignored_in_comparisons() -> None:
    assert NpmVersion.parse("1.2.3+a") == NpmVersion.parse("v1.2.3+b")


@pytest.mark.parametrize("text", ["bogus", ">=", "^", "1.2.3.4", "1.2.3 -", "=>1.2", "~1.2.3.x",
                                  "1.2.3 - 2.3.4 - 5", "01.2.3"])
def test_bad_ranges_are_rejected_with_an_example(text: str) -> None:
    with pytest.raises(InvalidNpmVersion, match=r"write e\.g\. 2\.0\.31"):
        NpmRange.parse(text)


@pytest.mark.parametrize("text", ["1.2", "one", "1.2.3-", "1.2.3-beta..1", ""])
def test_bad_versions_are_rejected(text: str) -> None:
    with pytest.raises(InvalidNpmVersion):
        NpmVersion.parse(text)


@pytest.mark.parametrize(("range_text", "version", "exceeded"), [
    ("^2.0.31", "3.0.0", True),
    ("^2.0.31", "2.0.30", False),
    ("^2.0.0", "3.0.0-beta", True),
    ("2.0.31", "2.0.32", True),
    ("2.0.31", "2.0.30", False),
    (">=1.2.3", "99.0.0", False),
    ("1.x || 3.x", "2.0.0", False),
    ("1.x || 3.x", "4.0.0", True),
    ("<=1.2", "1.3.0", True),
    ("1.2.3 - 2.3", "2.4.0", True),
])
def test_exceeded_means_above_every_upper_bound(range_text: str, version: str,
                                                exceeded: bool) -> None:
    assert NpmRange.parse(range_text).is_exceeded_by(NpmVersion.parse(version)) is exceeded


def test_ranges_print_as_their_comparators() -> None:
    assert str(NpmRange.parse("^0.2.3 || 1.2 - 2")) == ">=0.2.3 <0.3.0-0 || >=1.2.0 <3.0.0-0"
