"""invoke tasks: every AIM+ command, plus the developer tasks (test, lint, bench, sample).

``invoke --list`` shows them all; the installed ``aim`` program offers the same user tasks.
"""

from __future__ import annotations

from aim.cli import dev_tasks
from aim.cli.collection import build

ns = build()
for _task in dev_tasks.TASKS:
    ns.add_task(_task)
