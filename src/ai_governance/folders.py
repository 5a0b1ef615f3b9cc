"""Where the tool keeps what it may rebuild: the user's cache folder."""

from __future__ import annotations

import os


def cache_dir() -> str:
    """``AI_GOVERNANCE_CACHE``, else ``XDG_CACHE_HOME``, else ``~/.cache``; then
    ``ai-governance``. Each user has their own: nothing in it is shared."""
    base = os.environ.get("AI_GOVERNANCE_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return os.path.join(base or os.path.join(os.path.expanduser("~"), ".cache"), "ai-governance")
