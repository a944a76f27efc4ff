"""The audit line format: one compact JSON object per line, hash-chained.

A line is ``{"v":1,"time":…,"type":…,"run":…,"actor":…,"details":{…},"prev":P,"hash":H}``
with the keys always in that order.  ``H`` is the sha256 of the line's *body* (the same object
without ``hash``, serialized the same way) and ``P`` is the previous event's ``H``.  Because the
layout is fixed, the chain can be checked on the raw bytes without parsing JSON, and the
query can filter on byte substrings (``"type":"step"``) before parsing anything.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any

VERSION = 1
GENESIS = "0" * 64  # the ``prev`` of the very first event of a trail
KIND_RE = re.compile(r"^[a-z][a-z0-9_.]*$")

_HASH_KEY = b',"hash":"'
_PREV_KEY = b'"prev":"'
# ``,"hash":"`` + 64 hex + ``"}``: the fixed tail of every line (without its newline)
_TAIL = len(_HASH_KEY) + 64 + 2
# ``"prev":"`` + 64 hex + ``"``: the fixed end of every body (before its closing brace)
_PREV_TAIL = len(_PREV_KEY) + 64 + 1
_TIME_AT = len(b'{"v":1,"time":"')
TIME_SLICE = slice(_TIME_AT, _TIME_AT + 27)  # where a line's time stamp is, in its raw bytes
REQUIRED = frozenset({"v", "time", "type", "hash"})  # the fields every event has
_HEX = frozenset(b"0123456789abcdef")


def utc_stamp(moment: datetime) -> str:
    """``moment`` as the audit trail's time: UTC, ISO 8601, microseconds, ``Z``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def since_moment(since: date | datetime) -> datetime:
    """A ``since`` bound as a moment (a date means its midnight UTC)."""
    if not isinstance(since, datetime):
        return datetime(since.year, since.month, since.day, tzinfo=timezone.utc)
    return since


def since_stamp(since: date | datetime) -> str:
    """The time stamp a ``since`` bound compares against (a date means its midnight UTC)."""
    return utc_stamp(since_moment(since))


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)


def jsonable(obj: Any) -> Any:
    """``obj`` as plain JSON data: mappings to dicts (string keys), sequences to lists."""
    if isinstance(obj, Mapping):
        return {str(key): jsonable(value) for key, value in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [jsonable(item) for item in obj]
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    return str(obj)


def encode(event: Mapping[str, Any], prev: str) -> tuple[bytes, str]:
    """The line (with its newline) for ``event`` chained after ``prev``, and its hash.

    ``event`` holds v, time, type, run, actor and details (in that order); prev and hash are
    added here.
    """
    body = _dumps({**event, "prev": prev}).encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()
    return body[:-1] + _HASH_KEY + digest.encode("ascii") + b'"}\n', digest


def links(line: bytes) -> tuple[bytes, bytes] | None:
    """``(prev, hash)`` (hex, as bytes) of a raw line if its hash matches its body, else None.

    ``line`` is one line without its newline.  None means the line was torn, edited or is not
    an audit event at all.  Nothing is parsed and little is copied: verify calls this once per
    line of the whole trail.
    """
    end = len(line) - _TAIL
    if (line[end:end + len(_HASH_KEY)] != _HASH_KEY or line[-2:] != b'"}'
            or line[end - _PREV_TAIL:end - _PREV_TAIL + len(_PREV_KEY)] != _PREV_KEY):
        return None
    digest = line[-66:-2]
    hasher = hashlib.sha256(line[:end])
    hasher.update(b"}")
    if hasher.hexdigest().encode("ascii") != digest:
        return None
    return line[end - 65:end - 1], digest


def line_hash(line: bytes) -> str | None:
    """The hash recorded at the end of a raw line (not checked), or None if it has none."""
    if len(line) < _TAIL or line[-_TAIL:-_TAIL + len(_HASH_KEY)] != _HASH_KEY:
        return None
    digest = line[-66:-2]
    return digest.decode("ascii") if _HEX.issuperset(digest) else None


def line_prev(line: bytes) -> str | None:
    """The ``prev`` recorded in a raw line (not checked), or None if it has none."""
    body = line[:-_TAIL]
    if len(line) < _TAIL + _PREV_TAIL or body[-_PREV_TAIL:-_PREV_TAIL + 8] != _PREV_KEY:
        return None
    prev = body[-65:-1]
    return prev.decode("ascii") if _HEX.issuperset(prev) else None


def field_needle(key: str, value: str) -> bytes:
    """The exact bytes ``"key":"value"`` has in a line (for substring pre-filtering)."""
    return f'"{key}":{_dumps(value)}'.encode()


def decode(line: bytes) -> dict[str, Any] | None:
    """The event of a raw line, or None when it is not a JSON object with the event fields."""
    try:
        event = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: a line nested too deep
        return None
    return event if is_event(event) else None


def is_event(item: Any) -> bool:
    """True when ``item`` is a JSON object with the fields every event has."""
    return isinstance(item, dict) and item.keys() >= REQUIRED
