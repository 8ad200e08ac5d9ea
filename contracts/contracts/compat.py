"""Is a new JSON Schema of a message a compatible successor of the published one?

A published ``(type, version)`` is a promise in two directions: consumers rely on the fields
it has, and messages already written with it (in outboxes, queues, dead-letter queues, and from
departmental systems not yet upgraded) must still validate. So a change is *breaking* when:

- a property is removed (consumers may read it);
- a property's type changes so that old data no longer fits: a JSON type dropped from its
  alternatives, a free value turned into an enum, ``$ref`` to a model whose own properties
  break (``$ref`` into ``$defs`` is resolved recursively, so nested models are checked);
- enum (or const) values are removed;
- a ``format`` or ``pattern`` is added or changed, or a bound is tightened (``minimum``,
  ``maxLength``, ``minItems``, ...);
- a field becomes required: a new required field, or an optional one made required.

Widening is compatible: a new optional field, new enum values, a new JSON type alternative
(``null`` added, ``integer`` to ``number``), a looser bound. Consumers must therefore ignore
unknown fields (every model does) and treat unknown enum values from a newer producer as a
reason to dead-letter, not to crash. Titles, descriptions, defaults and examples are not
contract. A breaking change is published as a new version beside the old one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

Schema = dict[str, Any]

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_JSON_TYPE_OF = {bool: "boolean", int: "integer", float: "number", str: "string"}


def breaking_changes(old_schema: Schema, new_schema: Schema) -> list[str]:
    """Problems that make ``new_schema`` an incompatible successor of ``old_schema``.

    Each problem names the JSON path (``$.lines[].quantity``) and what changed; an empty list
    means the change is compatible.
    """
    checker = _Checker(old_schema, new_schema)
    checker.compare(old_schema, new_schema, "$")
    return checker.problems


class _Checker:
    def __init__(self, old_root: Schema, new_root: Schema) -> None:
        self.old_defs = _definitions(old_root)
        self.new_defs = _definitions(new_root)
        self.problems: list[str] = []
        self._active: set[tuple[int, int]] = set()

    def compare(self, old: Schema, new: Schema, path: str) -> None:
        old_variants = list(_variants(old, self.old_defs))
        new_variants = list(_variants(new, self.new_defs))
        if any(_type_key(variant) == "any" for variant in new_variants):
            return
        for old_variant in old_variants:
            match = _matching(old_variant, new_variants)
            if match is None:
                self.problems.append(
                    f"{path}: type changed from {_describe(old_variants)} "
                    f"to {_describe(new_variants)}"
                )
                return
            pair = (id(old_variant), id(match))
            if pair in self._active:  # a recursive model: this pair is already being compared
                continue
            self._active.add(pair)
            try:
                self._compare_same_type(old_variant, match, path)
            finally:
                self._active.discard(pair)

    def _compare_same_type(self, old: Schema, new: Schema, path: str) -> None:
        self._compare_values(old, new, path)
        self._compare_bounds(old, new, path)
        key = _type_key(new)
        if key == "object":
            self._compare_object(old, new, path)
        elif key == "array":
            old_items = old.get("items", {})
            new_items = new.get("items", {})
            if isinstance(old_items, dict) and isinstance(new_items, dict):
                self.compare(old_items, new_items, f"{path}[]")

    def _compare_values(self, old: Schema, new: Schema, path: str) -> None:
        new_values = _enum_values(new)
        if new_values is not None:
            old_values = _enum_values(old)
            if old_values is None:
                self.problems.append(
                    f"{path}: type changed from any {_type_key(old)} to enum {_show(new_values)}"
                )
            else:
                removed = [value for value in old_values if value not in new_values]
                if removed:
                    self.problems.append(f"{path}: enum values removed: {_show(removed)}")
        for keyword in ("format", "pattern"):
            if keyword in new and new[keyword] != old.get(keyword):
                self.problems.append(
                    f"{path}: {keyword} changed from {old.get(keyword)!r} to {new[keyword]!r}"
                )

    def _compare_bounds(self, old: Schema, new: Schema, path: str) -> None:
        for keyword in _LOWER_BOUNDS + _UPPER_BOUNDS:
            if keyword not in new:
                continue
            before, after = old.get(keyword), new[keyword]
            lower = keyword in _LOWER_BOUNDS
            if before is None or (after > before if lower else after < before):
                self.problems.append(f"{path}: {keyword} tightened from {before} to {after}")

    def _compare_object(self, old: Schema, new: Schema, path: str) -> None:
        old_props: dict[str, Schema] = old.get("properties", {})
        new_props: dict[str, Schema] = new.get("properties", {})
        for name, old_prop in old_props.items():
            if name not in new_props:
                self.problems.append(f"{path}.{name}: property removed")
            else:
                self.compare(old_prop, new_props[name], f"{path}.{name}")
        old_required = set(old.get("required", []))
        for name in new.get("required", []):
            if name in old_required:
                continue
            if name in old_props:
                self.problems.append(f"{path}.{name}: field became required")
            else:
                self.problems.append(f"{path}.{name}: new required field")
        old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
        if isinstance(old_extra, dict) and isinstance(new_extra, dict):
            self.compare(old_extra, new_extra, f"{path}{{}}")


def _definitions(root: Schema) -> dict[str, Schema]:
    defs: dict[str, Schema] = {}
    defs.update(root.get("definitions", {}))
    defs.update(root.get("$defs", {}))
    return defs


def _resolve(node: Schema, defs: dict[str, Schema]) -> Schema:
    seen: set[str] = set()
    while True:
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                raise ValueError(f"$ref cycle at {ref}")
            seen.add(ref)
            name = ref.rsplit("/", 1)[-1]
            if name not in defs:
                raise ValueError(f"unresolvable $ref {ref}")
            node = defs[name]
            continue
        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], dict):
            node = all_of[0]
            continue
        return node


def _variants(node: Schema, defs: dict[str, Schema]) -> Iterator[Schema]:
    node = _resolve(node, defs)
    alternatives = node.get("anyOf") or node.get("oneOf")
    if isinstance(alternatives, list):
        for alternative in alternatives:
            yield from _variants(alternative, defs)
    elif isinstance(node.get("type"), list):
        for json_type in node["type"]:
            yield {**node, "type": json_type}
    else:
        yield node


def _enum_values(node: Schema) -> list[Any] | None:
    if "const" in node:
        return [node["const"]]
    if isinstance(node.get("enum"), list):
        return list(node["enum"])
    return None


def _type_key(node: Schema) -> str:
    if isinstance(node.get("type"), str):
        return str(node["type"])
    values = _enum_values(node)
    if values:
        return "null" if values[0] is None else _JSON_TYPE_OF.get(type(values[0]), "any")
    if "properties" in node:
        return "object"
    if "items" in node:
        return "array"
    return "any"


def _matching(old: Schema, candidates: list[Schema]) -> Schema | None:
    key = _type_key(old)
    same_type = [candidate for candidate in candidates if _type_key(candidate) == key]
    for candidate in same_type:  # among several models, prefer the one of the same name
        if candidate.get("title") == old.get("title"):
            return candidate
    if same_type:
        return same_type[0]
    if key == "integer":  # every integer is a number: widening
        for candidate in candidates:
            if _type_key(candidate) == "number":
                return candidate
    return None


def _describe(variants: list[Schema]) -> str:
    names = []
    for variant in variants:
        name = _type_key(variant)
        if name == "object" and "title" in variant:
            name = f"object {variant['title']}"
        if name not in names:
            names.append(name)
    return " | ".join(names)


def _show(values: list[Any]) -> str:
    return ", ".join(json.dumps(value, ensure_ascii=False) for value in values)
