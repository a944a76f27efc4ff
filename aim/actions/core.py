"""Actions of the engine itself: ``echo`` and ``shell``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aim import proc
from aim.actions.registry import action
from aim.errors import StepFailed
from aim.workflow.context import StepContext

TAIL_LINES = 20


@action("echo", outputs=("message",))
def echo(ctx: StepContext, message: str = "") -> dict[str, Any]:
    """Show a message and give it as an output; changes nothing.

    Useful for notices in a workflow and as a no-op step.
    """
    if message:
        ctx.log(message)
    return {"message": message}


def _shell_touches(params: Mapping[str, Any]) -> list[str]:
    writes = params.get("writes")
    return ["(the whole workspace)"] if writes is None else list(writes)


@action("shell", outputs=("exit_code", "stdout", "stderr"), touches=_shell_touches)
def shell(ctx: StepContext, run: str, timeout: float = 300.0, writes: list[str] | None = None,
          secrets: list[str] | None = None) -> dict[str, Any]:
    """Run a command with the shell in the workspace root; a non-zero exit fails the step.

    Output is captured and redacted.  ``writes`` lists the paths the command changes, so they
    can be checkpointed; when it is not given, the whole workspace is (safe, but slow on big
    trees); ``writes: []`` declares a command that changes nothing.  ``secrets`` names keyring
    secrets passed to the command as environment variables of the same name (never on its
    command line).
    """
    for rel in ["."] if writes is None else writes:
        ctx.checkpoint.tree(ctx.ws.root if rel == "." else ctx.path(rel))
    env = _secret_env(ctx, secrets or [])
    result = proc.run(run, shell=True, cwd=ctx.ws.root, env=env, timeout=timeout,
                      on_line=ctx.stream)
    outputs = {"exit_code": result.returncode, "stdout": result.stdout, "stderr": result.stderr}
    if not result.ok:
        tail = "\n".join((result.stderr or result.stdout).splitlines()[-TAIL_LINES:])
        raise StepFailed(f"shell: {result.describe()}" + (f"\n{tail}" if tail else ""))
    return outputs


def _secret_env(ctx: StepContext, names: list[str]) -> dict[str, str]:
    env = {}
    for name in names:
        value = ctx.secrets().get(name)
        if value is None:
            raise StepFailed(f"shell: secret {name} is not in the keyring; set it with "
                             f"'aim secrets.set {name}'")
        env[name] = value
    return env
