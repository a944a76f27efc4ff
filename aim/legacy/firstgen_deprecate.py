"""Deprecating the first-generation AIM+ configs, as AI_MANGER is deprecated: noticed, kept.

The YAML settings file gets a comment block at its top (YAML ignores it).  A JSON file cannot
hold a comment, and a key added to it could break the program that still reads it, so it gets
a notice file beside it instead (``aim_config.json`` → ``aim_config.json.DEPRECATED.md``).
Marker-delimited: running it again changes nothing; rollback restores both.
"""

from __future__ import annotations

from pathlib import Path

from aim.docs.markers import plan_block, top
from aim.docs.textdoc import FileWrite

BLOCK = "deprecation"
NOTICE_SUFFIX = ".DEPRECATED.md"


def notice_path(config: Path) -> Path:
    """The notice file beside a first-generation JSON config."""
    return config.with_name(config.name + NOTICE_SUFFIX)


def _text(relative: str) -> str:
    return (f"Deprecated: AIM+ migrated {relative} into aim_config.json at the workspace root "
            "and no longer reads this file. Change settings there (aim config.show, "
            "aim tools); this file stays for reference. 'aim rollback' undoes the migration.")


def plan_firstgen_deprecation(root: Path, files: list[Path]) -> list[FileWrite]:
    """The writes that mark each first-generation config deprecated (empty when done)."""
    writes = []
    for path in files:
        relative = path.relative_to(root).as_posix()
        if path.suffix.lower() in (".yaml", ".yml"):
            writes.append(plan_block(path, BLOCK, _comment(_text(relative)), top))
        else:
            writes.append(plan_block(notice_path(path), BLOCK, f"> {_text(relative)}", top,
                                     create=True))
    return [w for w in writes if w is not None]


def _comment(text: str) -> str:
    """``text`` as YAML comment lines of at most ~90 characters."""
    words, lines, line = text.split(), [], "#"
    for word in words:
        if len(line) + len(word) > 90:
            lines.append(line)
            line = "#"
        line += " " + word
    return "\n".join([*lines, line])
