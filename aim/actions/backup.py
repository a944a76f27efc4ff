"""Backup actions: snapshot workspace paths, verify a snapshot, restore one."""

from __future__ import annotations
