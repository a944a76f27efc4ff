"""The objects each backup and run refers to (what ``aim prune`` must keep)."""

from __future__ import annotations

import re
from pathlib import Path

from aim.backup import MANIFEST
from aim.store.objects import store_for
from aim.workflow.checkpoint import BLOBS
from aim.workflow.history import load_run
from aim.workspace import Workspace

# A file entry's content as manifests and saved states write it.  Read as text rather than
# parsed, so that even a manifest the loader refuses still keeps its objects.
_SHA_FIELD = re.compile(r'"sha256":\s*"([0-9a-f]{64})"')
_STATE_FIELD = re.compile(r'"state":\s*"([0-9a-f]{64})"')  # a format-2 manifest's states


def _read(path: Path) -> str:
    """A manifest's or saved state's text ('' when it is gone: nothing can be restored
    through it then)."""
    try:
        return path.read_text("utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def _shas_in(path: Path) -> set[str]:
    """The sha256 of every file entry written in a manifest or saved state."""
    return set(_SHA_FIELD.findall(_read(path)))


def backup_refs(ws: Workspace, backup_id: str) -> set[str]:
    """The objects a backup's manifest refers to: its saved states and their files."""
    text = _read(ws.backups_dir / backup_id / MANIFEST)
    states = set(_STATE_FIELD.findall(text))
    store = store_for(ws.state_dir)
    found = set(_SHA_FIELD.findall(text)) | states
    for sha in states:
        found |= _shas_in(store.object_path(sha))
    return found


def run_refs(ws: Workspace, run_id: str) -> set[str]:
    """The objects a run's saved states refer to: its checkpoints' pre-images and the states
    its steps left (as its journal names them)."""
    state = load_run(ws, run_id)
    keys = {str(cp.state) for cp in state.checkpoints if cp.kind == "path" and cp.state}
    keys |= {str(key) for key in state.expected.values() if key}
    found: set[str] = set()
    for key in keys:
        if re.fullmatch(r"[0-9a-f]{64}", key):
            found |= _shas_in(state.run_dir / BLOBS / key)
    return found
