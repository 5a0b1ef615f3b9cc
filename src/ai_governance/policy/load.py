"""Find the policy, and load it validated: from the cache when its bytes were seen before.

Validation needs PyYAML and jsonschema, which cost more start-up time than the whole
commit-msg budget; so the validated data is cached by the hash of the file's bytes (and of
this version's schema) and a hook run on an unchanged policy imports neither.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

from ai_governance import __version__
from ai_governance.errors import PolicyError, UsageError
from ai_governance.policy.build import build, markers
from ai_governance.policy.model import Marker, Policy

FILENAME = ".ai-governance.yml"
EMBEDDED = "<embedded default policy>"
_DATA = resources.files("ai_governance.data")


def locate(explicit: str | None, root: Path | None) -> tuple[str, bytes]:
    """(name, bytes): ``--policy``, else the repository's file, else the embedded default."""
    if explicit is not None:
        path = Path(explicit)
    elif root is not None and (root / FILENAME).is_file():
        path = root / FILENAME
    else:
        return EMBEDDED, _DATA.joinpath("default.yml").read_bytes()
    try:
        return str(path), path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the policy: {exc.strerror}") from None


def cache_dir() -> Path:
    base = os.environ.get("AI_GOVERNANCE_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base or Path.home() / ".cache") / "ai-governance"


def _key(raw: bytes) -> str:
    digest = hashlib.sha256(__version__.encode())
    digest.update(_DATA.joinpath("policy.schema.json").read_bytes())
    digest.update(raw)
    return digest.hexdigest()


def _cached(key: str) -> Any:
    try:
        return json.loads((cache_dir() / f"{key}.json").read_bytes())
    except (OSError, ValueError):
        return None


def _store(key: str, data: Any) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f"{key}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(data), "utf-8")
        temporary.replace(folder / f"{key}.json")
    except OSError:
        pass  # the cache only saves time; without it the policy is validated every run


def catalogue() -> tuple[Marker, ...]:
    from ai_governance.detect.markers import catalogue_data

    return markers(catalogue_data(), lambda path: f"markers.json:{path}", ("markers",))


def validated(name: str, raw: bytes) -> tuple[Any, Any]:
    """(data, where) from a full strict load and schema validation; PolicyError otherwise."""
    from ai_governance.policy import schema, yamlsafe

    doc = yamlsafe.load(raw, name)
    problems = schema.validate(doc)
    if problems:
        raise PolicyError(problems)
    return doc.data, lambda path: doc.where(path)


def load(explicit: str | None, root: Path | None, *, use_cache: bool = True) -> Policy:
    name, raw = locate(explicit, root)
    key = _key(raw)
    data = _cached(key) if use_cache else None
    if data is not None:
        return build(data, name, lambda path: name, catalogue())
    data, where = validated(name, raw)
    policy = build(data, name, where, catalogue())
    if use_cache:
        _store(key, data)
    return policy
