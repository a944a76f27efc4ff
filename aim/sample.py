"""``invoke sample``: try AIM+ on a sandbox copy of the shipped legacy workspace.

Nothing outside the sandbox folder is touched: the workspace is a fresh copy, and secrets go
to a sandbox keyring file inside it — said on screen, because it is plaintext and only for
trying AIM+ (real use needs the system keyring).  The sample's vault blobs do not decrypt
here (they are random bytes), so the sample puts obviously fake values into the variables of
the legacy ``Secrets.EnvMap`` — overriding any real keys in the environment, which must never
land in a plaintext sandbox file — and the migration imports those.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from aim.errors import InputError
from aim.resources import shipped_dir

SANDBOX_MARK = ".aim-sample-sandbox"


def sample_source() -> Path:
    """The shipped sample workspace (legacy AI_MANGER + AUX_mcp-data + docs)."""
    return shipped_dir("samples") / "workspace"


def demo_secrets(root: Path) -> dict[str, str]:
    """Fake values for the sample's ``Secrets.EnvMap`` variables: ``sample-openai-key-not-real``."""
    from aim.legacy.reader import read_legacy

    env_map = read_legacy(root).config.get("Secrets", {}).get("EnvMap", {})
    return {var: f"sample-{name}-key-not-real" for var, name in env_map.items()}


def prepare_sandbox(dest: Path) -> Path:
    """A fresh copy of the sample workspace in ``dest/workspace``; returns its root.

    ``dest`` must be new or an earlier sandbox (it carries a marker file), so a typo can
    never delete a real folder.
    """
    if dest.exists() and not (dest / SANDBOX_MARK).exists():
        raise InputError(f"{dest} exists and is not an AIM+ sample sandbox; give another "
                         "--dest (the sandbox folder is replaced on every run)")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    (dest / SANDBOX_MARK).write_text("created by 'invoke sample'; safe to delete\n")
    root = dest / "workspace"
    shutil.copytree(sample_source(), root)
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    return root


def run_sample(dest: str = "sandbox") -> None:
    """Copy the sample into a sandbox and run the main job (``deploy``) on it."""
    from aim.cli.common import run_named
    from aim.cli.render import say

    sandbox = Path(dest).resolve()
    root = prepare_sandbox(sandbox)
    keyring_file = sandbox / "keyring.json"
    os.environ["AIM_KEYRING"] = f"sandbox:{keyring_file}"
    fakes = demo_secrets(root)
    os.environ.update(fakes)
    say(f"sample workspace: {root} (a fresh copy of {sample_source()})")
    say(f"keyring: SANDBOX keyring file {keyring_file} — plaintext, for this sample only; "
        "real runs use the system keyring")
    say(f"demo secrets: {', '.join(sorted(fakes))} set to fake values "
        "('sample-<name>-key-not-real') for this run only, replacing any real ones, so the "
        "migration has values to import and the secret checks have values to look for")
    run_named(None, "deploy", root=str(root), dry_run=False, resume=False, as_json=False,
              fail_at=None, inputs={"vault": str(root / "vault" / "vault.json")})
    runs = shlex.join([*aim_command(), "runs", "--root", str(root)])
    say(f"done: look at {root}, its .aim/ state folder, and the run: {runs}")


def aim_command(cwd: Path | None = None, path_env: str | None = None) -> list[str]:
    """How to start this AIM+ from ``cwd``: ``aim`` when the shell finds this one, else the
    script beside this interpreter (relative when it is below ``cwd``), else ``python -m aim``."""
    here = Path(cwd or os.getcwd())
    script = Path(sys.executable).with_name("aim.exe" if os.name == "nt" else "aim")
    if not script.is_file():
        return [sys.executable, "-m", "aim"]
    found = shutil.which("aim", path=path_env if path_env is not None else
                         os.environ.get("PATH", ""))
    if found and Path(found).resolve() == script.resolve():
        return ["aim"]
    try:
        return [os.path.join(".", script.relative_to(here))]
    except ValueError:
        return [str(script)]
