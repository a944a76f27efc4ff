"""The shipped sample workspace and the sandbox ``invoke sample`` tries AIM+ in.

Nothing outside the sandbox folder is touched: the workspace is a fresh copy, and secrets go
to a sandbox keyring file inside it — said on screen, because it is plaintext and only for
trying AIM+ (real use needs the system keyring).  The sample's vault blobs do not decrypt
here (they are random bytes), so the sample puts obviously fake values into the variables of
the legacy ``Secrets.EnvMap`` — overriding any real keys in the environment, which must never
land in a plaintext sandbox file — and the migration imports those.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from aim.errors import InputError
from aim.legacy.reader import read_legacy
from aim.resources import shipped_dir

SANDBOX_MARK = ".aim-sample-sandbox"


def sample_source() -> Path:
    """The shipped sample workspace (legacy AI_MANGER + AUX_mcp-data + docs)."""
    return shipped_dir("samples") / "workspace"


def demo_secrets(root: Path) -> dict[str, str]:
    """Fake values for the sample's ``Secrets.EnvMap`` variables: ``sample-openai-key-not-real``."""
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
