"""Decode the text files Windows tools write: UTF-8 (with or without BOM), UTF-16 LE/BE."""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aim.config.jsonsource import decode_json
from aim.errors import InputError
from aim.limits import read_limited

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class DecodedText:
    """A file's text with ``\\n`` newlines, and how it was stored."""

    text: str
    encoding: str  # utf-8 | utf-8-sig | utf-16-le | utf-16-be
    crlf: bool


def _guess_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as every other byte zero in ASCII-heavy text."""
    if len(data) < 4:
        return None
    even, odd = data[0::2], data[1::2]
    if odd.count(0) > len(odd) * 0.4 and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.4 and odd.count(0) == 0:
        return "utf-16-be"
    return None


def decode(data: bytes, source: Path) -> DecodedText:
    """Decode ``data`` (from ``source``, named in errors)."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    encoding = encoding or _guess_bomless_utf16(data) or "utf-8"
    body = data
    if encoding.startswith("utf-16") and data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        body = data[2:]
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(f"{source}: cannot read the file as {encoding} (byte {err.start}); "
                         "save it as UTF-8 or UTF-16 and run again") from None
    crlf = "\r\n" in text
    return DecodedText(text.replace("\r\n", "\n"), encoding, crlf)


def read_json(path: Path, what: str) -> tuple[Any, DecodedText]:
    """Parse a JSON file in any of the encodings above, within AIM+'s limits (size, nesting:
    see aim.limits); errors name line and column."""
    try:
        data = read_limited(path)
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read {what}: {err.strerror}") from None
    decoded = decode(data, path)
    try:
        return decode_json(decoded.text, str(path)), decoded
    except json.JSONDecodeError as err:
        raise InputError(f"{path}:{err.lineno}:{err.colno}: {what} is not valid JSON: "
                         f"{err.msg}. Fix the file (or restore it from a backup) and run "
                         "again; nothing was changed") from None
