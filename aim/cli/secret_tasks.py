"""``secrets.set|get|list|delete|export|prune``: keyring secrets by name; values never on
screen unless asked for (``get --reveal``, ``export``)."""

from __future__ import annotations

from typing import Any

from invoke.collection import Collection
from invoke.tasks import task

from aim.cli.common import DRY_HELP, JSON_HELP, ROOT_HELP
from aim.cli.handler import handled
from aim.cli.lazy import implemented_by

NAME_HELP = "the secret's name (its keyring username), e.g. OPENAI_API_KEY"
NAMES_HELP = "more names to include, comma-separated (beyond aim_config.json's 'secrets')"


@task(help={"name": NAME_HELP, "root": ROOT_HELP, "json": JSON_HELP, "dry_run": DRY_HELP})
@handled
@implemented_by("aim.cli.secret_commands:set_")
def set_(c: Any, name: str, root: str | None = None, dry_run: bool = False,
         json: bool = False) -> None:
    """Store a secret in the keyring (value from a hidden prompt or stdin, never a flag)."""


@task(help={"name": NAME_HELP, "root": ROOT_HELP, "json": JSON_HELP,
            "reveal": "print the value itself (otherwise only whether it is set)"})
@handled
@implemented_by("aim.cli.secret_commands:get")
def get(c: Any, name: str, root: str | None = None, reveal: bool = False,
        json: bool = False) -> None:
    """Say whether a secret is set; print its value only with --reveal."""


@task(help={"root": ROOT_HELP, "json": JSON_HELP, "names": NAMES_HELP,
            "all": "also list the copies of old values that runs keep for their rollback "
                   "(service aim-checkpoint/RUN)"})
@handled
@implemented_by("aim.cli.secret_commands:list_")
def list_(c: Any, root: str | None = None, names: str | None = None, all: bool = False,
          json: bool = False) -> None:
    """List the known secret names and whether each is in the keyring (names only)."""


@task(help={"root": ROOT_HELP, "json": JSON_HELP, "dry_run": DRY_HELP,
            "run": "also remove the copies this run keeps (its rollback then stops, naming "
                   "the entries)",
            "all": "remove every copy: no run can put old keyring values back afterwards"})
@handled
@implemented_by("aim.cli.secret_commands:prune")
def prune(c: Any, root: str | None = None, run: str | None = None, all: bool = False,
          dry_run: bool = False, json: bool = False) -> None:
    """Remove the keyring copies of old values that no rollback needs any more."""


@task(help={"name": NAME_HELP, "root": ROOT_HELP, "json": JSON_HELP, "dry_run": DRY_HELP})
@handled
@implemented_by("aim.cli.secret_commands:delete")
def delete(c: Any, name: str, root: str | None = None, dry_run: bool = False,
           json: bool = False) -> None:
    """Remove a secret from the keyring."""


@task(help={"shell": "sh (default), fish or powershell", "root": ROOT_HELP,
            "names": NAMES_HELP, "json": JSON_HELP})
@handled
@implemented_by("aim.cli.secret_commands:export")
def export(c: Any, shell: str = "sh", root: str | None = None, names: str | None = None,
           json: bool = False) -> None:
    """Print shell lines that set each known secret, for eval (the values, quoted)."""


collection = Collection("secrets")
collection.add_task(set_, name="set")
collection.add_task(get)
collection.add_task(list_, name="list")
collection.add_task(delete)
collection.add_task(export)
collection.add_task(prune)
