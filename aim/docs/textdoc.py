"""Text files as users keep them: the encoding, BOM, line endings and mode survive an edit."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from aim.fsio import atomic_write_bytes
from aim.legacy.textfile import decode

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class TextDoc:
    """A file's text (``\\n`` newlines) and how to store it again byte for byte."""

    path: Path
    text: str
    encoding: str  # utf-8 | utf-16-le | utf-16-be (the BOM is kept apart)
    bom: bytes
    crlf: bool
    exists: bool = True

    def encode(self, text: str) -> bytes:
        """``text`` stored the way this file was stored (BOM, encoding, CRLF or LF)."""
        body = text.replace("\r\n", "\n")
        if self.crlf:
            body = body.replace("\n", "\r\n")
        return self.bom + body.encode(self.encoding)


def read_doc(path: Path) -> TextDoc:
    """Read ``path``; a missing file reads as empty UTF-8 with LF newlines."""
    if not path.exists():
        return TextDoc(path, "", "utf-8", b"", False, exists=False)
    data = path.read_bytes()
    bom = next((b for b in _BOMS if data.startswith(b)), b"")
    decoded = decode(data, path)
    encoding = "utf-8" if decoded.encoding == "utf-8-sig" else decoded.encoding
    return TextDoc(path, decoded.text, encoding, bom, decoded.crlf)


@dataclass(frozen=True)
class FileWrite:
    """A planned write: the whole new content of one file (created when it does not exist)."""

    path: Path
    data: bytes
    created: bool


def planned_write(doc: TextDoc, text: str) -> FileWrite | None:
    """The write that turns ``doc`` into ``text``, or None when nothing would change."""
    if doc.exists and text == doc.text:
        return None
    data = doc.encode(text)
    if doc.exists and data == doc.path.read_bytes():
        return None
    return FileWrite(doc.path, data, not doc.exists)


def apply_write(write: FileWrite) -> None:
    """Write atomically, keeping the mode of the file it replaces."""
    mode = write.path.stat().st_mode & 0o7777 if write.path.is_file() else None
    atomic_write_bytes(write.path, write.data, mode)
