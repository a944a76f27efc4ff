"""Keyring secrets: the store, the names a workspace knows, and the audited operations.

Importing this package does not import keyring; that happens on first use.
"""

from __future__ import annotations

from aim.secrets.store import SecretStore

__all__ = ["SecretStore"]
