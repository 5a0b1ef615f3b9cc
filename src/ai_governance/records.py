"""``NamedTuple`` without importing ``typing`` when the tool runs.

The tool's data are immutable records (``class Change(NamedTuple): ...``). ``typing``'s
NamedTuple costs every hook start-up about 11 ms (the module, and building each class
through it), and ``collections.namedtuple`` (which writes and compiles source for each
class) still 2.4 ms for the hook's thirty classes. At run time the classes are built here
instead: a tuple subclass with the same fields, defaults, accessors, ``_make``,
``_replace``, ``_asdict``, ``_fields``, ``_field_defaults``, ``__match_args__`` and
``__repr__``; methods and properties of the class body copied over. Type checkers read
``typing.NamedTuple`` (the ``TYPE_CHECKING`` branch), so nothing changes for them.
Zero-argument ``super()`` is not available in these classes (as with typing's).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's own constant would import typing
__all__ = ["NamedTuple"]

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from operator import itemgetter

    try:
        from _collections import _tuplegetter as _getter
    except ImportError:  # another Python than CPython

        def _getter(index, doc):
            return property(itemgetter(index), doc=doc)

    _OWN = frozenset(("__annotations__", "__module__", "__qualname__", "__dict__", "__weakref__"))
    _new = tuple.__new__

    def _record(name, fields, defaults, namespace):
        size = len(fields)
        required = size - len(defaults)
        tail = tuple(defaults)
        field_defaults = dict(zip(fields[required:], tail, strict=True))

        def __new__(cls, *args, **kwargs):
            if not kwargs and required <= len(args) <= size:
                return _new(cls, args + tail[len(args) - required :])
            if len(args) > size:
                raise TypeError(f"{name}() takes {size} arguments but {len(args)} were given")
            values = list(args)
            for field in fields[len(args) :]:
                if field in kwargs:
                    values.append(kwargs.pop(field))
                elif field in field_defaults:
                    values.append(field_defaults[field])
                else:
                    raise TypeError(f"{name}() missing required argument: {field!r}")
            if kwargs:
                raise TypeError(
                    f"{name}() got an unexpected keyword argument {next(iter(kwargs))!r}"
                )
            return _new(cls, values)

        def _make(cls, iterable):
            made = _new(cls, iterable)
            if len(made) != size:
                raise TypeError(f"Expected {size} arguments, got {len(made)}")
            return made

        def _replace(self, **changes):
            made = self._make(map(changes.pop, fields, self))
            if changes:
                raise ValueError(f"Got unexpected field names: {list(changes)!r}")
            return made

        def __repr__(self):
            shown = ", ".join(
                f"{field}={value!r}" for field, value in zip(fields, self, strict=True)
            )
            return f"{self.__class__.__name__}({shown})"

        def _asdict(self):
            return dict(zip(fields, self, strict=True))

        def __getnewargs__(self):
            return tuple(self)

        body = {
            "__slots__": (),
            "__doc__": namespace.get("__doc__") or f"{name}({', '.join(fields)})",
            "__new__": __new__,
            "_make": classmethod(_make),
            "_replace": _replace,
            "__repr__": __repr__,
            "_asdict": _asdict,
            "__getnewargs__": __getnewargs__,
            "_fields": fields,
            "_field_defaults": field_defaults,
            "__match_args__": fields,
            "__module__": namespace["__module__"],
            "__qualname__": namespace.get("__qualname__", name),
            "__annotations__": namespace.get("__annotations__", {}),
        }
        for index, field in enumerate(fields):
            body[field] = _getter(index, f"Alias for field number {index}")
        for key, value in namespace.items():
            if key not in _OWN and key not in fields and key != "__doc__":
                body[key] = value
        __new__.__qualname__ = f"{body['__qualname__']}.__new__"
        return type(name, (tuple,), body)

    class _Records(type):
        def __new__(cls, name, bases, namespace):
            if not bases:  # NamedTuple itself
                return super().__new__(cls, name, bases, namespace)
            fields = tuple(namespace.get("__annotations__", {}))
            defaults = [namespace[field] for field in fields if field in namespace]
            return _record(name, fields, defaults, namespace)

    class NamedTuple(metaclass=_Records):
        """Base of a record class: ``class Point(NamedTuple): x: int; y: int = 0``."""
