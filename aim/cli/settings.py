"""The settings files invoke reads before any task (aim.yaml, ~/.aim.yaml) through AIM+'s
bounded loaders, so a bad one exits 2 with an ``error:`` line instead of a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from invoke.exceptions import Exit

from aim.config.jsonsource import parse_json
from aim.errors import AimError, ExitCode
from aim.limits import read_limited
from aim.redact import redact
from aim.yamlio import YamlError, load_yaml


def settings_file(path: str) -> Any:
    """The data of an invoke settings file (aim.yaml/.yml/.json) through AIM+'s bounded
    loaders; bad input leaves with exit code 2 and an ``error:`` line (the program checks
    that the file exists first: a missing one is an OSError, which invoke takes as "no such
    file")."""
    try:
        if path.endswith(".json"):
            return parse_json(read_limited(Path(path)).decode("utf-8-sig"), path)[0]
        return load_yaml(Path(path))[0]
    except YamlError as err:
        message = f"{path}:{err.line}: {err}"
    except UnicodeDecodeError as err:
        message = f"{path}: is not UTF-8 text ({err.reason} at byte {err.start}); save it as UTF-8"
    except AimError as err:
        message = str(err)
    raise Exit(f"error: {redact(message)}", code=ExitCode.BAD_INPUT)
