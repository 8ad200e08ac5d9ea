"""Form fields to the JSON a service expects: dotted names nest, numeric parts make lists."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any


def unflatten(fields: Mapping[str, Any]) -> dict[str, Any]:
    """``{"a.b": 1, "lines.0.qty": 2}`` -> ``{"a": {"b": 1}, "lines": [{"qty": 2}]}``.

    Empty strings are left out, so an optional field left blank is not sent at all.
    """
    root: dict[str, Any] = {}
    for name, value in fields.items():
        if value is None or (isinstance(value, str) and value.strip() == ""):
            continue
        parts = name.split(".")
        node: Any = root
        for part, following in itertools.pairwise(parts):
            node = _child(node, part, [] if following.isdigit() else {})
        _put(node, parts[-1], value.strip() if isinstance(value, str) else value)
    return root


def _child(node: Any, key: str, empty: Any) -> Any:
    if isinstance(node, list):
        index = int(key)
        while len(node) <= index:
            node.append(None)
        if node[index] is None:
            node[index] = empty
        return node[index]
    return node.setdefault(key, empty)


def _put(node: Any, key: str, value: Any) -> None:
    if isinstance(node, list):
        index = int(key)
        while len(node) <= index:
            node.append(None)
        node[index] = value
    else:
        node[key] = value
