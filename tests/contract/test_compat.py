"""``breaking_changes`` on small hand-made schema pairs."""

from __future__ import annotations

import copy
from typing import Any

from contracts.compat import breaking_changes

BASE: dict[str, Any] = {
    "type": "object",
    "title": "Thing",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "count": {"type": "integer", "minimum": 0},
        "status": {"$ref": "#/$defs/Status"},
        "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "address": {"$ref": "#/$defs/Address"},
        "lines": {"type": "array", "items": {"$ref": "#/$defs/Line"}},
    },
    "required": ["id", "count", "status", "address", "lines"],
    "$defs": {
        "Status": {"type": "string", "enum": ["open", "closed"], "title": "Status"},
        "Address": {
            "type": "object",
            "title": "Address",
            "properties": {"city": {"type": "string"}, "zip": {"type": "string"}},
            "required": ["city"],
        },
        "Line": {
            "type": "object",
            "title": "Line",
            "properties": {
                "qty": {"type": "integer"},
                "price": {"anyOf": [{"type": "number"}, {"type": "string"}]},
            },
            "required": ["qty"],
        },
    },
}


def _changed(edit) -> list[str]:
    new = copy.deepcopy(BASE)
    edit(new)
    return breaking_changes(BASE, new)


def test_identical_schemas_are_compatible() -> None:
    assert breaking_changes(BASE, copy.deepcopy(BASE)) == []


def test_removed_property_is_reported() -> None:
    problems = _changed(lambda s: s["properties"].pop("note"))
    assert problems == ["$.note: property removed"]


def test_removed_property_of_a_nested_model_is_reported() -> None:
    problems = _changed(lambda s: s["$defs"]["Address"]["properties"].pop("zip"))
    assert problems == ["$.address.zip: property removed"]
    problems = _changed(lambda s: s["$defs"]["Line"]["properties"].pop("price"))
    assert problems == ["$.lines[].price: property removed"]


def test_changed_type_is_reported() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["properties"]["count"] = {"type": "string"}

    problems = _changed(edit)
    assert len(problems) == 1 and problems[0].startswith("$.count: type changed")
    assert "integer" in problems[0] and "string" in problems[0]


def test_changed_type_in_a_nested_model_is_reported() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["$defs"]["Line"]["properties"]["qty"] = {"type": "boolean"}

    problems = _changed(edit)
    assert len(problems) == 1 and problems[0].startswith("$.lines[].qty: type changed")


def test_model_replaced_by_a_scalar_is_reported() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["properties"]["address"] = {"type": "string"}

    assert _changed(edit)[0].startswith("$.address: type changed from object Address")


def test_dropped_alternative_is_reported() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["$defs"]["Line"]["properties"]["price"] = {"type": "number"}

    problems = _changed(edit)
    assert len(problems) == 1 and problems[0].startswith("$.lines[].price: type changed")


def test_new_required_field_is_reported() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["properties"]["priority"] = {"type": "integer"}
        s["required"].append("priority")

    assert _changed(edit) == ["$.priority: new required field"]


def test_optional_field_made_required_is_reported() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["required"].append("note")
        s["$defs"]["Address"]["required"].append("zip")

    assert sorted(_changed(edit)) == [
        "$.address.zip: field became required",
        "$.note: field became required",
    ]


def test_new_optional_field_is_compatible() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["properties"]["priority"] = {"type": "integer", "default": 0}
        s["$defs"]["Address"]["properties"]["country"] = {"type": "string"}

    assert _changed(edit) == []


def test_removed_enum_value_is_breaking_and_an_added_one_is_not() -> None:
    def remove(s: dict[str, Any]) -> None:
        s["$defs"]["Status"]["enum"] = ["open"]

    def add(s: dict[str, Any]) -> None:
        s["$defs"]["Status"]["enum"] = ["open", "closed", "archived"]

    assert _changed(remove) == ['$.status: enum values removed: "closed"']
    assert _changed(add) == []


def test_free_value_turned_into_an_enum_is_breaking() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["$defs"]["Address"]["properties"]["city"] = {"type": "string", "enum": ["Shanghai"]}

    problems = _changed(edit)
    assert len(problems) == 1 and problems[0].startswith("$.address.city: type changed")


def test_widening_is_compatible() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["properties"]["count"] = {"anyOf": [{"type": "number"}, {"type": "null"}]}
        s["properties"]["id"] = {"type": "string"}
        s["$defs"]["Status"] = {"type": "string"}
        s["required"].remove("address")

    assert _changed(edit) == []


def test_tightened_constraints_are_breaking() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["properties"]["count"]["minimum"] = 1
        s["$defs"]["Address"]["properties"]["city"]["maxLength"] = 40
        s["properties"]["id"]["format"] = "email"

    assert sorted(_changed(edit)) == [
        "$.address.city: maxLength tightened from None to 40",
        "$.count: minimum tightened from 0 to 1",
        "$.id: format changed from 'uuid' to 'email'",
    ]


def test_recursive_models_terminate() -> None:
    node = {
        "type": "object",
        "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}},
        "required": [],
    }
    old = {"$ref": "#/$defs/Node", "$defs": {"Node": node}}
    new = copy.deepcopy(old)
    new["$defs"]["Node"]["properties"]["name"] = {"type": "string"}
    new["$defs"]["Node"]["required"] = ["name"]
    assert breaking_changes(old, new) == ["$.name: new required field"]
