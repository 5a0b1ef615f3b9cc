"""Find the policy, and load it validated: from the cache when its bytes were seen before.

Validation needs PyYAML and jsonschema, which cost more start-up time than the whole
commit-msg budget; so the validated data is cached under a name made of the policy's bytes
(its length and ends). An entry holds the exact bytes it validated, with this version,
its schema and the marker catalogue, and is used only when all of them are equal: two
policies that share a name only replace each other's entry, and none passes unvalidated.
It also holds the parsed marker catalogue. Entries are written with ``marshal`` (built
into Python, so reading one imports nothing: ``json`` would cost each hook a millisecond)
and hold plain data only, checked for its shape when read; a corrupt entry is a miss. A
hook run on an unchanged policy imports neither library, nor ``json``.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable

from ai_governance import __version__, resources
from ai_governance.errors import PolicyError, UsageError
from ai_governance.folders import cache_dir
from ai_governance.policy.build import build, markers
from ai_governance.policy.model import Marker, Policy
from ai_governance.resources import data_file

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms
if TYPE_CHECKING:
    from typing import Any

FILENAME = ".ai-governance.yml"
FILENAMES = (FILENAME, ".ai-governance.yaml")  # both are found; both at once is an error
EMBEDDED = "<embedded default policy>"


def locate(explicit: str | None, root: str | None) -> tuple[str, bytes]:
    """(name, bytes): ``--policy``, else the repository's file, else the embedded default."""
    if explicit is not None:
        path = explicit
    else:
        found = [
            os.path.join(root, name)
            for name in FILENAMES
            if root is not None and os.path.lexists(os.path.join(root, name))
        ]
        if not found:
            return EMBEDDED, data_file("default.yml")
        path = one_policy(found)
    try:
        with open(path, "rb") as handle:
            return path, handle.read()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the policy: {exc.strerror}") from None


def one_policy(found: list[str]) -> str:
    """The one policy file among ``found``; two is an error, never a silent choice."""
    if len(found) > 1:
        raise PolicyError(
            [
                f"{found[1]}: both {' and '.join(FILENAMES)} exist; keep one, or every"
                " tool that reads only one of them judges by a different policy"
            ]
        )
    return found[0]


def _stamp(raw: bytes) -> tuple[str, str]:
    """(file name, exact content the entry must hold) for ``raw`` under this version."""
    salt = (
        f"{__version__} {sys.version_info[:2]} ".encode()
        + data_file("policy.schema.json")
        + data_file("markers.json")
    )
    # a name only (the entry holds the bytes it is for): no checksum module to import
    name = f"{len(salt)}-{len(raw)}-{raw[:12].hex()}{raw[-12:].hex()}.marshal"
    return name, salt.decode("utf-8", "replace") + "\0" + raw.decode("utf-8", "replace")


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _cached(raw: bytes, *, files: bool) -> Any:
    """The validated (and merged) data cached for ``raw``, when the entry holds exactly
    these bytes and every file it extends still holds the bytes it was merged from. Only
    with ``files``: the bases of a policy read from a commit are that commit's, never the
    files on disk an entry was checked against."""
    name, content = _stamp(raw)
    try:
        with open(os.path.join(cache_dir(), name), "rb") as handle:
            entry = marshal.loads(handle.read())  # noqa: S302  # nosec B302: our own plain data, checked below
        if not isinstance(entry, dict) or entry.get("of") != content:
            return None
        if not isinstance(entry.get("catalogue"), dict) or not isinstance(entry.get("data"), dict):
            return None
        if entry.get("bases") and not files:
            return None
        for path, text in entry.get("bases", []):
            with open(_local(path), "rb") as handle:
                if _text(handle.read()) != text:
                    return None
    except (OSError, ValueError, TypeError, EOFError):  # ValueError: a foreign remote name too
        return None
    resources.remember(entry["catalogue"])
    return entry.get("data")


def _store(raw: bytes, data: Any, bases: list[tuple[str, bytes]]) -> None:
    name, content = _stamp(raw)
    folder = cache_dir()
    temporary = os.path.join(folder, f"{name}.{os.getpid()}.tmp")
    entry = {
        "of": content,
        "data": data,
        "bases": [[p, _text(b)] for p, b in bases],
        "catalogue": resources.catalogue(),
    }
    try:
        os.makedirs(folder, exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(marshal.dumps(entry))
        os.replace(temporary, os.path.join(folder, name))
    except (OSError, ValueError):  # ValueError: data marshal cannot hold (then not cached)
        pass  # the cache only saves time; without it the policy is validated every run


def catalogue() -> tuple[Marker, ...]:
    """The shipped marker catalogue (data/markers.json), compiled."""
    raws = resources.catalogue()["markers"]
    return markers(raws, lambda path: f"markers.json:{path}", ("markers",), lazy=True)


def validated(name: str, raw: bytes) -> tuple[Any, Any]:
    """(data, where) from a full strict load and schema validation; PolicyError otherwise."""
    from ai_governance.policy import schema, yamlsafe
    from ai_governance.rules import RULES

    doc = yamlsafe.load(raw, name)
    problems = schema.validate(doc)
    if not problems:  # the checks only a rule's kind can make, on schema-valid data
        for index, rule in enumerate(doc.data["rules"]):
            for key, text in RULES[rule["kind"]].problems(rule):
                path = ("rules", index, *key)
                problems.append(f"{doc.where(path)}: {schema.dotted(path)}: {text}")
    if problems:
        raise PolicyError(problems)
    return doc.data, doc.where


def inspect(
    explicit: str | None, root: str | None
) -> tuple[Policy, Any, tuple[tuple[str, str], ...]]:
    """(the Policy, where each of its keys stands, where each rule comes from) without the
    cache: for ``validate``."""
    name, raw = locate(explicit, root)
    data, where, origins = layered(name, raw, read_beside)
    return build(data, name, where, catalogue()), where, origins


MAX_DEPTH = 4  # policies a chain of `extends` may hold
Reader = Callable[[str, str], tuple[str, bytes]]  # (policy name, relative path) -> (name, bytes)


def _local(name: str) -> str:
    """The file that holds the policy ``name``: a remote one's copy in the cache."""
    from ai_governance.policy import remote

    return remote.cache_file(remote.parse(name), cache_dir()) if remote.is_remote(name) else name


def read_beside(name: str, relative: str) -> tuple[str, bytes]:
    """A policy a file extends: a file relative to it, or a pinned policy of another
    repository from the user's cache (an error naming the command that fills it)."""
    from ai_governance.policy import remote

    ref = remote.target(name, relative)
    if ref is not None:
        path = remote.cache_file(ref, cache_dir())
        try:
            with open(path, "rb") as handle:
                return str(ref), handle.read()
        except OSError:
            raise PolicyError(
                [
                    f"{name}: extends {relative}: {ref} is not in the local cache ({path});"
                    f" run `{remote.FETCH}` to fill it (CI reads it through the API)"
                ]
            ) from None
    path = os.path.normpath(os.path.join(os.path.dirname(name), relative))
    try:
        with open(path, "rb") as handle:
            return path, handle.read()
    except OSError as exc:
        raise PolicyError(
            [f"{name}: extends {relative}: cannot read {path}: {exc.strerror}"]
        ) from None


def layered(
    name: str,
    raw: bytes,
    read: Reader,
    chain: tuple[str, ...] = (),
    reads: list[tuple[str, bytes]] | None = None,
) -> tuple[Any, Any, tuple[tuple[str, str], ...]]:
    """(data, where, origins) of a policy with what it extends merged in, checked to be
    no weaker than what it inherits; PolicyError otherwise. Every file read is appended
    to ``reads``."""
    from ai_governance.policy import extends, remote

    data, where = validated(name, raw)
    if "extends" not in data:
        return data, where, ()
    merged: extends.Layer | None = None
    origins: tuple[tuple[str, str], ...] = ()
    for index, relative in enumerate(data["extends"]):
        at = where(("extends", index))
        try:
            remote.target(name, relative)
        except ValueError as exc:
            raise PolicyError([f"{at}: extends[{index}]: {relative}: {exc}"]) from None
        base_name, base_raw = read(name, relative)
        if reads is not None:
            reads.append((base_name, base_raw))
        if base_name in (*chain, name):
            raise PolicyError(
                [f"{at}: extends[{index}]: {relative} extends this policy again (a cycle)"]
            )
        if len(chain) + 1 >= MAX_DEPTH:
            raise PolicyError([f"{at}: extends[{index}]: more than {MAX_DEPTH} policies deep"])
        base_data, base_where, base_origins = layered(
            base_name, base_raw, read, (*chain, name), reads
        )
        layer = extends.Layer(base_name, base_data, base_where)
        if merged is None:
            merged = layer
        else:
            combined = extends.merge(merged, layer)
            if combined.problems:
                raise PolicyError(list(combined.problems))
            merged = extends.Layer(base_name, combined.data, combined.where)
        origins += base_origins
    assert merged is not None  # nosec B101: the schema requires at least one entry
    result = extends.merge(merged, extends.Layer(name, data, where))
    if result.problems:
        raise PolicyError(list(result.problems))
    return result.data, result.where, result.origins


def load(explicit: str | None, root: str | None, *, use_cache: bool = True) -> Policy:
    name, raw = locate(explicit, root)
    return from_bytes(name, raw, use_cache=use_cache)


def from_bytes(
    name: str, raw: bytes, *, use_cache: bool = True, read: Reader = read_beside
) -> Policy:
    """The validated Policy in ``raw`` (named ``name`` in errors), with the policies it
    extends (``read`` finds them). The cache entry of a policy that extends files holds
    their bytes too, and is used only while each file still holds them; one whose bases
    come through another reader (a commit) is not cached."""
    data = _cached(raw, files=read is read_beside) if use_cache else None
    if data is not None:
        return build(data, name, lambda *path, **key: name, catalogue())
    reads: list[tuple[str, bytes]] = []
    data, where, _ = layered(name, raw, read, reads=reads)
    policy = build(data, name, where, catalogue())
    if use_cache and (not reads or read is read_beside):
        _store(raw, data, reads)
    return policy
