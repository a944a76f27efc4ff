"""The audit trail: an append-only, hash-chained JSONL log of what AIM+ did, and by whom.

``AuditLog(path).append(kind, run_id=…, details=…)`` records an event; :func:`stream` reads
events back as they are found (filtered, newest last), :func:`query` collects them, and
:func:`verify` proves the chain is unbroken.
"""

from __future__ import annotations

from aim.audit.log import KEEP, MAX_BYTES, AuditLog
from aim.audit.reader import EventStream, QueryResult, Skipped, parse_since, query, stream
from aim.audit.verifier import VerifyResult, verify

__all__ = ["KEEP", "MAX_BYTES", "AuditLog", "EventStream", "QueryResult", "Skipped",
           "VerifyResult", "parse_since", "query", "stream", "verify"]
