"""Verify before undo, for keyring entries: has the user changed an entry since the run?

When a step that checkpointed keyring entries ends, the state it left each entry in is
journaled with the step's ``post`` states, under ``keyring:<step>:<name>``, as a salted, slow
digest (PBKDF2-SHA256, salted with the run's service and the entry's name): never the value,
and nothing a weak value could be looked up by.  Before a rollback, each entry the undone
steps touched is digested again and compared: an entry rotated (or set, or deleted) after the
run is named, and the rollback refused unless ``--force``, exactly as for a file edited after
the run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from aim.workflow.secret_copies import check_kept

if TYPE_CHECKING:
    from aim.workflow.context import Hooks
    from aim.workflow.history import Checkpoint, RunState
    from aim.workflow.secret_slots import SecretSlots

ABSENT = "absent"
ITERATIONS = 50_000  # about 10 ms a digest: a few per step, and slow to guess a weak value
PREFIX = "keyring:"


def post_key(step: str, name: str) -> str:
    """Where a step's ``post`` states keep how it left the keyring entry ``name``."""
    return f"{PREFIX}{step}:{name}"


def digest(run_id: str, name: str, value: str | None) -> str:
    """A digest of ``value`` that can be compared, not reversed; ``absent`` for no entry."""
    if value is None:
        return ABSENT
    salt = f"aim-checkpoint/{run_id}/{name}".encode()
    return hashlib.pbkdf2_hmac("sha256", value.encode(), salt, ITERATIONS).hex()


def left_states(store: SecretSlots, run_id: str, step: str | None,
                names: Iterable[str]) -> dict[str, str]:
    """How a step leaves the entries ``names`` of ``store``, keyed as its ``post`` states."""
    return {post_key(str(step), name): digest(run_id, name, store.get(name)) for name in names}


def _last_per_entry(cps: list[Checkpoint]) -> dict[str, Checkpoint]:
    """The newest secret checkpoint of each entry: the step whose end state must still hold."""
    last: dict[str, Checkpoint] = {}
    for cp in cps:
        if cp.kind == "secret":
            last[cp.target] = cp
    return last


def keyring_changed(state: RunState, cps: list[Checkpoint], hooks: Hooks) -> list[str]:
    """The keyring entries among ``cps`` that differ from how the run left them, as
    ``keyring entry NAME``; CheckFailed when a saved value an undo needs is gone."""

    last = _last_per_entry(cps)
    if not last or hooks.secret_store is None:
        return []  # undoing a secret without a keyring fails on its own, naming the entry
    check_kept(state, cps)
    store = hooks.secret_store("aim")
    found = [(name, _difference(state, cp, store.get)) for name, cp in last.items()]
    return [f"keyring entry {name} ({how})" for name, how in found if how]


def _difference(state: RunState, cp: Checkpoint, read: Callable[[str], str | None]) -> str:
    """How the entry of ``cp`` differs from how the run left it ('' when it does not)."""
    expected = state.expected.get(post_key(cp.step, cp.target))
    if expected is None:
        return ""  # the step died before recording its end: nothing to compare with
    value = read(cp.target)
    if digest(state.run_id, cp.target, value) == expected:
        return ""
    if value is None:
        return "now deleted"
    return "now set; the run left none" if expected == ABSENT else "now another value"

