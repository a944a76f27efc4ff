"""The one redaction filter: every secret value loaded in this process is masked on the way out.

Logs, audit events, journals, reports, exceptions, subprocess output and terminal output all pass
through :func:`redact` (or :func:`redact_obj` for structured data).  A value is also masked in
its JSON-escaped, URL-encoded and base64 forms, since those are how secrets usually leak.
The config's ``redaction.patterns`` (regular expressions) are masked the same way.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "***"
MIN_LENGTH = 4  # shorter values would mask ordinary words; keyring entries are never this short

_lock = threading.Lock()
_values: set[str] = set()
_extra: set[str] = set()  # regular expressions from the config's redaction.patterns
_pattern: re.Pattern[str] | None = None


def encoded_forms(value: str) -> set[str]:
    """``value`` and the encoded forms it leaks in: JSON-escaped, URL-encoded, base64."""
    raw = value.encode("utf-8")
    forms = {value, json.dumps(value)[1:-1], quote(value, safe=""), quote_plus(value)}
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        text = encoded.decode("ascii")
        forms.add(text)
        forms.add(text.rstrip("="))
    return {form for form in forms if len(form) >= MIN_LENGTH}


def register(value: str) -> None:
    """Remember ``value`` as a secret: from now on it is masked everywhere."""
    if len(value) < MIN_LENGTH:
        return
    with _lock:
        _values.add(value)
        _recompile()


def register_patterns(patterns: Iterable[str]) -> None:
    """Mask every match of these regular expressions too (the config's redaction.patterns)."""
    with _lock:
        _extra.update(patterns)
        _recompile()


def _recompile() -> None:
    global _pattern
    forms = set().union(*(encoded_forms(v) for v in _values))
    ordered = [re.escape(form) for form in sorted(forms, key=len, reverse=True)]
    combined = ordered + [f"(?:{pattern})" for pattern in sorted(_extra)]
    _pattern = re.compile("|".join(combined)) if combined else None


def forget_all() -> None:
    """Drop every registered value and pattern (tests, and the end of a process's work)."""
    global _pattern
    with _lock:
        _values.clear()
        _extra.clear()
        _pattern = None


def redact(text: str) -> str:
    """``text`` with every registered secret (in any of its encoded forms) replaced by ***."""
    pattern = _pattern
    if pattern is None or not text:
        return text
    return pattern.sub(MASK, text)


def redact_obj(obj: Any) -> Any:
    """A copy of a JSON-like structure with :func:`redact` applied to every string in it."""
    if _pattern is None:
        return obj
    if isinstance(obj, str):
        return redact(obj)
    if isinstance(obj, dict):
        return {redact(str(k)): redact_obj(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [redact_obj(item) for item in obj]
    return obj
