"""The ``aim`` command line before invoke parses it: the plan's spellings and dry-run flags.

Two rewrites, both on the raw argument list:

* the plan's two-word spellings (``aim health check``) become the task they name
  (``aim health``);
* every flag that means "dry run" (``--dry-run``, ``-d``, and invoke's ``--dry`` / ``-R``), in
  front of the task name or after it, becomes the task's own ``--dry-run``, so that no spelling
  of a dry run ever runs for real.
"""

from __future__ import annotations

from collections.abc import Sequence

# The plan's spelling (two words) -> the task it names.
SPELLINGS: dict[tuple[str, str], str] = {
    ("health", "check"): "health",
    ("version", "check"): "versions",
    ("audit", "show"): "audit",
    ("scan", "all"): "scan",
}
DRY_FLAGS = frozenset({"--dry-run", "--dry", "-d", "-R"})
# Core flags of the aim program that take a value in the next word.
VALUE_FLAGS = frozenset({"--print-completion-script"})


def task_position(args: Sequence[str]) -> int | None:
    """The index of the first word that is not a flag (nor a core flag's value): the task."""
    index = 0
    while index < len(args):
        word = args[index]
        if not word.startswith("-"):
            return index
        index += 2 if word in VALUE_FLAGS else 1
    return None


def _spelled(args: list[str], at: int) -> list[str]:
    task = SPELLINGS.get((args[at], args[at + 1])) if at + 1 < len(args) else None
    return args if task is None else [*args[:at], task, *args[at + 2:]]


def _dry_run_after_task(args: list[str], at: int) -> list[str]:
    if not any(word in DRY_FLAGS for word in args):
        return args
    rest = [word for word in args if word not in DRY_FLAGS]
    task_at = at - sum(1 for word in args[:at] if word in DRY_FLAGS)
    return [*rest[:task_at + 1], "--dry-run", *rest[task_at + 1:]]


def normalize(args: Sequence[str]) -> list[str]:
    """``args`` (without the program name) with the plan's spellings and dry-run flags mapped.

    >>> normalize(["--dry", "deploy", "--json"])
    ['deploy', '--dry-run', '--json']
    >>> normalize(["health", "check"])
    ['health']
    """
    words = list(args)
    at = task_position(words)
    if at is None:
        return words
    return _dry_run_after_task(_spelled(words, at), at)


def spellings_help() -> list[tuple[str, str]]:
    """(spelling, what it runs) pairs for ``aim --help``."""
    return [(f"{first} {second}", f"the same as 'aim {task}'")
            for (first, second), task in SPELLINGS.items()]


def describe_bad_value(args: Sequence[str], err: ValueError) -> str:
    """The message for a flag whose value has the wrong type (``--limit x``), naming the flag."""
    detail = str(err)
    bad = detail.rsplit(": ", 1)[-1].strip("'\"")
    for index, word in enumerate(args):
        flag, sep, value = word.partition("=")
        if sep and value == bad and flag.startswith("-"):
            return f"{flag} {bad!r}: {_expected(detail)} (see 'aim TASK --help')"
        if word == bad and index and args[index - 1].startswith("-"):
            return f"{args[index - 1]} {bad!r}: {_expected(detail)} (see 'aim TASK --help')"
    return f"a flag's value has the wrong type ({detail}); see 'aim TASK --help'"


def _expected(detail: str) -> str:
    return "give a whole number" if "int()" in detail else f"not a valid value ({detail})"


def describe_parse_error(args: Sequence[str], err: Exception) -> str:
    """invoke's parse error, said for the aim program (a dry run of a task that has none)."""
    at = task_position(args)
    if "'--dry-run'" in str(err) and at is not None:
        return (f"'aim {args[at]}' has no dry run: it changes nothing, so run it without "
                f"--dry-run (see 'aim {args[at]} --help')")
    return f"{err} (see 'aim --help')"
