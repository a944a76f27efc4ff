"""fleet.yaml: loaded safely, validated, every problem with its file, line, key path and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from aim.fleet.inventory import InventoryError, load_inventory

GOOD = """\
version: 1
defaults:
  root: /srv/aim
  aim: /opt/aim/bin/aim
  env: {AIM_KEYRING: system, LANG: C.UTF-8}
hosts:
  - {name: web1, ssh: deploy@web1.example:2222}
  - name: web2
    ssh: web2
    root: /home/dev/ws
    env: {LANG: en_US.UTF-8, DEBUG: true}
groups:
  web: [web1, web2]
secrets: [OPENAI_API_KEY]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "fleet.yaml"
    path.write_text(text)
    return path


def problems(tmp_path: Path, text: str) -> str:
    with pytest.raises(InventoryError) as caught:
        load_inventory(write(tmp_path, text))
    return str(caught.value)


def test_a_good_inventory_gets_defaults_merged_into_each_host(tmp_path: Path) -> None:
    inv = load_inventory(write(tmp_path, GOOD))
    web1, web2 = inv.hosts
    assert (web1.ssh, web1.root, web1.aim) == ("deploy@web1.example:2222", "/srv/aim",
                                               "/opt/aim/bin/aim")
    assert web1.environment == {"AIM_KEYRING": "system", "LANG": "C.UTF-8"}
    assert web2.root == "/home/dev/ws"
    assert web2.environment == {"AIM_KEYRING": "system", "LANG": "en_US.UTF-8", "DEBUG": "1"}
    assert inv.group_map == {"web": ("web1", "web2")} and inv.secrets == ("OPENAI_API_KEY",)
    assert inv.secret_lines == (14,)


def test_schema_errors_name_file_line_and_key_path(tmp_path: Path) -> None:
    text = GOOD.replace("ssh: web2", "shh: web2").replace("version: 1", "version: 2")
    message = problems(tmp_path, text)
    path = tmp_path / "fleet.yaml"
    assert f"{path}:1: version: must be 1, not 2" in message
    assert f"{path}:9: hosts[1].shh: unknown key 'shh' (did you mean 'ssh'?)" in message
    assert f"{path}:8: hosts[1]: missing required key 'ssh'" in message
    assert message.endswith("Nothing was run on any host; see docs/fleet.md for the inventory "
                            "format.")


def test_cross_references_are_checked_too(tmp_path: Path) -> None:
    text = (GOOD.replace("web: [web1, web2]", "web: [web1, wbe2]\n  web1: [web2]")
            .replace("LANG: en_US.UTF-8", "OPENAI_API_KEY: sk-no")
            .replace("web1.example:2222", "web1.example:22x"))
    message = problems(tmp_path, text)
    assert "hosts[0].ssh: port '22x' of 'deploy@web1.example:22x' is not a port number" in message
    assert "hosts[1].env.OPENAI_API_KEY: is a secret named in 'secrets:'" in message
    assert "groups.web[1]: no host named 'wbe2' (did you mean 'web2'?)" in message
    assert "groups.web1: 'web1' is also a host name" in message


def test_duplicate_names_and_a_host_without_a_root(tmp_path: Path) -> None:
    text = "version: 1\nhosts:\n  - {name: a, ssh: a, root: /r}\n  - {name: a, ssh: b}\n"
    message = problems(tmp_path, text)
    assert ":4: hosts[1].name: host 'a' is already hosts[0]" in message
    assert ":4: hosts[1]: missing required key 'root'" in message


@pytest.mark.parametrize(("text", "expected"), [
    ("version: 1\nhosts: [\n", ":3: invalid YAML"),
    ("- a\n- b\n", ":1: an inventory is a mapping"),
    ("version: 1\nhosts: []\n", ":2: hosts: needs at least 1 item(s)"),
    ("version: 1\nhosts:\n  - {name: a, ssh: a, root: /r}\nhosts: []\n", "duplicate key"),
])
def test_unreadable_inventories_are_one_clean_error(tmp_path: Path, text: str,
                                                    expected: str) -> None:
    assert expected in problems(tmp_path, text)


def test_a_missing_inventory_says_how_to_write_or_name_one(tmp_path: Path) -> None:
    with pytest.raises(InventoryError, match=r"no fleet inventory here.*--inventory FILE"):
        load_inventory(tmp_path / "fleet.yaml")
