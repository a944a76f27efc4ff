"""Parsed workflows: frozen dataclasses that nothing changes after loading."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Step:
    """One step: an action (``uses``) or a nested workflow (``workflow``)."""

    id: str
    line: int
    uses: str | None = None
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    workflow: Workflow | None = None
    when: str | bool | None = None
    retries: int = 0
    timeout: float | None = None
    continue_on_error: bool = False
    always: bool = False

    @property
    def kind(self) -> str:
        return f"workflow {self.workflow.name}" if self.workflow else f"uses {self.uses}"


# ``preflight: {sync: true}`` is not a check but the run's first step: a real, checkpointed
# versions.sync, so the journal records it and rollback undoes its installs.
SYNC_STEP = Step(id="preflight.sync", line=0, uses="versions.sync")


@dataclass(frozen=True)
class Workflow:
    """A loaded, validated workflow file."""

    name: str
    path: Path
    description: str
    vars: Mapping[str, Any]
    preflight: Mapping[str, Any]
    on_failure: str
    steps: tuple[Step, ...]

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)
