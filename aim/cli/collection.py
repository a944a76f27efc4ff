"""The task collection shared by ``tasks.py`` (invoke) and the ``aim`` program."""

from __future__ import annotations

from invoke.collection import Collection

from aim.cli import audit_tasks, procedure_tasks, run_tasks, workflow_tasks


def build() -> Collection:
    """A fresh collection of every user-facing task."""
    ns = Collection()
    ns.add_collection(workflow_tasks.collection)
    ns.add_task(run_tasks.rollback)
    ns.add_task(run_tasks.runs)
    ns.add_task(audit_tasks.audit)
    for name in procedure_tasks.TASKS:
        ns.add_task(getattr(procedure_tasks, name.replace("-", "_")), name=name)
    ns.configure({"root": ""})
    return ns
