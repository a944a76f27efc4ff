"""The AIM+ text that deploy writes into the workspace docs."""

from __future__ import annotations

README_SECTION = """\
## AIM+

This workspace is managed with AIM+ (`aim`), which replaces AI_MANGER: the tools and their
pins live in `aim_config.json`, API keys in the system keyring, and every procedure is
checkpointed so `aim rollback` can undo it.

**Setup** (once): install AIM+ (`pipx install .` in its checkout), then run `aim migrate`
(reads the AI_MANGER config and vault) and `aim deploy` in this folder.

| everyday command | what it does |
| --- | --- |
| `aim health` | are the tools installed and working |
| `aim versions` / `aim versions --sync` | installed versions against the pins / install the pins |
| `aim scan` | what is installed on this machine |
| `aim secrets.set NAME` / `aim secrets.list` | store an API key in the keyring / list the names |
| `aim secrets.export` | the keys as environment variables for a session |
| `aim backup`, `aim rollback`, `aim runs` | snapshot, undo a run, run history |
| `aim audit` | the audit trail |"""

AGENTS_SECTION = """\
## AIM+ conventions

- Before a session: `aim health` (tools present and working); `aim versions --sync` fixes drift.
- API keys come from the system keyring via `aim secrets.export`, never from files: do not
  write a key into `.env` files, configs, notes or prompts. Add one with `aim secrets.set NAME`.
- Tools and pins live in `aim_config.json`; change them there and run `aim validate`.
- Every AIM+ procedure is checkpointed: `aim rollback` undoes the last run."""

QUICK_START_SECTION = """\
1. Install AIM+ (`pipx install .` in its checkout) and check it: `aim --help`.
2. Move the AI_MANGER setup over, once: `aim migrate` (config into `aim_config.json`, vault
   secrets into the keyring), then `aim deploy`.
3. Check the tools: `aim health` and `aim versions` (`aim versions --sync` installs the pins).
4. Load the API keys for a session: `aim secrets.export`."""
