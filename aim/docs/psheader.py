"""Where a PowerShell script's own code starts: after ``#Requires``, help and ``param()``.

``param(...)`` must be a script's first statement, so a banner has to go after it for the
script to still parse.
"""

from __future__ import annotations

import re

_PARAM = re.compile(r"^\s*param\s*\(", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"^\s*\[")
_USING = re.compile(r"^\s*using\s", re.IGNORECASE)


def _skip_preamble(lines: list[str]) -> int:
    """Index of the first line that is not blank, a comment, a block comment or ``using``."""
    i, in_block = 0, False
    while i < len(lines):
        line = lines[i].strip()
        if in_block:
            in_block = "#>" not in line
        elif line.startswith("<#"):
            in_block = "#>" not in line[2:]
        elif line and not line.startswith("#") and not _USING.match(line):
            return i
        i += 1
    return i


def _paren_close(lines: list[str], start: int) -> int | None:
    """Index of the line where the parenthesis opened on ``start`` closes (quotes respected)."""
    depth, quote = 0, ""
    for i in range(start, len(lines)):
        for char in lines[i]:
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "#":
                break
            elif char in "()":
                depth += 1 if char == "(" else -1
                if depth == 0:
                    return i
        quote = ""
    return None


def after_ps_header(lines: list[str]) -> int:
    """The line index where a banner may go without breaking the script's ``param`` block."""
    i = _skip_preamble(lines)
    j = i
    while j < len(lines) and _ATTRIBUTE.match(lines[j]) and not _PARAM.match(lines[j]):
        j += 1  # [CmdletBinding()] and friends belong to the param block
    if j < len(lines) and _PARAM.match(lines[j]):
        close = _paren_close(lines, j)
        return len(lines) if close is None else close + 1
    return i
