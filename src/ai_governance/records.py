"""``NamedTuple`` without importing ``typing`` when the tool runs.

The tool's data are immutable records (``class Change(NamedTuple): ...``). ``typing``'s
NamedTuple costs every hook start-up about 11 ms (the module, and building each class
through it); at run time the same classes are built here with ``collections.namedtuple``
from the class body's annotations and defaults, methods and properties copied over. Type
checkers read ``typing.NamedTuple`` (the ``TYPE_CHECKING`` branch), so nothing changes for
them. Zero-argument ``super()`` is not available in these classes (as with typing's).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's own constant would import typing
__all__ = ["NamedTuple"]

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from collections import namedtuple

    _OWN = frozenset(
        (
            "__annotations__",
            "__module__",
            "__qualname__",
            "__dict__",
            "__weakref__",
            "__orig_bases__",
        )
    )

    class _Records(type):
        def __new__(cls, name, bases, namespace):
            if not bases:  # NamedTuple itself
                return super().__new__(cls, name, bases, namespace)
            fields = tuple(namespace.get("__annotations__", {}))
            defaults = [namespace[field] for field in fields if field in namespace]
            record = namedtuple(name, fields, defaults=defaults, module=namespace["__module__"])
            for key, value in namespace.items():
                if key not in _OWN and key not in fields:
                    setattr(record, key, value)
            record.__qualname__ = namespace.get("__qualname__", name)
            record.__annotations__ = namespace.get("__annotations__", {})
            return record

    class NamedTuple(metaclass=_Records):
        """Base of a record class: ``class Point(NamedTuple): x: int; y: int = 0``."""
