"""The keyring side of the secret store: the backend ``AIM_KEYRING`` chooses, and keyring's
errors turned into one clean KeyringUnavailable.

``AIM_KEYRING`` unset or ``system``: keyring's configured backend, and a clean
KeyringUnavailable when there is none (never a plaintext fallback).  ``memory``: an in-process
backend for tests.  ``sandbox:/path/file.json``: the sample's visible plaintext file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import keyring
from keyring.backends import chainer, fail, null
from keyring.errors import (
    InitError,
    KeyringError,
    KeyringLocked,
    NoKeyringError,
    PasswordDeleteError,
)

from aim.errors import InputError, KeyringUnavailable
from aim.secrets.backends import MemoryKeyring, SandboxKeyring

KEYRING_ENV = "AIM_KEYRING"
LOCKED_RETRY_DELAY = 0.5  # gnome-keyring may still be unlocking the collection on first use

T = TypeVar("T")

FIX = ("AIM+ keeps secrets only in a keyring and never falls back to a plaintext file. To fix "
       "it, start a Secret Service: on a desktop, gnome-keyring (or KeePassXC, KWallet) "
       "unlocked in your session; on a headless machine, install gnome-keyring and dbus and "
       "run inside a D-Bus session, e.g. dbus-run-session -- sh -c 'printf \"\\n\" | "
       "gnome-keyring-daemon --unlock --components=secrets; exec aim ...'. Or install and "
       "configure another keyring backend (PYTHON_KEYRING_BACKEND or keyringrc.cfg). "
       "To just try AIM+, 'invoke sample' uses a sandbox keyring file.")


def unavailable(reason: str) -> KeyringUnavailable:
    """The one-paragraph KeyringUnavailable error for ``reason``, with the fix."""
    return KeyringUnavailable(f"no usable keyring: {reason}. {FIX}")


def open_backend() -> Any:
    """The keyring backend ``AIM_KEYRING`` names (default: the system keyring)."""
    choice = os.environ.get(KEYRING_ENV, "").strip() or "system"
    if choice == "system":
        return system_backend()
    if choice == "memory":
        return MemoryKeyring()
    kind, sep, path = choice.partition(":")
    if kind == "sandbox" and sep and path.strip():
        return SandboxKeyring(Path(path.strip()).expanduser())
    raise InputError(f"{KEYRING_ENV}={choice!r}: unknown keyring; use 'system' (the default), "
                     "'memory' (tests) or 'sandbox:/path/file.json' (the sample sandbox)")


def system_backend() -> Any:
    """keyring's configured backend; KeyringUnavailable when it cannot store anything."""
    try:
        backend = keyring.get_keyring()
    except Exception as err:  # a broken backend config or plugin fails in many ways
        raise unavailable(f"keyring could not load a backend ({err})") from err
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        raise unavailable(f"keyring found no backend on this machine (it chose "
                          f"{type(backend).__module__}.{type(backend).__name__})")
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        raise unavailable("keyring's chainer has no viable backend to chain")
    return backend


def _transport_errors() -> tuple[type[BaseException], ...]:
    """Errors a backend raises when its service is gone (no D-Bus, daemon stopped)."""
    errors: tuple[type[BaseException], ...] = (InitError, NoKeyringError, ConnectionError)
    try:  # the Secret Service client: there on Linux only
        from secretstorage.exceptions import SecretStorageException
    except ImportError:
        return errors
    return (*errors, SecretStorageException)


def call_backend(operation: Callable[[], T]) -> T:
    """Run one keyring operation, mapping failures to KeyringUnavailable.

    KeyringLocked is retried once after a short wait: the first unlock of a Secret Service
    collection can still be under way when the first request arrives.
    """
    try:
        return _mapped(operation)
    except KeyringLocked:
        time.sleep(LOCKED_RETRY_DELAY)
    try:
        return _mapped(operation)
    except KeyringLocked as err:
        raise KeyringUnavailable(
            f"the keyring is locked ({err}) and stayed locked after a retry; unlock it (log in "
            "to your desktop session, or on a headless machine feed its password to "
            "'gnome-keyring-daemon --unlock') and run the command again. AIM+ never falls "
            "back to a plaintext file.") from err


def _mapped(operation: Callable[[], T]) -> T:
    """``operation()``, with a missing or refusing keyring turned into KeyringUnavailable."""
    try:
        return operation()
    except KeyringLocked:
        raise
    except _transport_errors() as err:
        raise unavailable(f"the keyring service cannot be reached ({err})") from err
    except KeyringError as err:
        raise unavailable(f"the keyring refused the operation ({err})") from err




def delete_password(backend: Any, service: str, name: str) -> bool:
    """Remove ``name`` from ``service``; False when there was nothing to remove."""

    def remove() -> bool:
        try:
            backend.delete_password(service, name)
        except PasswordDeleteError:
            return False
        return True

    return call_backend(remove)
