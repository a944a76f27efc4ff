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
    ns.add_collection(workflow_tasks.collection)
    ns.add_collection(secret_tasks.collection)
    ns.add_collection(config_tasks.collection)
    ns.add_collection(fleet_tasks.collection)
    ns.add_task(config_tasks.tools)
    ns.add_task(run_tasks.rollback)
    ns.add_task(run_tasks.runs)
    ns.add_task(scan_tasks.scan)
    ns.add_task(health_tasks.health)
    ns.add_task(status_tasks.status)
    ns.add_task(version_tasks.versions)
    ns.add_task(audit_tasks.audit)
    ns.add_task(backup_tasks.backups)
    ns.add_task(prune_tasks.prune)
    for name in procedure_tasks.TASKS:
        ns.add_task(getattr(procedure_tasks, name.replace("-", "_")), name=name)
    ns.configure({"root": ""})
    return ns
