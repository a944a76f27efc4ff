"""The legacy secret vault: ``{name: base64(DPAPI blob)}``, written by PowerShell.

DPAPI blobs decrypt only for the Windows account that wrote them.  Elsewhere — or when a blob
does not decrypt — a secret's value comes from the environment variable that the legacy
``Secrets.EnvMap`` maps to it, from a prompt, or it is skipped.
"""

from __future__ import annotations

import base64
import binascii
import ctypes
import sys
from ctypes import wintypes
from dataclasses import dataclass
from pathlib import Path

from aim.errors import InputError
from aim.legacy.textfile import read_json


@dataclass(frozen=True)
class VaultEntry:
    """One vault item: its DPAPI blob, or why it has none."""

    name: str
    blob: bytes | None
    problem: str | None = None


def read_vault(path: Path) -> dict[str, VaultEntry]:
    """The vault's entries by legacy secret name; InputError if it is not a JSON object."""
    data, _ = read_json(path, "the legacy secret vault")
    if not isinstance(data, dict):
        raise InputError(f"{path}: the vault must be a JSON object {{name: base64 blob}}, "
                         f"not {type(data).__name__}; point --vault at the right file")
    entries = {}
    for name, value in data.items():
        try:
            blob = base64.b64decode(str(value), validate=True)
            entries[name] = VaultEntry(name, blob)
        except (binascii.Error, ValueError):
            entries[name] = VaultEntry(name, None, "not valid base64")
    return entries


def dpapi_available() -> bool:
    """True on Windows, where DPAPI can decrypt blobs of the current user."""
    return sys.platform == "win32"


def dpapi_decrypt(blob: bytes) -> str | None:
    """The secret in a DPAPI blob, or None when it does not decrypt here."""
    if not dpapi_available():
        return None
    return _crypt_unprotect(blob)


def _crypt_unprotect(blob: bytes) -> str | None:  # pragma: no cover - Windows only
    class DataBlob(ctypes.Structure):
        _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]

    buffer = ctypes.create_string_buffer(blob, len(blob))
    source = DataBlob(len(blob), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char)))
    out = DataBlob()
    windll = ctypes.windll  # type: ignore[attr-defined]
    if not windll.crypt32.CryptUnprotectData(ctypes.byref(source), None, None, None, None, 0,
                                             ctypes.byref(out)):
        return None
    try:
        raw = ctypes.string_at(out.pbData, out.cbData)
    finally:
        windll.kernel32.LocalFree(out.pbData)
    for encoding in ("utf-16-le", "utf-8"):  # PowerShell SecureString blobs are UTF-16
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
