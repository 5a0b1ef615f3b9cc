"""The data shipped inside the package: the policy schema, the marker catalogue, the
embedded default policy."""

from __future__ import annotations

import os

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def data_file(name: str) -> bytes:
    with open(os.path.join(DATA, name), "rb") as handle:
        return handle.read()
