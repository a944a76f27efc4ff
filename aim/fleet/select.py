"""Which hosts a fleet command works on, in which waves, and when it stops starting new ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aim.errors import InputError
from aim.fleet.inventory import Host, Inventory
from aim.schema_errors import did_you_mean


def select_hosts(inventory: Inventory, spec: str | None) -> tuple[Host, ...]:
    """The hosts ``--hosts`` names (host or group names, comma-separated; default: all),
    in inventory order, each once."""
    if not spec or spec.strip() == "all":
        return inventory.hosts
    groups = inventory.group_map
    known = [h.name for h in inventory.hosts]
    wanted: set[str] = set()
    for word in (w.strip() for w in spec.split(",")):
        if word in groups:
            wanted.update(groups[word])
        elif word in known:
            wanted.add(word)
        elif word:
            choices = [*known, *groups]
            raise InputError(f"--hosts {spec!r}: no host or group named {word!r}"
                             f"{did_you_mean(word, choices)} in {inventory.path}; hosts: "
                             f"{', '.join(known)}" + (f"; groups: {', '.join(groups)}"
                                                      if groups else ""))
    if not wanted:
        raise InputError(f"--hosts {spec!r} names no host; give host or group names")
    return tuple(h for h in inventory.hosts if h.name in wanted)


@dataclass(frozen=True)
class Count:
    """``N`` hosts or ``P%`` of the selected hosts (``--serial``, ``--max-fail``)."""

    value: int
    percent: bool = False

    def __str__(self) -> str:
        return f"{self.value}%" if self.percent else str(self.value)


def parse_count(text: str | None, flag: str, *, minimum: int = 0) -> Count | None:
    """``"3"`` or ``"25%"`` as a Count (None when the flag is not given)."""
    if text is None or str(text).strip() == "":
        return None
    raw = str(text).strip()
    number = raw[:-1] if raw.endswith("%") else raw
    if not number.isdigit():
        raise InputError(f"{flag} {raw!r}: give a number of hosts (3) or a percentage of "
                         "the selected hosts (25%)")
    count = Count(int(number), raw.endswith("%"))
    if count.value < minimum or (count.percent and count.value > 100):
        low = f"{minimum}" if not count.percent else f"{minimum}%"
        raise InputError(f"{flag} {raw!r}: must be at least {low}"
                         + (" and at most 100%" if count.percent else ""))
    return count


def wave_size(serial: Count | None, total: int) -> int:
    """Hosts per wave: all at once without ``--serial``; a percentage rounds down, min 1."""
    if serial is None or total == 0:
        return max(total, 1)
    if serial.percent:
        return max(1, total * serial.value // 100)
    return serial.value


def waves(hosts: Sequence[Host], serial: Count | None) -> list[tuple[Host, ...]]:
    """``hosts`` cut into consecutive waves of ``wave_size`` hosts."""
    size = wave_size(serial, len(hosts))
    return [tuple(hosts[i:i + size]) for i in range(0, len(hosts), size)]


@dataclass(frozen=True)
class FailBudget:
    """``--max-fail``: how many hosts may fail before no new host is started."""

    limit: Count | None
    total: int

    def exceeded(self, failures: int) -> bool:
        """True once ``failures`` is past the limit (never without ``--max-fail``)."""
        if self.limit is None:
            return False
        if self.limit.percent:
            return failures * 100 > self.limit.value * self.total
        return failures > self.limit.value
