"""Legacy names and package specs that must never reach a keyring name, an export or an installer.

A legacy config's secret map names the environment variables its secrets are exported as, and
its package lists become installer arguments.  A name such as ``PATH`` or ``HOME`` (exported,
it would replace the user's own), or a list entry such as ``--index-url=http://…`` (an option
to pipx, not a package), is dropped by the migration: its fate is ``dropped`` with the reason,
and it is not carried into aim_config.json either.  The rules are the ones everything else
applies (:func:`aim.secrets.names.env_problem`, :func:`aim.installer.spec_problem`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aim.installer import spec_problem
from aim.secrets.names import env_problem

# (where inside the value: a list index or a mapping key, why it was dropped)
Rejected = list[tuple[int | str, str]]


def _text_problem(text: str) -> str | None:
    return spec_problem(text)


def screen_packages(items: Any) -> tuple[Any, Rejected]:
    """``items`` without the entries an installer must not get, and those entries' reasons.

    Entries that are not strings are left for the schema check (they are carried as written).
    """
    if not isinstance(items, list):
        return items, []
    kept: list[Any] = []
    rejected: Rejected = []
    for index, item in enumerate(items):
        problem = _text_problem(item) if isinstance(item, str) else None
        if problem is None:
            kept.append(item)
        else:
            rejected.append((index, f"package entry {problem}; dropped, so that it never "
                                    "reaches an installer's command line"))
    return kept, rejected


def secret_name_problem(name: str, ref: Any) -> str | None:
    """Why the legacy secret ``name`` (its ``ref`` as mapped: env and vault name) is refused."""
    problem = env_problem(name)
    if problem is None and isinstance(ref, Mapping) and isinstance(ref.get("legacy_name"), str):
        vault = _text_problem(ref["legacy_name"])
        problem = f"its vault name {vault}" if vault else None
    return problem


def screen_secrets(secrets: Any) -> tuple[Any, Rejected]:
    """The mapped ``secrets`` without the names that must not be used, and their reasons."""
    if not isinstance(secrets, Mapping):
        return secrets, []
    kept: dict[str, Any] = {}
    rejected: Rejected = []
    for name, ref in secrets.items():
        problem = secret_name_problem(str(name), ref)
        if problem is None:
            kept[name] = ref
        else:
            rejected.append((str(name), f"{problem}; dropped: never a keyring name or an "
                                        "exported variable"))
    return kept, rejected
