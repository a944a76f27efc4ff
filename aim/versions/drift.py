"""Drift: each managed package and registry tool, its pin, what is installed, and the verdict.

Statuses: ``ok`` (installed and satisfies its pin), ``missing`` (not installed), ``older`` /
``newer`` (installed but outside the pin; ``newer`` when an install of the pin would move it
down), ``unpinned`` (installed, no pin), ``unknown`` (the version could not be read or
compared; the note says why, e.g. a timeout).  An item *drifts* when it is managed by a
package manager (so ``aim versions --sync`` can fix it) and is missing, older or newer.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from aim.checks import concurrency
from aim.config.model import MANAGERS, AimConfig, Tool
from aim.versions import detect, pins
from aim.versions.detect import Detection, Listing, ToolProbe
from aim.versions.listings import normalize

DRIFT = (pins.MISSING, pins.OLDER, pins.NEWER)


@dataclass(frozen=True)
class DriftItem:
    """One package (or unmanaged tool) and its verdict."""

    name: str
    manager: str | None
    status: str
    pinned: str | None = None
    installed: str | None = None
    tool: str | None = None
    source: str = ""
    winner: str | None = None
    copies: tuple[str, ...] = ()
    note: str = ""

    @property
    def drifted(self) -> bool:
        return self.manager is not None and self.status in DRIFT

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "copies": list(self.copies), "drifted": self.drifted}


@dataclass(frozen=True)
class DriftReport:
    """Every item of one version check, in config order, with the managers' listing states."""

    items: tuple[DriftItem, ...]
    managers: Mapping[str, str]
    duration: float = 0.0

    @property
    def drifted(self) -> list[DriftItem]:
        return [item for item in self.items if item.drifted]

    def to_dict(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for item in self.items:
            counts[item.status] = counts.get(item.status, 0) + 1
        return {"ok": not self.drifted, "drifted": [i.name for i in self.drifted],
                "counts": counts, "managers": dict(self.managers),
                "duration": round(self.duration, 3),
                "items": [item.to_dict() for item in self.items]}


def check_versions(config: AimConfig, *, path: str | None = None,
                   timeout: float | None = None) -> DriftReport:
    """Detect every installed version (concurrently) and compare it with the config's pins.

    ``path`` replaces the PATH searched for tools and managers; ``timeout`` (seconds per
    command) defaults to the config's ``health.check_timeout``.
    """
    started = time.monotonic()
    limit = config.health.check_timeout if timeout is None else timeout
    commands = {tool.id: tool.version_command for tool in config.tools.values()}
    found = detect.detect(commands, managed(config), timeout=limit, path=path,
                          workers=concurrency(config.health.concurrency))
    items = [*_package_items(config, found, path), *_tool_items(config, found, path)]
    states = {m: _listing_note(listing) for m, listing in found.listings.items()}
    return DriftReport(tuple(items), states, time.monotonic() - started)


def managed(config: AimConfig) -> dict[str, list[str]]:
    """Package names per manager: its package list, its pins, then tools installed with it."""
    result: dict[str, list[str]] = {}
    for manager in MANAGERS:
        names = [*config.packages.get(manager, ()), *config.pins.get(manager, {})]
        names += [t.install.package for t in config.tools.values()
                  if t.install and t.install.manager == manager]
        if names:
            result[manager] = list(dict.fromkeys(names))
    return result


def _listing_note(listing: Listing) -> str:
    return listing.state if not listing.detail else f"{listing.state}: {listing.detail}"


def _package_items(config: AimConfig, found: Detection, path: str | None) -> list[DriftItem]:
    by_package = {(t.install.manager, t.install.package): t
                  for t in config.tools.values() if t.install}
    items = []
    for manager, names in managed(config).items():
        for name in names:
            tool = by_package.get((manager, name))
            pin = config.pins.get(manager, {}).get(name)
            items.append(_package_item(manager, name, pin, tool, found, path))
    return items


def _package_item(manager: str, name: str, pin: str | None, tool: Tool | None,
                  found: Detection, path: str | None) -> DriftItem:
    listing = found.listings[manager]
    probe = found.tools.get(tool.id) if tool else None
    winner, copies = detect.locate(tool.detect, path) if tool else (None, ())
    base = DriftItem(name, manager, pins.UNKNOWN, pin, tool=tool.id if tool else None,
                     winner=winner, copies=copies)
    listed = listing.packages.get(normalize(manager, name))
    if listed is not None:
        return _verdict(base, listed, f"{manager} list", _probe_note(probe, listed))
    if probe is not None and probe.version is not None:
        note = f"not in {manager}'s list; found on PATH"
        return _verdict(base, probe.version, "version command",
                        note if listing.state == detect.OK else _listing_note(listing))
    absent = listing.state in (detect.OK, detect.MISSING) or (
        probe is not None and probe.state == detect.MISSING)
    notes = [_listing_note(listing)] if listing.state != detect.OK else []
    notes += [probe.detail] if probe is not None and probe.detail else []
    status = pins.MISSING if absent else pins.UNKNOWN
    return replace(base, status=status, note="; ".join(notes))


def _probe_note(probe: ToolProbe | None, listed: str) -> str:
    if probe is None:
        return ""
    if probe.version is not None and probe.version != listed:
        return f"the copy on PATH reports {probe.version}"
    return probe.detail


def _verdict(base: DriftItem, installed: str, source: str, note: str) -> DriftItem:
    if base.pinned is None:
        return replace(base, status=pins.UNPINNED, installed=installed, source=source,
                        note=note)
    status, why = pins.compare(str(base.manager), base.pinned, installed)
    joined = "; ".join(n for n in (why, note) if n)
    return replace(base, status=status, installed=installed, source=source, note=joined)


def _tool_items(config: AimConfig, found: Detection, path: str | None) -> list[DriftItem]:
    items = []
    for tool in config.tools.values():
        if tool.install is not None:
            continue
        probe = found.tools[tool.id]
        winner, copies = detect.locate(tool.detect, path)
        status = {detect.OK: pins.UNPINNED, detect.MISSING: pins.MISSING}.get(
            probe.state, pins.UNKNOWN)
        source = "version command" if probe.version else ""
        items.append(DriftItem(tool.id, None, status, None, probe.version, tool.id, source,
                               winner, copies, probe.detail))
    return items
