"""The task collection shared by ``tasks.py`` (invoke) and the ``aim`` program."""

from __future__ import annotations

from invoke.collection import Collection

from aim.cli import (
    audit_tasks,
    backup_tasks,
    config_tasks,
    fleet_tasks,
    health_tasks,
    procedure_tasks,
    prune_tasks,
    run_tasks,
    scan_tasks,
    secret_tasks,
    status_tasks,
    version_tasks,
    workflow_tasks,
)


def build() -> Collection:
    """A fresh collection of every user-facing task."""
    ns = Collection()
    for group in (workflow_tasks, secret_tasks, config_tasks, fleet_tasks):
        ns.add_collection(group.collection)
    for single in (config_tasks.tools, run_tasks.rollback, run_tasks.runs, scan_tasks.scan,
                   health_tasks.health, status_tasks.status, version_tasks.versions,
                   audit_tasks.audit, backup_tasks.backups, prune_tasks.prune):
        ns.add_task(single)
    for name in procedure_tasks.TASKS:
        ns.add_task(getattr(procedure_tasks, name.replace("-", "_")), name=name)
    ns.configure({"root": ""})
    return ns
