"""fleet.status's table reads each host's real ``aim status --json``."""

from __future__ import annotations

import json
from pathlib import Path

from aim.fleet.controller import FleetReport
from aim.fleet.outcome import HostResult, Outcome
from aim.fleet.report import STATUS_HEADERS, status_rows
from tests.cli.clitool import aim
from tests.config.cfgutil import small, write_data


def test_the_status_row_shows_the_words_aim_status_gives(tmp_path: Path) -> None:
    ws = write_data(tmp_path / "ws", small())
    status = json.loads(aim("status", "--root", str(ws.root), "--json").stdout)
    words = {c["name"]: c["status"] for c in status["checks"]}
    report = FleetReport("status", None, [HostResult("h1", Outcome.OK, 0, data=status)])
    row = dict(zip(STATUS_HEADERS, status_rows(report)[0], strict=True))
    assert [row[k] for k in ("CONFIG", "SECRETS", "HEALTH", "VERSIONS")] == [
        words["config"], words["secrets"], words["health"], words["versions"]]
    assert row["CONFIG"] == "ok" and "-" not in (row["SECRETS"], row["VERSIONS"])
