"""Which changed files are Python source, and why the others are not scanned.

A file is Python when its name ends in ``.py`` or ``.pyw`` in any case (``Tool.PY``),
when its first line is a shebang that runs Python in any form (``python3.12``, ``pypy3``,
``/usr/bin/env -S uv run --script``, ``pipx run``, ``poetry run python``...), or when it has
no extension and parses as Python that imports, defines or declares something (a script run
as ``python FILE``, whatever comments come first).
A file whose name says Python but that Bandit cannot judge (a stub, Cython, a notebook, a
``.pth`` file whose ``import`` lines Python runs at start-up) is reported as not scanned.
"""

from __future__ import annotations

import posixpath
import re

from ai_governance.change import ChangedFile

EXTENSIONS = (".py", ".pyw")
NOT_SCANNED = {
    ".pyi": "a type stub",
    ".pyx": "Cython source",
    ".pxd": "Cython source",
    ".pxi": "Cython source",
    ".ipynb": "a notebook (Bandit reads .py files; export it to scan it)",
    ".pth": "a .pth file: Python runs its `import` lines at start-up",
}
REGULAR = ("100644", "100755")
SYMLINK, SUBMODULE = "120000", "160000"
_RUNNERS = rb"python|pypy|jython|ipython|uv|uvx|pipx|poetry|pdm|hatch|rye|pyenv|conda"
# compiled when a file not named like Python is looked at (re caches it)
_SHEBANG = rb"^#!.*?(?:^#!|[/\s])(?:" + _RUNNERS + rb")[0-9.]*(?:\s|$)"


def by_name(path: str) -> bool:
    return path.lower().endswith(EXTENSIONS)


def extensionless(path: str) -> bool:
    return "." not in posixpath.basename(path)


def is_python(path: str, content: bytes) -> bool:
    """Python by its name, by the interpreter its shebang line runs, or (a file without an
    extension, given whole) by parsing as Python with an import, a def or a class in it:
    text, shell scripts and makefiles do not parse, and a bare expression does not count."""
    if by_name(path) or re.match(_SHEBANG, content.split(b"\n", 1)[0], re.I):
        return True
    if not extensionless(path) or b"\0" in content:
        return False
    import ast  # only for files without an extension, which are few

    try:
        tree = ast.parse(content)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    kinds = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return any(isinstance(node, kinds) for node in ast.walk(tree))


def not_python_because(path: str) -> str | None:
    """Why a file named like Python cannot be scanned as Python, or None."""
    lowered = path.lower()
    return next((why for ext, why in NOT_SCANNED.items() if lowered.endswith(ext)), None)


def not_scanned(file: ChangedFile) -> str | None:
    """Why a changed file is not read for scanning, or None to read it."""
    if file.status == "deleted":
        return "deleted"
    if file.mode == SUBMODULE:
        return "a submodule (scan it in its own repository)"
    if file.mode not in (*REGULAR, SYMLINK):
        return f"not a regular file (mode {file.mode})"
    return None


def link_verdict(file: ChangedFile) -> tuple[str, bool] | None:
    """(note, blocking) for a symbolic link whose name or target is Python; None for
    others. A link is never followed: when its own name says Python but its target's does
    not (or the target is outside the repository), what runs as Python through it is not
    scanned anywhere, so it is refused; a link to a ``.py`` file inside the repository is
    fine, that file being scanned where it is."""
    target = (file.content or b"").decode("utf-8", "surrogateescape")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(file.path), target))
    outside = target.startswith("/") or resolved == ".." or resolved.startswith("../")
    if not (by_name(file.path) or by_name(target)):
        return None
    if by_name(target) and not outside:
        return f"a symbolic link to {resolved}, which is scanned where it is", False
    where = "outside the repository" if outside else "a file not named like Python"
    return (
        f"a symbolic link to {target} ({where}): what runs through it is not scanned;"
        " commit the file itself, or point the link at a .py file in the repository",
        True,
    )
