"""The limits on what AIM+ reads, so that a hostile or broken file is bad input, not a crash.

Every YAML and JSON file AIM+ reads (workflows, aim_config.json, aim.yaml, the legacy and
first-generation configs) is read through :func:`read_limited` and parsed by the one bounded
loader of its format (:mod:`aim.yamlio`, :mod:`aim.config.jsonsource`).  A file over a limit is
an :class:`~aim.errors.InputError` (exit code 2) naming the file, the line where there is one,
and the limit.  The limits are far above anything a real config or workflow needs.
"""

from __future__ import annotations

from pathlib import Path

from aim.errors import InputError

MAX_FILE_BYTES = 8 * 1024 * 1024  # the largest file read; real configs are a few KB
MAX_DEPTH = 50  # levels of nested lists and mappings/objects
MAX_ALIASES = 50  # YAML aliases (*name) to a list or mapping, as SnakeYAML allows
MAX_NODES = 100_000  # values in one YAML document, counted with its aliases expanded


def describe_size(count: int) -> str:
    """``8 MiB`` for ``8 * 1024 * 1024``; bytes otherwise."""
    return f"{count // (1024 * 1024)} MiB" if count % (1024 * 1024) == 0 else f"{count} bytes"


def too_large(source: str) -> InputError:
    """The error for a file over :data:`MAX_FILE_BYTES`."""
    return InputError(f"{source}: the file is larger than {describe_size(MAX_FILE_BYTES)}, the "
                      "limit for the YAML and JSON files AIM+ reads; check that it is the "
                      "right file (nothing was changed)")


def read_limited(path: Path) -> bytes:
    """The bytes of ``path``, at most :data:`MAX_FILE_BYTES` of them; InputError beyond.

    Reads at most one byte more than the limit, so a huge file (or a device) never fills
    memory.  OSError (a missing or unreadable file) is left to the caller.
    """
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise too_large(str(path))
    return data
