"""Which changed files are Python source, and why the others are not scanned."""

from __future__ import annotations

import os

from ai_governance.change import ChangedFile

EXTENSIONS = (".py", ".pyw")
REGULAR = ("100644", "100755")


def maybe_python(path: str) -> bool:
    """Worth reading: a Python extension, or no extension at all (a script with a shebang)."""
    name = os.path.basename(path)
    return name.endswith(EXTENSIONS) or "." not in name


def is_python(path: str, content: bytes) -> bool:
    if path.endswith(EXTENSIONS):
        return True
    first = content.split(b"\n", 1)[0]
    return first.startswith(b"#!") and b"python" in first


def not_scanned(file: ChangedFile) -> str | None:
    """Why a changed file that could be Python is left out, or None to scan it."""
    if file.status == "deleted":
        return "deleted"
    if file.mode == "120000":
        return "a symbolic link (its target is scanned where it is)"
    if file.mode == "160000":
        return "a submodule (scan it in its own repository)"
    if file.mode not in REGULAR:
        return f"not a regular file (mode {file.mode})"
    return None
