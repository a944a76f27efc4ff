"""The audit trail: an append-only, hash-chained JSONL log of what AIM+ did, and by whom.

``AuditLog(path).append(kind, run_id=…, details=…)`` records an event; :func:`query` reads
events back (filtered, newest last) and :func:`verify` proves the chain is unbroken.
"""

from __future__ import annotations

from aim.audit.log import KEEP, MAX_BYTES, AuditLog
from aim.audit.reader import QueryResult, Skipped, parse_since, query
from aim.audit.verifier import VerifyResult, verify

__all__ = ["KEEP", "MAX_BYTES", "AuditLog", "QueryResult", "Skipped", "VerifyResult",
           "parse_since", "query", "verify"]
