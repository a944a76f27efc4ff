"""AIM+ (AI Manager Plus): manage an AI-tool environment from one validated config."""

from __future__ import annotations

__version__ = "0.1.0"
