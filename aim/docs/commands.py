"""The AI_MANGER tasks a workspace uses and the AIM+ command that replaces each."""

from __future__ import annotations

import re
from pathlib import Path

from aim.docs.textdoc import read_doc

_EXACT = {
    "Bootstrap": "`aim migrate` (once), then `aim deploy`",
    "Rebuild": "`aim deploy`",
    "Verify": "`aim health`",
    "PipxInstall": "`aim deploy` (installs the pinned tools)",
    "NpmInstall": "`aim deploy` (installs the pinned tools)",
    "CentralizeApply": "`aim deploy`",
    "AuditSetup": "`aim audit` (the audit trail is always on)",
    "Pin.Report": "`aim versions`",
    "Pin.Sync": "`aim versions --sync`",
    "Scan.Report": "`aim scan`",
    "Secrets.ExportEnv": "`aim secrets.export`",
    "Secrets.Set": "`aim secrets.set NAME`",
    "Secrets.Get": "`aim secrets.get NAME`",
    "Secrets.List": "`aim secrets.list`",
}
_FAMILIES = (
    ("Secrets.", "`aim secrets.set` / `secrets.get` / `secrets.list` / `secrets.export`"),
    ("Update.", "`aim versions --sync`"),
    ("Pin.", "`aim versions`"),
    ("Scan.", "`aim scan`"),
)
# Families every AI_MANGER install had, listed even when this copy does not name them.
_ALWAYS = ("Bootstrap", "Pin.Report", "Pin.Sync", "Secrets.*", "Scan.Report", "Update.*")
_TASK = re.compile(r"^\s*task\s+([A-Za-z][\w.]*)(?:\s+-Depends\s+([\w., ]+))?", re.IGNORECASE)
_CALLED = re.compile(r"build\.ps1\s+([A-Za-z][\w.]*)")


def aim_command(task: str) -> str:
    """The AIM+ command (Markdown) for the AI_MANGER task ``task``."""
    if task in _EXACT:
        return _EXACT[task]
    family = next((cmd for prefix, cmd in _FAMILIES if task.startswith(prefix)), None)
    return family or "no direct equivalent: see `aim --help`"


def legacy_tasks(legacy: Path) -> list[str]:
    """Task names found in ``build.ps1`` (defined or depended on) and the README, in order."""
    found: list[str] = []
    script = legacy / "build.ps1"
    if script.is_file():
        for line in read_doc(script).text.split("\n"):
            match = _TASK.match(line)
            if match:
                found.append(match.group(1))
                found.extend(n.strip() for n in (match.group(2) or "").split(",") if n.strip())
    readme = legacy / "README.md"
    if readme.is_file():
        found.extend(_CALLED.findall(read_doc(readme).text))
    return list(dict.fromkeys(found))


def command_rows(legacy: Path) -> list[tuple[str, str]]:
    """(old task, new command) for the tasks this install has plus the usual families."""
    tasks = legacy_tasks(legacy)
    tasks += [t for t in _ALWAYS if t not in tasks]
    return [(task, aim_command(task.rstrip("*"))) for task in tasks]


def command_table(rows: list[tuple[str, str]], prefix: str = "") -> str:
    """``rows`` as a Markdown table (each line starting with ``prefix``, e.g. ``> ``)."""
    lines = ["| AI_MANGER task | AIM+ command |", "| --- | --- |"]
    lines += [f"| `{task}` | {command} |" for task, command in rows]
    return "\n".join(prefix + line for line in lines)
