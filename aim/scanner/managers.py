"""Guessing which package manager installed a file, from its real (symlink-resolved) path.

Each manager keeps its installs in a recognisable folder (pipx ``…/pipx/venvs/<pkg>/``, uv
``…/uv/tools/<pkg>/``, npm ``…/node_modules/<pkg>/``, pnpm
``…/pnpm/global/5/.pnpm/<pkg>@<version>/node_modules/<pkg>/``, winget
``…/WinGet/Packages/<id>_…/``);
the rules below are tried in order and the first match names the manager and package.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ManagerRule:
    """``pattern`` (a regex searched in the real path, ``/``-separated and lower-cased) means
    ``manager``; its optional group ``pkg`` is the package name."""

    manager: str
    pattern: str


DEFAULT_RULES: tuple[ManagerRule, ...] = (
    ManagerRule("pipx", r"/pipx/venvs/(?P<pkg>[^/]+)/"),
    ManagerRule("uv", r"/uv/tools/(?P<pkg>[^/]+)/"),
    # pnpm's global dir (PNPM_HOME/global/5) keeps packages in .pnpm/NAME@VERSION/node_modules/
    ManagerRule("pnpm", r"/pnpm/global/\d+/(?:\.pnpm/[^/]+/)?node_modules/"
                r"(?P<pkg>@[^/]+/[^/]+|[^/]+)/"),
    ManagerRule("pnpm", r"/pnpm/[^/]+$"),
    ManagerRule("npm", r"/node_modules/(?P<pkg>@[^/]+/[^/]+|[^/]+)/"),
    ManagerRule("npm", r"/appdata/roaming/npm/[^/]+$"),
    ManagerRule("winget", r"/winget/packages/(?P<pkg>[^/_]+)[^/]*/"),
    ManagerRule("system", r"^(?:/usr)?/s?bin/[^/]+$"),
    ManagerRule("system", r"^[a-z]:/windows/"),
)


def _compiled(rules: Sequence[ManagerRule]) -> list[tuple[str, re.Pattern[str]]]:
    return [(rule.manager, re.compile(rule.pattern)) for rule in rules]


class ManagerGuesser:
    """Applies a list of rules (default :data:`DEFAULT_RULES`) to real paths."""

    def __init__(self, rules: Sequence[ManagerRule] | None = None) -> None:
        self._rules = _compiled(DEFAULT_RULES if rules is None else rules)

    def guess(self, real_path: str) -> tuple[str | None, str | None]:
        """``(manager, package)`` for ``real_path``; ``(None, None)`` when no rule matches."""
        source = real_path.replace("\\", "/")
        normal = source.lower()
        for manager, pattern in self._rules:
            match = pattern.search(normal)
            if match:
                return manager, _package(match, source if len(source) == len(normal) else normal)
        return None, None


def _package(match: re.Match[str], source: str) -> str | None:
    """The ``pkg`` group, cut from the path as written (the match ran on its lower case)."""
    if "pkg" not in match.re.groupindex or match.group("pkg") is None:
        return None
    return source[match.start("pkg"):match.end("pkg")]
