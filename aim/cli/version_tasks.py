"""``versions``: installed versions against the pins, and installing the pinned ones.

``--sync`` runs the ``sync`` workflow (workflows/sync.yaml): every install is checkpointed, so
``aim rollback`` puts the previous versions back; ``--dry-run`` prints its plan.
"""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli.common import JSON_HELP, ROOT_HELP
from aim.cli.handler import handled
from aim.cli.lazy import implemented_by


@task(help={"sync": "install the pinned version of every drifted package (the 'sync' "
                    "workflow: 'aim rollback' undoes it)",
            "dry_run": "with --sync: print each install with its from/to versions, change "
                       "nothing",
            "exit_code": "exit 1 when a managed package drifts",
            "json": JSON_HELP, "root": ROOT_HELP})
@handled
@implemented_by("aim.cli.version_commands:versions")
def versions(c: Any, sync: bool = False, dry_run: bool = False, exit_code: bool = False,
             json: bool = False, root: str | None = None) -> None:
    """Show installed tool and package versions against their pins (--sync installs them)."""
