"""Expanding ``~``, ``%VAR%``, ``$VAR`` and ``${VAR}`` in raw config values, for the scanner only.

Kept private and tiny on purpose: it gives way to the shared ``aim.config.expand.expand`` once
that exists.  Unknown variables are left as written so the value still names what was meant.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

_VAR = re.compile(r"%([A-Za-z_][A-Za-z0-9_]*)%|\$\{([A-Za-z_][A-Za-z0-9_]*)\}"
                  r"|\$([A-Za-z_][A-Za-z0-9_]*)")


def expand(value: str, env: Mapping[str, str] | None = None) -> str:
    """``value`` with a leading ``~`` and environment variables replaced from ``env``."""
    env = os.environ if env is None else env

    def lookup(match: re.Match[str]) -> str:
        name = next(g for g in match.groups() if g)
        return env.get(name, match.group(0))

    expanded = _VAR.sub(lookup, value)
    if expanded == "~" or expanded.startswith(("~/", "~\\")):
        home = env.get("HOME") or env.get("USERPROFILE")
        if home:
            expanded = home + expanded[1:]
    return expanded
