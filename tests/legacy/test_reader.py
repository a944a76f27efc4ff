"""Reading legacy AI_MANGER installs in every encoding Windows tools write."""

from __future__ import annotations

import codecs
import json
import shutil
from pathlib import Path

import pytest

from aim.errors import InputError, NotFound
from aim.legacy.reader import read_legacy
from aim.legacy.vault import dpapi_decrypt, read_vault

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "workspace"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE, root)
    return root


def config_path(root: Path) -> Path:
    return root / "AI_MANGER" / "config" / "toolstack.config.json"


def test_sample_reads(workspace: Path) -> None:
    install = read_legacy(workspace)
    assert install.config["PipxApps"][0] == "aider-chat"
    assert install.stored.encoding == "utf-8" and not install.stored.crlf


@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-16-le", b""),
])
def test_encodings_and_crlf(workspace: Path, encoding: str, bom: bytes) -> None:
    path = config_path(workspace)
    original = json.loads(path.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(bom + text.encode(encoding))
    install = read_legacy(workspace)
    assert install.config == original
    assert install.stored.crlf


def test_unknown_keys_and_odd_types_are_read_as_they_are(workspace: Path) -> None:
    path = config_path(workspace)
    data = json.loads(path.read_text())
    data["FancyNewThing"] = {"x": 1}
    data["Scan"]["Depth"] = 3
    data["Scan"]["MinSizeKBForHash"] = "big"
    path.write_text(json.dumps(data))
    install = read_legacy(workspace)
    assert install.config["FancyNewThing"] == {"x": 1}
    assert install.config["Scan"]["Depth"] == 3
    assert install.config["Scan"]["MinSizeKBForHash"] == "big"


def test_malformed_json_names_line_and_column(workspace: Path) -> None:
    path = config_path(workspace)
    path.write_text('{\n  "PipxApps": ["ruff",]\n}\n')
    with pytest.raises(InputError) as caught:
        read_legacy(workspace)
    assert str(caught.value).startswith(f"{path}:2:23: the AI_MANGER config is not valid JSON")


def test_a_config_that_is_not_an_object_names_the_file(workspace: Path) -> None:
    path = config_path(workspace)
    path.write_text('["PipxApps"]')
    with pytest.raises(InputError) as caught:
        read_legacy(workspace)
    assert str(caught.value).startswith(f"{path}: the AI_MANGER config must be a JSON object")
    assert "not list" in str(caught.value)


def test_missing_config(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="give the legacy folder with --legacy DIR"):
        read_legacy(tmp_path)


def test_legacy_flag_points_elsewhere(workspace: Path, tmp_path: Path) -> None:
    moved = tmp_path / "old-install"
    shutil.move(str(workspace / "AI_MANGER"), moved)
    assert read_legacy(workspace, str(moved)).dir == moved


def test_vault_reads_blobs_that_do_not_decrypt_here(workspace: Path) -> None:
    entries = read_vault(workspace / "vault" / "vault.json")
    assert sorted(entries) == ["anthropic", "github", "openai"]
    assert all(e.blob and e.problem is None for e in entries.values())
    assert dpapi_decrypt(entries["openai"].blob or b"") is None  # not this account's DPAPI


def test_vault_that_is_not_json(tmp_path: Path) -> None:
    vault = tmp_path / "vault.json"
    vault.write_text("openai=AQAAAN...\n")
    with pytest.raises(InputError, match=r"vault.json:1:1: the legacy secret vault is not valid"):
        read_vault(vault)


def test_vault_entry_that_is_not_base64(tmp_path: Path) -> None:
    vault = tmp_path / "vault.json"
    vault.write_bytes(codecs.BOM_UTF8 + b'{"openai": "not base64!"}')
    assert read_vault(vault)["openai"].problem == "not valid base64"
