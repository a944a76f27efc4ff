"""AIM+'s tasks for another repository's ``tasks.py``, under the ``aim`` namespace.

At the end of that ``tasks.py`` (which keeps its own tasks)::

    from aim.tasks import mount
    ns = mount(__name__)

or, where the file already builds its own ``ns`` collection::

    from aim.tasks import collection as aim_tasks
    ns.add_collection(aim_tasks)

Then ``invoke aim.validate``, ``invoke aim.deploy --dry-run``, ``invoke aim.secrets.list``…
run with that repository's invoke configuration; the workspace is ``--root``, else ``aim.root``
of its invoke.yaml, else the current folder.
"""

from __future__ import annotations

import sys

from invoke.collection import Collection

from aim.cli.collection import build

NAMESPACE = "aim"


def make_collection(name: str = NAMESPACE) -> Collection:
    """A fresh collection of every AIM+ user task, named ``name``."""
    mounted = build()
    mounted.name = name
    mounted.configure({NAMESPACE: {"root": ""}})
    return mounted


def mount(module_name: str) -> Collection:
    """The tasks of the module ``module_name`` (a ``tasks.py``) with AIM+'s added as ``aim``."""
    own = Collection.from_module(sys.modules[module_name])
    own.add_collection(make_collection())
    return own


collection = make_collection()
