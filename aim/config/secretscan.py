"""Recognise strings that look like secret values, so they never sit in aim_config.json.

Known token shapes (OpenAI, Anthropic, GitHub, Google, Slack) are matched by prefix; anything
else long, unbroken and random-looking (hex, or base64 with mixed letters and digits and a high
entropy) is treated as a secret too.  Paths, package names, versions and prose do not match:
they are short, contain separators, or have a low entropy.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from aim.yamlio import KeyPath

_KNOWN = (
    ("an Anthropic API key", re.compile(r"sk-ant-[A-Za-z0-9_-]{16,}")),
    ("an OpenAI API key", re.compile(r"sk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}")),
    ("a GitHub token", re.compile(r"(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})")),
    ("a Google API key", re.compile(r"AIza[0-9A-Za-z_-]{30,}")),
    ("a Slack token", re.compile(r"xox[abposr]-[A-Za-z0-9-]{10,}")),
)
_HEX = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{32,}(?![0-9A-Fa-f])")
_B64 = re.compile(r"[A-Za-z0-9+/_-]{32,}={0,2}")
MIN_ENTROPY = 4.3  # bits per character; English words and paths stay well under it


def _entropy(text: str) -> float:
    counts, size = Counter(text), len(text)
    return -sum(n / size * math.log2(n / size) for n in counts.values())


def _random_looking(token: str) -> bool:
    if max(len(piece) for piece in token.split("/")) < 20:
        return False  # a path of short folder names, not a token
    classes = sum(bool(re.search(p, token)) for p in ("[a-z]", "[A-Z]", "[0-9]"))
    return classes >= 3 and _entropy(token) >= MIN_ENTROPY


def secret_kind(value: str) -> str | None:
    """What kind of secret ``value`` looks like (``"an OpenAI API key"``…), or None."""
    for kind, pattern in _KNOWN:
        if pattern.search(value):
            return kind
    if _HEX.search(value):
        return "a long hex token"
    if any(_random_looking(m.group()) for m in _B64.finditer(value)):
        return "a long random token"
    return None


def find_secrets(data: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str, str]]:
    """(key path, kind, value) for every key or string in ``data`` that looks like a secret."""
    if isinstance(data, str):
        kind = secret_kind(data)
        if kind:
            yield path, kind, data
    elif isinstance(data, dict):
        for key, item in data.items():
            kind = secret_kind(str(key))
            if kind:
                yield (*path, key), kind, str(key)
            yield from find_secrets(item, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from find_secrets(item, (*path, index))
