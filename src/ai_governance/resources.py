"""The data shipped inside the package: the policy schema, the marker catalogue, the
embedded default policy."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms
if TYPE_CHECKING:
    from typing import Any

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def data_file(name: str) -> bytes:
    with open(os.path.join(DATA, name), "rb") as handle:
        return handle.read()


_CATALOGUE: list[Any] = []


def catalogue() -> Any:
    """The marker catalogue (``markers.json``: markers and tool aliases), parsed once (or
    handed over by the validated-policy cache: ``remember``)."""
    if not _CATALOGUE:
        import json  # only when the policy cache has not handed it over

        _CATALOGUE.append(json.loads(data_file("markers.json")))
    return _CATALOGUE[0]


def remember(parsed: Any) -> None:
    """The catalogue as the validated-policy cache kept it (from this version's file)."""
    if not _CATALOGUE:
        _CATALOGUE.append(parsed)
