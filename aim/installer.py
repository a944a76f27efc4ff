"""Install, upgrade and uninstall packages with pipx, npm, pnpm, uv tool and winget.

An :class:`Operation` is data (manager, package, version) that becomes an argument list;
:func:`execute` runs it through :mod:`aim.proc` with a timeout and gives an
:class:`InstallResult` (never an exception for a failed, missing or hanging manager), and
sends one ``install`` audit event (name, manager, version, action, outcome: no environment
values, no output).  :func:`sync_plan` turns a drift report into the installs that reach the
pins; :func:`undo_plan` turns executed results into the operations that put the previous
versions back (an uninstall for a package that was not installed before).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from aim.errors import InputError
from aim.versions.detect import run_command
from aim.versions.pins import is_exact

if TYPE_CHECKING:
    from aim.versions.drift import DriftReport

Audit = Callable[[str, Mapping[str, Any]], None]
ACTIONS = ("install", "upgrade", "uninstall")
DEFAULT_TIMEOUT = 900.0  # seconds: a big npm package on a slow link
TAIL_LINES = 5
NPM_FAMILY = ("npm", "pnpm")  # the same global-package verbs (-g) and PKG@VERSION specs


@dataclass(frozen=True)
class Operation:
    """One package change; ``version`` is a pin (exact or a range) or None for the latest.

    ``previous`` is the version installed before (None: not installed); ``replace`` says an
    install changes an existing copy (pipx needs ``--force`` for that).
    """

    action: str
    manager: str
    package: str
    version: str | None = None
    previous: str | None = None
    replace: bool = False

    def argv(self) -> tuple[str, ...]:
        """The command that performs this operation.

        InputError for a package or version the manager would read as an option (the last
        line of defence: config validation and the migration drop such names first).
        """
        builders = {"install": _install_argv, "upgrade": _upgrade_argv,
                    "uninstall": _uninstall_argv}
        if self.action not in builders:
            raise ValueError(f"unknown install action {self.action!r}; one of {ACTIONS}")
        if self.manager not in _MANAGER_VERBS:
            raise ValueError(f"unknown package manager {self.manager!r}")
        _refuse_options(self)
        return builders[self.action](self)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "argv": list(self.argv())}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Operation:
        """The operation recorded by :meth:`to_dict` (``argv`` is recomputed, not trusted)."""
        return cls(str(data["action"]), str(data["manager"]), str(data["package"]),
                   _opt(data.get("version")), _opt(data.get("previous")),
                   bool(data.get("replace", False)))


def spec_problem(spec: str) -> str | None:
    """Why ``spec`` cannot be a package name or spec on an installer's command line (None when
    it can): one starting with '-' would be read as an option (``--index-url=…``)."""
    if spec.lstrip().startswith("-"):
        option = spec.strip().split("=", 1)[0].split()[0]
        return (f"starts with '-', so the package manager would read it as the option "
                f"{option!r}, not as a package")
    if any(ord(char) < 32 or ord(char) == 127 for char in spec):
        return "holds a control character (a line break or tab)"
    return None


def _refuse_options(op: Operation) -> None:
    for what, text in (("package", op.package), ("version", op.version)):
        problem = None if text is None else spec_problem(text)
        if problem:
            raise InputError(f"refusing to run {op.manager}: a {what} {problem}. Correct it "
                             f"in aim_config.json (packages.{op.manager} or "
                             f"pins.{op.manager})")


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


# manager → (command prefix, install verb, upgrade verb, uninstall verb)
_MANAGER_VERBS: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    "pipx": (("pipx",), "install", "upgrade", "uninstall"),
    "uv": (("uv", "tool"), "install", "upgrade", "uninstall"),
    "npm": (("npm",), "install", "install", "uninstall"),
    "pnpm": (("pnpm",), "add", "add", "remove"),
    "winget": (("winget",), "install", "upgrade", "uninstall"),
}


def _requirement(op: Operation) -> str:
    if op.version is None:
        return op.package
    if op.manager in NPM_FAMILY:
        return f"{op.package}@{op.version}"

    return op.package + (f"=={op.version}" if is_exact(op.manager, op.version) else op.version)


def _install_argv(op: Operation) -> tuple[str, ...]:
    prefix, verb, _, _ = _MANAGER_VERBS[op.manager]
    if op.manager == "winget":
        version = ("--version", op.version) if op.version else ()
        return (*prefix, verb, "--id", op.package, *version, "-e")
    if op.manager in NPM_FAMILY:
        return (*prefix, verb, "-g", _requirement(op))
    force = ("--force",) if op.manager == "pipx" and op.replace else ()
    return (*prefix, verb, *force, _requirement(op))


def _upgrade_argv(op: Operation) -> tuple[str, ...]:
    prefix, _, verb, _ = _MANAGER_VERBS[op.manager]
    if op.manager == "winget":
        return (*prefix, verb, "--id", op.package, "-e")
    if op.manager in NPM_FAMILY:
        return (*prefix, verb, "-g", f"{op.package}@latest")
    return (*prefix, verb, op.package)


def _uninstall_argv(op: Operation) -> tuple[str, ...]:
    prefix, _, _, verb = _MANAGER_VERBS[op.manager]
    if op.manager == "winget":
        return (*prefix, verb, "--id", op.package, "-e")
    return (*prefix, verb, *(("-g",) if op.manager in NPM_FAMILY else ()), op.package)


@dataclass(frozen=True)
class InstallResult:
    """How one operation ended: ``ok``, ``failed``, ``missing`` (no manager) or ``timeout``."""

    operation: Operation
    outcome: str
    detail: str = ""
    duration: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    def to_dict(self) -> dict[str, Any]:
        return {"operation": self.operation.to_dict(), "outcome": self.outcome,
                "detail": self.detail, "duration": round(self.duration, 3)}


def execute(op: Operation, *, timeout: float = DEFAULT_TIMEOUT, audit: Audit | None = None,
            path: str | None = None) -> InstallResult:
    """Run one operation and report it to ``audit`` as an ``install`` event."""
    started = time.monotonic()
    proc_result = run_command(op.argv(), timeout, path)
    if proc_result.missing:
        outcome, detail = "missing", f"{op.argv()[0]} is not on PATH; install {op.manager} first"
    elif proc_result.timed_out:
        outcome, detail = "timeout", proc_result.describe()
    elif not proc_result.ok:
        tail = (proc_result.stderr or proc_result.stdout).strip().splitlines()[-TAIL_LINES:]
        outcome, detail = "failed", "\n".join([proc_result.describe(), *tail])
    else:
        outcome, detail = "ok", ""
    result = InstallResult(op, outcome, detail, time.monotonic() - started)
    if audit is not None:
        audit("install", {"name": op.package, "manager": op.manager, "version": op.version,
                          "previous": op.previous, "action": op.action, "outcome": outcome})
    return result


def run_plan(plan: Iterable[Operation], *, timeout: float = DEFAULT_TIMEOUT,
             audit: Audit | None = None, path: str | None = None) -> tuple[InstallResult, ...]:
    """Execute operations in order, stopping after the first that does not succeed."""
    results: list[InstallResult] = []
    for op in plan:
        results.append(execute(op, timeout=timeout, audit=audit, path=path))
        if not results[-1].ok:
            break
    return tuple(results)


def sync_plan(report: DriftReport) -> tuple[Operation, ...]:
    """The installs that bring every drifted item (missing, older, newer) to its pin."""
    return tuple(
        Operation("install", str(item.manager), item.name, item.pinned, item.installed,
                  replace=item.installed is not None)
        for item in report.drifted
    )


def undo_plan(results: Sequence[InstallResult]) -> tuple[Operation, ...]:
    """Operations that undo the successful ``results``, newest first.

    A package that was not installed before is uninstalled; one that was is installed again
    at exactly its previous version.
    """
    undo = []
    for result in reversed(results):
        op = result.operation
        if not result.ok:
            continue
        if op.previous is None:
            if op.action != "uninstall":
                undo.append(Operation("uninstall", op.manager, op.package))
            continue
        undo.append(Operation("install", op.manager, op.package, op.previous,
                              replace=op.action != "uninstall"))
    return tuple(undo)


def plan_to_data(plan: Iterable[Operation]) -> list[dict[str, Any]]:
    """Operations as JSON-ready dicts (for step outputs and ``--json``)."""
    return [op.to_dict() for op in plan]


def plan_from_data(data: Iterable[Mapping[str, Any]]) -> tuple[Operation, ...]:
    """Operations back from :func:`plan_to_data` (e.g. a sync step's recorded ``undo``)."""
    try:
        return tuple(Operation.from_dict(item) for item in data)
    except (KeyError, TypeError, AttributeError) as err:
        raise InputError(f"an install plan entry lacks {err}; give the 'undo' output of a "
                         "versions.sync step unchanged") from err
