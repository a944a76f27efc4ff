"""Real AI_MANGER configs (three revisions, tests/fixtures/README.md) migrate and roll back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from aim.config.load import load_file
from aim.legacy.textfile import read_json
from tests.machine import developer_machine
from tests.migration.migutil import Sandbox, ok

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
REVISIONS = sorted(p.name for p in REAL.glob("toolstack.rev*.json"))
SOURCE = "AI_MANGER/config/toolstack.config.json"


def _install(box: Sandbox, revision: str) -> dict[str, Any]:
    box.legacy_config.write_bytes((REAL / revision).read_bytes())
    config, _ = read_json(box.legacy_config, "fixture")
    data: dict[str, Any] = config
    return data


def _report(box: Sandbox) -> dict[str, Any]:
    found = sorted((box.root / "reports").glob("migration-*.json"))
    assert len(found) == 1
    data: dict[str, Any] = json.loads(found[0].read_text("utf-8"))
    return data


def test_there_are_three_revisions() -> None:
    assert REVISIONS == ["toolstack.rev1.json", "toolstack.rev2.json", "toolstack.rev3.json"]


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_real_config_migrates_losslessly_and_rolls_back(box: Sandbox, revision: str) -> None:
    legacy = _install(box, revision)
    before = box.tree()
    ok(box.migrate("--dry-run"))
    assert box.tree() == before
    ok(box.migrate())
    config = load_file(box.root / "aim_config.json")  # valid: the loader would say otherwise
    assert config.master_bin.priority == ("pipx", "npm", "pnpm")
    assert "%LOCALAPPDATA%\\pnpm\\bin" in config.master_bin.sources
    assert sorted(config.master_bin.deny) == ["node", "npm", "pnpm", "py", "python"]
    report = _report(box)
    named = {key["key"].split(".")[0].split("[")[0] for key in report["keys"]
             if key["source"] == SOURCE}
    assert named == set(legacy)  # every top-level key of the source has its row
    assert all(key["fate"] in ("mapped", "carried", "merged", "dropped")
               for key in report["keys"])
    raw = json.loads((box.root / "aim_config.json").read_text("utf-8"))
    assert raw["legacy"]["carried"][SOURCE]["tasks"] == legacy["tasks"]
    ok(box.aim("rollback"))
    assert box.tree() == before


def test_the_newest_revision_keeps_observability_and_unknown_keys(box: Sandbox) -> None:
    legacy = _install(box, "toolstack.rev3.json")
    ok(box.migrate())
    config = load_file(box.root / "aim_config.json")
    redaction = legacy["Observability"]["Redaction"]["SensitivePatterns"]
    assert list(config.redaction.patterns) == redaction
    assert (config.audit.max_bytes, config.audit.keep) == (20 * 1024 * 1024, 10)
    assert config.log_level == "debug"  # "Verbose"
    assert config.pins["npm"]["@openai/codex"] == "~0.58.0"
    assert "@github/copilot" in config.packages["npm"] and "copilot" in config.tools
    raw = json.loads((box.root / "aim_config.json").read_text("utf-8"))
    carried = raw["legacy"]["carried"][SOURCE]
    assert carried["Winget"] == legacy["Winget"]
    assert carried["Observability.LogFiles"] == legacy["Observability"]["LogFiles"]
    markdown = next((box.root / "reports").glob("migration-*.md")).read_text("utf-8")
    assert "| `Winget` | carried (kept under `legacy.carried`) |" in markdown
    assert "| `MasterBin.Priority` | mapped | `master_bin.priority` |" in markdown


def test_the_oldest_revision_merges_duplicates_and_reports_them(box: Sandbox) -> None:
    _install(box, "toolstack.rev1.json")  # UTF-16 LE, CRLF, DenyList with Node and npm twice
    ok(box.migrate())
    config = load_file(box.root / "aim_config.json")
    assert list(config.master_bin.deny) == ["node", "python", "py", "npm", "pnpm"]
    assert config.log_level == "info"  # "Information"
    merged = [key for key in _report(box)["keys"] if key["fate"] == "merged"]
    assert [key["key"] for key in merged] == ["MasterBin.DenyList", "MasterBin.DenyList"]
    assert "'Node' is listed again (as 'node'); kept once" in merged[0]["note"]


def test_a_value_that_does_not_fit_is_carried_and_named_for_attention(box: Sandbox) -> None:
    legacy = _install(box, "toolstack.rev2.json")
    legacy["MasterBin"]["Priority"].append("chocolatey")
    legacy["Pins"]["pipx"]["ruff"] = "latest"
    box.legacy_config.write_text(json.dumps(legacy), encoding="utf-8")
    result = ok(box.migrate())
    config = load_file(box.root / "aim_config.json")
    assert "ruff" not in config.pins["pipx"] and "chocolatey" not in config.master_bin.priority
    carried = config.legacy["carried"][SOURCE]
    assert carried["Pins.pipx.ruff"] == "latest"
    assert carried["MasterBin.Priority[3]"] == "chocolatey"
    markdown = next((box.root / "reports").glob("migration-*.md")).read_text("utf-8")
    attention = markdown.split("## Needs attention", 1)[1].split("\n## ", 1)[0]
    assert "`Pins.pipx.ruff`" in attention and "`MasterBin.Priority[3]`" in attention
    assert "Traceback" not in result.stderr


def _with_firstgen(box: Sandbox) -> None:
    shutil.copytree(REAL / "firstgen", box.root, dirs_exist_ok=True)


def test_every_config_generation_is_merged_with_a_row_per_key(box: Sandbox) -> None:
    legacy = _install(box, "toolstack.rev3.json")
    _with_firstgen(box)
    before = box.tree()
    ok(box.migrate())
    config = load_file(box.root / "aim_config.json")
    assert {"jules", "claude-cli", "aider", "codex"} <= set(config.tools)
    assert "claude" not in config.tools  # AI_MANGER's claude is the registry's claude-cli
    assert config.capabilities["code-generation"].fallback == ("aider", "codex")
    assert config.capabilities["review"].primary == "codex"
    assert config.health.check_timeout == 30  # default_timeout_ms
    assert "git" in config.health.required_commands
    assert config.pins["npm"]["@openai/codex"] == "0.57.0"  # the newer generation wins
    report = _report(box)
    assert [s["source"] for s in report["sources"]] == [
        SOURCE, "config/aim_config.yaml", "aim/config/aim_config.json"]
    firstgen = json.loads((box.root / "aim/config/aim_config.json").read_text("utf-8"))
    settings = yaml.safe_load((box.root / "config/aim_config.yaml").read_text("utf-8"))
    for source, keys in ((SOURCE, legacy), ("aim/config/aim_config.json", firstgen),
                         ("config/aim_config.yaml", settings)):
        named = {k["key"].split(".")[0].split("[")[0] for k in report["keys"]
                 if k["source"] == source}
        assert named == set(keys), source
    codex = [c for c in report["conflicts"] if c["path"] == "pins.npm.@openai/codex"]
    assert codex and codex[0]["kept"] == "0.57.0"
    ok(box.aim("rollback"))
    assert box.tree() == before


def test_deploy_deprecates_the_first_generation_files_and_rollback_restores_them(
        box: Sandbox, tmp_path: Path) -> None:
    _with_firstgen(box)
    box.env.update(developer_machine(tmp_path / "machine"))
    before = box.tree()
    ok(box.aim("deploy", "--vault", str(box.root / "vault" / "vault.json")))
    settings = (box.root / "config/aim_config.yaml").read_text("utf-8")
    assert settings.startswith("# aim:BEGIN deprecation\n# Deprecated: AIM+ migrated")
    assert yaml.safe_load(settings)["registry_path"] == "aim/config/aim_config.json"
    notice = box.root / "aim/config/aim_config.json.DEPRECATED.md"
    assert "no longer reads this file" in notice.read_text("utf-8")
    registry = "aim/config/aim_config.json"
    assert box.tree()[registry] == before[registry]  # the JSON file itself is untouched
    ok(box.aim("rollback"))
    assert box.tree() == before
