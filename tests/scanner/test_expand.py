"""Roots and PATH entries as written in the config: ``~``, ``%VAR%``, ``$VAR``, ``${VAR}``."""

from __future__ import annotations

from aim.scanner._expand import expand

ENV = {"HOME": "/home/dev", "LOCALAPPDATA": "C:\\Users\\dev\\AppData\\Local", "P": "/p"}


def test_expands_home_and_both_variable_styles() -> None:
    assert expand("~/Projects", ENV) == "/home/dev/Projects"
    assert expand("~", ENV) == "/home/dev"
    assert expand("%LOCALAPPDATA%\\uv", ENV) == "C:\\Users\\dev\\AppData\\Local\\uv"
    assert expand("$P/a:${P}b", ENV) == "/p/a:/pb"


def test_unknown_variables_and_other_tildes_stay_as_written() -> None:
    assert expand("%NOPE%/$NOPE/x~y", ENV) == "%NOPE%/$NOPE/x~y"
    assert expand("~/x", {"USERPROFILE": "C:\\Users\\dev"}) == "C:\\Users\\dev/x"
    assert expand("~/x", {}) == "~/x"
